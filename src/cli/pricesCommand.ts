// `prompt-budget prices [update]` and `--prices FILE`: which price data the CLI uses, and the opt-in update.
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { priceDataFromText, setActivePriceData, ModelCatalog, ageInDays, DEFAULT_PRICES_URL, MAX_PRICE_DATA_BYTES, downloadPriceCache, PRICES_FILE_ENV } from '../core';
import { EXIT_OK, EXIT_USAGE, describeReadError, type CliIo } from './cliIo';
import type { CliOptions } from './cliOptions';
import { warnIfStale } from './warnIfStale';

/** Where `prices update` keeps the data: $PROMPT_BUDGET_CACHE_DIR, else $XDG_CACHE_HOME/prompt-budget, else ~/.cache/prompt-budget. */
export function priceCacheFile(): string {
  const dir = process.env.PROMPT_BUDGET_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'prompt-budget');
  return join(dir, 'genai-prices.json');
}

/**
 * Chooses the price data for this run: --prices FILE, else the file named by PROMPT_BUDGET_PRICES_FILE (the
 * library reads the same variable, so both price alike), else the cache of an earlier `prices update`, else
 * the bundled data. A bad named file is a usage error; a bad cache is reported and the bundled data used.
 * Returns false when the run must stop.
 */
export async function usePriceOption(options: CliOptions, io: CliIo): Promise<boolean> {
  setActivePriceData(undefined);
  const fromEnvironment = options.prices === undefined ? process.env[PRICES_FILE_ENV] || undefined : undefined;
  const named = options.prices ?? fromEnvironment;
  const flag = options.prices !== undefined ? '--prices' : PRICES_FILE_ENV;
  const file = named !== undefined ? resolve(io.cwd, named) : priceCacheFile();
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(file, MAX_PRICE_DATA_BYTES);
  } catch (error) {
    if (named === undefined) return true;
    io.stderr(`prompt-budget: ${flag}: ${describeReadError(named, error)}`);
    return false;
  }
  const day = await modifiedDay(file);
  const loaded = priceDataFromText(new TextDecoder().decode(bytes), 'file', named ?? file, day);
  if ('error' in loaded) {
    if (named !== undefined) {
      io.stderr(`prompt-budget: ${flag}: ${named}: ${loaded.error}`);
      return false;
    }
    io.stderr(`prompt-budget: the cached prices in ${file} are not usable (${loaded.error}); using the bundled prices. Run 'prompt-budget prices update' again.`);
    return true;
  }
  setActivePriceData(loaded.data);
  return true;
}

/** `prompt-budget prices` and `prompt-budget prices update [--url URL]` */
export async function runPrices(args: string[], options: CliOptions, io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (rest.length > 0 || (action !== undefined && action !== 'update')) {
    io.stderr("prompt-budget prices: expected no argument or 'update'.\nRun 'prompt-budget --help' for usage.");
    return EXIT_USAGE;
  }
  if (action === 'update') return update(options, io);
  const data = ModelCatalog.priceData();
  const catalog = ModelCatalog.builtIn();
  const summary = {
    source: data.label,
    origin: data.origin,
    date: data.date,
    ageDays: ageInDays(data.date, new Date()),
    url: data.url ?? null,
    models: catalog.list().length,
    providers: catalog.providers().length,
    cacheFile: priceCacheFile(),
  };
  if (options.json) {
    io.stdout(JSON.stringify(summary, null, 2));
    return EXIT_OK;
  }
  io.stdout(`Prices: ${summary.source}, ${summary.ageDays} days old`);
  io.stdout(`${summary.models} models from ${summary.providers} providers`);
  io.stdout(`Cache for 'prices update': ${summary.cacheFile}`);
  warnIfStale(data, io);
  return EXIT_OK;
}

async function update(options: CliOptions, io: CliIo): Promise<number> {
  const url = options.url ?? process.env.PROMPT_BUDGET_PRICES_URL ?? DEFAULT_PRICES_URL;
  const file = priceCacheFile();
  const result = await downloadPriceCache(url, file);
  for (const warning of result.warnings) io.stderr(`prompt-budget prices update: warning: ${warning}`);
  if (!result.ok) {
    io.stderr(`prompt-budget prices update: ${result.error}. The prices in use are unchanged.`);
    return EXIT_USAGE;
  }
  setActivePriceData(result.data);
  const catalog = ModelCatalog.builtIn();
  io.stdout(`Updated prices: ${result.data.label}; ${catalog.list().length} priced models from ${catalog.providers().length} providers. Saved to ${file}.`);
  return EXIT_OK;
}

async function modifiedDay(file: string): Promise<string> {
  try {
    return (await stat(file)).mtime.toISOString().slice(0, 10);
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}
