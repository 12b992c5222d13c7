import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `data` to `file` aside and renames it into place (creating the folder), so a reader never sees
 * half a file and a failed write leaves the old one; the aside copy is removed if the rename fails.
 */
export async function replaceFileWhole(file: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(aside, data);
  await rename(aside, file).catch(async (error: unknown) => {
    await unlink(aside).catch(() => undefined);
    throw error;
  });
}
