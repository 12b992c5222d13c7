// A download that stops reading at a size cap: the price update's fetch, shared by the CLI and the
// extension. Node's fetch decompresses gzip and brotli as it reads, so the cap bounds the
// decompressed size too (a gzip bomb stops at the cap, not at gigabytes).
import type { FetchedText } from '../catalog/priceUpdate';
import { formatMegabytes } from '../catalog/priceData';

/** GETs `url` and reads its body as UTF-8 text, failing as soon as it passes `maxBytes` or the time runs out. */
export async function fetchCappedText(url: string, maxBytes: number, timeoutMs: number): Promise<FetchedText> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const lastModified = response.headers.get('last-modified') ?? undefined;
  const tooLarge = () => new Error(`the response is larger than ${formatMegabytes(maxBytes)}; stopped reading it`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (!response.body) return { status: response.status, text: '', lastModified };
  const reader = response.body.getReader();
  if (declared > maxBytes && !response.headers.get('content-encoding')) {
    await reader.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { status: response.status, text: new TextDecoder().decode(bytes), lastModified };
}
