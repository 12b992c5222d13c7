// The opt-in price update, shared by `prompt-budget prices update` and the extension: fetch the published
// data file, validate it, and only then replace the cached copy. Any failure keeps the last good data.
import { priceDataFromText } from './activePriceData';
import type { PriceData } from './priceData';

/** What a download returned. */
export interface FetchedText {
  status: number;
  text: string;
  /** The response's Last-Modified header, if any. */
  lastModified?: string;
}

/** The I/O an update needs; the CLI passes Node's, the extension VS Code's, tests their own. */
export interface PriceUpdateIo {
  fetchText(url: string): Promise<FetchedText>;
  /** Replaces the cache file (the caller makes it atomic: write aside, then rename). */
  writeCache(text: string): Promise<void>;
  now(): Date;
}

export type PriceUpdateResult =
  | { ok: true; data: PriceData; models: number; providers: number }
  | { ok: false; error: string };

/** Downloads `url`, checks it, and writes it to the cache with its date and url; the old cache stays on any failure. */
export async function updatePriceCache(url: string, io: PriceUpdateIo): Promise<PriceUpdateResult> {
  let fetched: FetchedText;
  try {
    fetched = await io.fetchText(url);
  } catch (error) {
    return { ok: false, error: `could not download ${url}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (fetched.status < 200 || fetched.status >= 300) return { ok: false, error: `${url} answered HTTP ${fetched.status}` };
  const now = io.now();
  const modified = fetched.lastModified ? new Date(fetched.lastModified) : undefined;
  const date = (modified && !Number.isNaN(modified.getTime()) && modified <= now ? modified : now).toISOString().slice(0, 10);
  const checked = priceDataFromText(fetched.text, 'update', url, date);
  if ('error' in checked) return { ok: false, error: `the data from ${url} is not usable: ${checked.error}` };
  // The envelope keeps the url and date in front, where `cacheInfo` reads them without parsing the rest.
  const envelope = `{"url":${JSON.stringify(url)},"date":"${date}","fetchedAt":"${now.toISOString()}","providers":${JSON.stringify(checked.data.providers)}}\n`;
  const data: PriceData = { ...checked.data, origin: 'update', url, date, label: `genai-prices data from ${url} (data of ${date})` };
  try {
    await io.writeCache(envelope);
  } catch (error) {
    return { ok: false, error: `could not save the prices: ${error instanceof Error ? error.message : String(error)}` };
  }
  return {
    ok: true,
    data,
    providers: data.providers.length,
    models: data.providers.reduce((sum, provider) => sum + provider.models.length, 0),
  };
}
