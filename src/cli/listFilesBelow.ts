import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SKIPPED_FOLDERS } from '../core/checkWorkspace';

/**
 * Every file below `dir`, relative with `/` separators, skipping VCS and dependency folders.
 * Symbolic links are followed, as VS Code's file search does, so CI checks the files the editor shows;
 * a link to nowhere is not a file, and a link back to a folder being walked is not walked again.
 */
export async function listFilesBelow(dir: string): Promise<string[]> {
  const files: string[] = [];
  async function walk(relativeDir: string, walking: ReadonlySet<string>): Promise<void> {
    const absoluteDir = join(dir, relativeDir);
    const entries = await readdir(absoluteDir, { withFileTypes: true });
    for (const entry of entries) {
      const path = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(join(absoluteDir, entry.name)).catch(() => undefined);
        isDirectory = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDirectory) {
        if (SKIPPED_FOLDERS.includes(entry.name)) continue;
        const real = await realpath(join(absoluteDir, entry.name));
        if (!walking.has(real)) await walk(path, new Set([...walking, real]));
      } else if (isFile) {
        files.push(path);
      }
    }
  }
  await walk('', new Set([await realpath(dir)]));
  return files.sort();
}
