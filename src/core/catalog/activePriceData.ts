// Which price data the built-in catalog uses: the bundled data unless the CLI or the extension chose a
// validated newer copy. Count workers (threads without the extension's state) find that copy through
// PROMPT_BUDGET_PRICES_FILE in the environment the extension starts them with.
import { ageInDays, bundledPriceData, cacheInfo, formatMegabytes, isWebUrl, MAX_PRICE_DATA_BYTES, parsePriceData, type PriceData } from './priceData';

/** The environment variable naming a price data file for processes and worker threads started later. */
export const PRICES_FILE_ENV = 'PROMPT_BUDGET_PRICES_FILE';

let active: PriceData | undefined;
let chosenFile: string | undefined;

/**
 * Chooses the price data file of this process (the extension's cache once the user opted in), read on
 * the next catalog build; worker threads are started with it in their own PROMPT_BUDGET_PRICES_FILE.
 */
export function setPriceDataFile(file: string | undefined): void {
  if (file === chosenFile) return;
  chosenFile = file;
  active = undefined;
}

/** The price data file in effect: chosen in this process, else named by PROMPT_BUDGET_PRICES_FILE. */
export function priceDataFile(): string | undefined {
  return chosenFile ?? process.env[PRICES_FILE_ENV];
}

/** The price data in effect: chosen, else the file named by PROMPT_BUDGET_PRICES_FILE if it is valid, else the bundled data. */
export function activePriceData(): PriceData {
  if (!active) {
    const file = priceDataFile();
    active = (file ? readPriceDataFileSync(file) : undefined) ?? bundledPriceData();
  }
  return active;
}

/** Whether the price data in effect is the bundled data (nothing else chosen or named), without reading any. */
export function bundledDataInForce(): boolean {
  return active ? active.origin === 'bundled' : priceDataFile() === undefined;
}

/** Chooses the price data (undefined: back to the default). The catalog is rebuilt on its next use. */
export function setActivePriceData(data: PriceData | undefined): void {
  active = data;
}

/**
 * Price data from a file's text, validated: a cache written by an update carries its date and url;
 * a plain data file is dated `fallbackDate` (its modification day). Data over MAX_PRICE_DATA_BYTES,
 * dated after `now`, or naming a source that is not an http(s) address is refused.
 */
export function priceDataFromText(
  text: string,
  origin: 'update' | 'file',
  where: string,
  fallbackDate: string,
  now: Date = new Date(),
): { data: PriceData } | { error: string } {
  if (text.length > MAX_PRICE_DATA_BYTES) return { error: `larger than ${formatMegabytes(MAX_PRICE_DATA_BYTES)}, far above real price data (about 0.5 MB)` };
  const info = cacheInfo(text);
  if (info.url !== undefined && !isWebUrl(info.url)) return { error: `its source '${info.url.slice(0, 80)}' is not an http(s) address` };
  // A day of slack for time zones; a date beyond it would pass every staleness check for years.
  if (info.date !== undefined && ageInDays(info.date, now) < -1) return { error: `it is dated ${info.date}, in the future` };
  const parsed = parsePriceData(text);
  if ('error' in parsed) return parsed;
  const date = info.date ?? fallbackDate;
  const url = info.url;
  const label = info.url
    ? `genai-prices data from ${info.url} (data of ${date})`
    : `genai-prices data file ${where} (data of ${date})`;
  return { data: { providers: parsed.providers, origin: info.url ? 'update' : origin, date, label, url } };
}

function readPriceDataFileSync(file: string): PriceData | undefined {
  try {
    // Once per process, on the first count (never during activation): the count worker and, when the
    // user opted in to updates, the extension host read the cached data file here.
    const fs = require('node:fs') as typeof import('node:fs');
    // A regular file within the cap only: never a FIFO or a device, whose read could block or never end.
    const info = fs.statSync(file);
    if (!info.isFile() || info.size > MAX_PRICE_DATA_BYTES) return undefined;
    const text = fs.readFileSync(file, 'utf8');
    const day = info.mtime.toISOString().slice(0, 10);
    const result = priceDataFromText(text, 'file', file, day);
    return 'data' in result ? result.data : undefined;
  } catch {
    return undefined;
  }
}
