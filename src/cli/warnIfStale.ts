import { stalenessWarning, type PriceData } from '../core';
import type { CliIo } from './cliIo';

/** Warns on stderr when the price data is older than 60 days. */
export function warnIfStale(data: PriceData, io: CliIo): void {
  const warning = stalenessWarning(data, new Date());
  if (warning) io.stderr(`prompt-budget: warning: ${warning}`);
}
