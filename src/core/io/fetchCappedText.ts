// A download that stops reading at a size cap: the price update's fetch, shared by the CLI and the
// extension. Node's fetch decompresses gzip and brotli as it reads, so the cap bounds the
// decompressed size too (a gzip bomb stops at the cap, not at gigabytes).
import type { FetchedText } from '../catalog/priceUpdate';
import { formatMegabytes } from '../catalog/priceData';
import { readBoundedText } from './readBoundedText';

/** GETs `url` (with `fetchResponse`, the global fetch unless a test passes its own) and reads its body as UTF-8 text, failing as soon as it passes `maxBytes` or the time runs out. */
export async function fetchCappedText(url: string, maxBytes: number, timeoutMs: number, fetchResponse: typeof fetch = fetch): Promise<FetchedText> {
  const response = await fetchResponse(url, { signal: AbortSignal.timeout(timeoutMs) });
  const lastModified = response.headers.get('last-modified') ?? undefined;
  const tooLarge = () => new Error(`the response is larger than ${formatMegabytes(maxBytes)}; stopped reading it`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (!response.body) return { status: response.status, text: '', lastModified };
  if (declared > maxBytes && !response.headers.get('content-encoding')) {
    await response.body.cancel();
    throw tooLarge();
  }
  const text = await readBoundedText(response.body, maxBytes);
  if (text === 'too-large') throw tooLarge();
  return { status: response.status, text, lastModified };
}
