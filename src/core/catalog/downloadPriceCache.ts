// The price update as the CLI and the extension run it: a capped download, the core's checks, and the
// cache file replaced whole (written aside, then renamed), so no reader ever sees half a file.
import { fetchCappedText } from '../io/fetchCappedText';
import { replaceFileWhole } from '../io/replaceFileWhole';
import { MAX_PRICE_DATA_BYTES } from './priceData';
import { updatePriceCache, type PriceUpdateResult } from './priceUpdate';

const DOWNLOAD_TIMEOUT_MS = 30_000;

/** Downloads the price data at `url` into `cacheFile` once it passes updatePriceCache's checks; the old file stays on any failure. */
export function downloadPriceCache(url: string, cacheFile: string, fetchResponse: typeof fetch = fetch): Promise<PriceUpdateResult> {
  return updatePriceCache(url, {
    fetchText: (target) => fetchCappedText(target, MAX_PRICE_DATA_BYTES, DOWNLOAD_TIMEOUT_MS, fetchResponse),
    writeCache: (text) => replaceFileWhole(cacheFile, text),
    now: () => new Date(),
  });
}
