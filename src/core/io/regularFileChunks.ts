// The streaming twin of readRegularFile, for usage logs read from an offset: regular files only, so a
// FIFO named as a log is refused at once (never waited on) and /dev/zero is never read.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { FileReadRefused, NOT_REGULAR_FILE } from './readRegularFile';

const CHUNK_BYTES = 1 << 20;

/**
 * The bytes of the regular file at `path` from `offset` on, a chunk at a time. Rejects on the first
 * chunk with a Node-style error (ENOENT, EISDIR…) or a FileReadRefused naming what the path is.
 */
export async function* regularFileChunks(path: string, offset = 0): AsyncGenerator<Uint8Array> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error(`EISDIR: is a folder, read '${path}'`), { code: 'EISDIR' });
    if (!info.isFile()) throw new FileReadRefused(NOT_REGULAR_FILE, `is ${info.isFIFO() ? 'a FIFO (named pipe)' : 'a device or socket'}, not a regular file; not read`);
    let position = offset;
    for (;;) {
      const chunk = new Uint8Array(CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield chunk.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
