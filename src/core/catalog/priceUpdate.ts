// The opt-in price update, shared by `prompt-budget prices update` and the extension: fetch the published
// data file, validate it, and only then replace the cached copy. Any failure keeps the last good data.
import { activePriceData, priceDataFromText } from './activePriceData';
import { formatMegabytes, MAX_PRICE_DATA_BYTES, type PriceData } from './priceData';

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
  /** The data the update would replace (default: the data in use), to check the new data is plausible against. */
  replaces?: PriceData;
}

export type PriceUpdateResult =
  | { ok: true; data: PriceData; models: number; providers: number; warnings: string[] }
  | { ok: false; error: string; warnings: string[] };

// New data with less than this share of the models (or providers) it replaces is taken for a broken file.
const MIN_KEPT_SHARE = 0.5;

/** Downloads `url`, checks it, and writes it to the cache with its date and url; the old cache stays on any failure. */
export async function updatePriceCache(url: string, io: PriceUpdateIo): Promise<PriceUpdateResult> {
  const warnings: string[] = [];
  if (!/^https?:\/\//i.test(url)) return { ok: false, error: `${url} is not an http(s) address`, warnings };
  if (/^http:\/\//i.test(url)) warnings.push(`${url} is plain http: anyone on the network path can change the prices it sends; use https.`);
  const fail = (error: string): PriceUpdateResult => ({ ok: false, error, warnings });
  let fetched: FetchedText;
  try {
    fetched = await io.fetchText(url);
  } catch (error) {
    return fail(`could not download ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (fetched.status < 200 || fetched.status >= 300) return fail(`${url} answered HTTP ${fetched.status}`);
  if (fetched.text.length > MAX_PRICE_DATA_BYTES) return fail(`the data from ${url} is larger than ${formatMegabytes(MAX_PRICE_DATA_BYTES)}`);
  const now = io.now();
  const modified = fetched.lastModified ? new Date(fetched.lastModified) : undefined;
  const date = (modified && !Number.isNaN(modified.getTime()) && modified <= now ? modified : now).toISOString().slice(0, 10);
  const checked = priceDataFromText(fetched.text, 'update', url, date, now);
  if ('error' in checked) return fail(`the data from ${url} is not usable: ${checked.error}`);
  const shrunk = shrinkage(checked.data, io.replaces ?? activePriceData());
  if (shrunk) return fail(`the data from ${url} is not plausible: ${shrunk}`);
  // The envelope keeps the url and date in front, where `cacheInfo` reads them without parsing the rest.
  const envelope = `{"url":${JSON.stringify(url)},"date":"${date}","fetchedAt":"${now.toISOString()}","providers":${JSON.stringify(checked.data.providers)}}\n`;
  const data: PriceData = { ...checked.data, origin: 'update', url, date, label: `genai-prices data from ${url} (data of ${date})` };
  try {
    await io.writeCache(envelope);
  } catch (error) {
    return fail(`could not save the prices: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    ok: true,
    warnings,
    data,
    providers: data.providers.length,
    models: data.providers.reduce((sum, provider) => sum + provider.models.length, 0),
  };
}

/** Why `next` cannot plausibly replace `current` (it drops most of its models or providers), or undefined. */
function shrinkage(next: PriceData, current: PriceData): string | undefined {
  const models = (data: PriceData) => data.providers.reduce((sum, provider) => sum + provider.models.length, 0);
  const [before, after] = [models(current), models(next)];
  if (after < before * MIN_KEPT_SHARE) return `it lists ${after} models where the prices in use list ${before}`;
  const [providersBefore, providersAfter] = [current.providers.length, next.providers.length];
  if (providersAfter < providersBefore * MIN_KEPT_SHARE) return `it lists ${providersAfter} providers where the prices in use list ${providersBefore}`;
  return undefined;
}
