// How the extension starts its worker threads (the count worker and the scan worker), in one place so
// they cannot drift apart: a worker has none of the extension host's state, so it starts with the price
// data file the user opted in to in its environment, and hears of later changes (price data, fetched
// vocabularies) by message for as long as it runs.
import type { Worker } from 'node:worker_threads';
import { PRICES_FILE_ENV, priceDataFile } from '../core/catalog/activePriceData';
import type { CountRequest } from './worker/countProtocol';
import { postVocabularySources } from './tokenizerFiles';

const running = new Set<Worker>();

/** The environment a worker starts with: the host's, plus the price data file in force (undefined: the host's as it is). */
export function workerEnvironment(): NodeJS.ProcessEnv | undefined {
  const pricesFile = priceDataFile();
  return pricesFile ? { ...process.env, [PRICES_FILE_ENV]: pricesFile } : undefined;
}

/** Called with each new worker before its first message: it is kept current until it exits. */
export function onWorkerStart(worker: Worker): void {
  postVocabularySources(worker);
  running.add(worker);
  worker.once('exit', () => running.delete(worker));
}

/** Tells every running worker to read its prices from `file` again: an update rewrote it, or the user opted in to it. */
export function publishPriceDataFile(file: string): void {
  const request: CountRequest = { kind: 'priceDataFile', file };
  for (const worker of running) worker.postMessage(request);
}
