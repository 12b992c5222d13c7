// Fetching a pinned vocabulary: only when asked (the CLI's `tokenizers pull`, the editor's consent),
// never with HF_HUB_OFFLINE set, streamed to a temporary file that stops at the pinned size, checked
// by sha256 before it is converted and kept. Node only.
import { createHash } from 'node:crypto';
import { mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readRegularFile } from '../../io/readRegularFile';
import { keep, type FoundVocabulary } from './vocabularyFiles';
import { pinnedUrls, type PinnedVocabulary } from './pinnedVocabularies';

/** What a download needs from its host: where to keep the result, and how to reach the network. */
export interface DownloadOptions {
  /** Where the converted vocabulary is kept (and the partial download written). */
  cacheDir: string;
  /** Environment: HF_ENDPOINT (a mirror) and HF_HUB_OFFLINE are honoured. */
  env: Readonly<Record<string, string | undefined>>;
  /** Node's fetch by default; the editor passes the one its proxy settings apply to. */
  fetch?: typeof fetch;
  /** Time for one URL, from request to last byte (default two minutes). */
  timeoutMs?: number;
}

/** Thrown when nothing may be fetched (HF_HUB_OFFLINE); no request was made. */
export class DownloadRefused extends Error {}

/** Downloads, verifies, converts and keeps `vocabulary`, trying its URLs in turn; throws with every URL's reason. */
export async function downloadVocabulary(vocabulary: PinnedVocabulary, options: DownloadOptions): Promise<FoundVocabulary> {
  if (isOffline(options.env)) throw new DownloadRefused('HF_HUB_OFFLINE is set: nothing is downloaded');
  await mkdir(options.cacheDir, { recursive: true });
  const reasons: string[] = [];
  for (const url of pinnedUrls(vocabulary, options.env.HF_ENDPOINT || undefined)) {
    const partial = join(options.cacheDir, `${vocabulary.id}.${process.pid}.${Date.now()}.part`);
    try {
      await fetchToFile(url, partial, vocabulary, options);
      const bytes = await readRegularFile(partial, vocabulary.bytes);
      return await keep(vocabulary, bytes, 'download', url, options);
    } catch (error) {
      reasons.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await unlink(partial).catch(() => undefined);
    }
  }
  throw new Error(`could not download ${vocabulary.label}'s vocabulary:\n  ${reasons.join('\n  ')}`);
}

/** True when HF_HUB_OFFLINE asks for no network (as huggingface_hub reads it). */
export function isOffline(env: Readonly<Record<string, string | undefined>>): boolean {
  return ['1', 'ON', 'YES', 'TRUE'].includes((env.HF_HUB_OFFLINE ?? '').toUpperCase());
}

async function fetchToFile(url: string, path: string, vocabulary: PinnedVocabulary, options: DownloadOptions): Promise<void> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 120_000);
  const describeAbort = (error: unknown): Error => {
    if (signal.aborted) return new Error(`no complete answer within ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s`);
    // Node's fetch says only "fetch failed"; the reason (ENOTFOUND, ECONNREFUSED…) is its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message;
    return new Error(`${(error as Error).message}${reason ? ` (${reason})` : ''}`);
  };
  let response: Response;
  try {
    // A gated repository (Google's) answers only an account that accepted its terms: its token, and only there.
    const token = vocabulary.gated ? options.env.HF_TOKEN?.trim() : undefined;
    response = await (options.fetch ?? fetch)(url, { signal, redirect: 'follow', ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
  } catch (error) {
    throw describeAbort(error);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    const gated = vocabulary.gated && (response.status === 401 || response.status === 403);
    throw new Error(gated ? `HTTP ${response.status}: the repository is gated; accept its terms on Hugging Face and set HF_TOKEN` : `HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > vocabulary.bytes && !response.headers.get('content-encoding')) {
    await response.body.cancel().catch(() => undefined);
    throw new Error(`${declared} bytes offered, the pinned file has ${vocabulary.bytes}; not read`);
  }
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  let received = 0;
  try {
    const reader = response.body.getReader();
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw describeAbort(error);
      }
      if (chunk.done) break;
      received += chunk.value.length;
      if (received > vocabulary.bytes) {
        await reader.cancel().catch(() => undefined);
        throw new Error(`more than the pinned ${vocabulary.bytes} bytes; stopped reading`);
      }
      hash.update(chunk.value);
      await file.write(chunk.value);
    }
  } finally {
    await file.close();
  }
  if (received !== vocabulary.bytes) throw new Error(`${received} bytes received, the pinned file has ${vocabulary.bytes} (truncated)`);
  const sha256 = hash.digest('hex');
  if (sha256 !== vocabulary.sha256) throw new Error(`sha256 ${sha256} is not the pinned ${vocabulary.sha256}; not used`);
}
