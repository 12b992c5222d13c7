// Reading a response body with a size cap: the price update's download and the providers' count answers.
/** A response body stream (the web ReadableStream of Node's fetch). */
export interface ReadableBody {
  getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> };
}

/** A response body as text, or 'too-large' (and the stream cancelled) once it passes `maxBytes`. */
export async function readBoundedText(body: ReadableBody | null, maxBytes: number): Promise<string | 'too-large'> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value) continue;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return 'too-large';
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
