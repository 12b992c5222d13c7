// Bounded reading of a file named by the user (a prompt, a config, price data, a log): regular files
// only, so a FIFO cannot block a run forever and /dev/zero cannot eat the memory, and never more
// than a cap. Node only: the CLI's file reading and the usage reader use it.
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { formatMegabytes } from '../catalog/priceData';

/** The most any one file is read to, unless the caller sets a lower cap. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

/** The error code of a path that is not a regular file (a FIFO, a device, a socket). */
export const NOT_REGULAR_FILE = 'ENOTREGULAR';
/** The error code of a file over the cap. */
export const FILE_TOO_LARGE = 'ERR_FS_FILE_TOO_LARGE';

/** A read refused before or while reading; `detail` says why in words ("is a FIFO (named pipe)"). */
export class FileReadRefused extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * The bytes of the regular file at `path`, at most `maxBytes` of them. Rejects with a Node-style error
 * (ENOENT, EACCES, EISDIR…) or a FileReadRefused for a FIFO, a device or a file over the cap.
 */
export async function readRegularFile(path: string, maxBytes: number = DEFAULT_MAX_FILE_BYTES): Promise<Uint8Array> {
  // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error(`EISDIR: is a folder, read '${path}'`), { code: 'EISDIR' });
    if (!info.isFile()) throw new FileReadRefused(NOT_REGULAR_FILE, `is ${kindOf(info)}, not a regular file; not read`);
    if (info.size > maxBytes) throw tooLarge(maxBytes, info.size);
    // Read to the end, not to the size stat gave: a file that grows past the cap still stops there.
    let buffer = new Uint8Array(Math.min(info.size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > maxBytes) throw tooLarge(maxBytes);
        const grown = new Uint8Array(Math.min(buffer.length * 2, maxBytes + 1));
        grown.set(buffer);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) throw tooLarge(maxBytes);
    return buffer.subarray(0, total);
  } finally {
    await handle.close();
  }
}

/** The refusal of a file over `maxBytes`: of `size` bytes, or found while reading when the size was not known. */
function tooLarge(maxBytes: number, size?: number): FileReadRefused {
  const over = `over the ${formatMegabytes(maxBytes)} limit`;
  return new FileReadRefused(FILE_TOO_LARGE, size === undefined ? `is ${over}; stopped reading` : `is ${formatMegabytes(size)}, ${over}; not read`);
}

/** What a path that is not a regular file or a folder is, in words. */
function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}
