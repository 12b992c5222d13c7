import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SKIPPED_FOLDERS } from '../core';

/**
 * Every file below `dir`, relative with `/` separators, skipping VCS and dependency folders.
 * Symbolic links are followed, as VS Code's file search does, so CI checks the files the editor shows;
 * a link to nowhere is not a file. Each real folder is walked once and each real file (by its real
 * path) listed once, so links cannot make the walk exponential nor count a file twice: a file is
 * listed under the path with the fewest links in it (the real path when it lies below `dir`).
 */
export async function listFilesBelow(dir: string): Promise<string[]> {
  const files: string[] = [];
  const realRoot = await realpath(dir);
  const walkedFolders = new Set<string>([realRoot]);
  const listedFiles = new Set<string>();
  // Folders reached without a link are walked before any reached through one (a queue per link depth).
  const queues: string[][] = [['']];
  /** Lists `path` unless its real file (`real`) is listed already. */
  const addFile = (path: string, real: string) => {
    if (listedFiles.has(real)) return;
    listedFiles.add(real);
    files.push(path);
  };
  for (let links = 0; links < queues.length; links++) {
    const queue = queues[links];
    const linkedFiles: { path: string; absolute: string }[] = [];
    for (let index = 0; index < queue.length; index++) {
      const relativeDir = queue[index];
      const absoluteDir = join(dir, relativeDir);
      const entries = await readdir(absoluteDir, { withFileTypes: true }).catch((error: unknown) => {
        // The root must be readable; a folder below it that vanished or is closed to us is skipped.
        if (relativeDir === '') throw error;
        return [];
      });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const path = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
        const absolute = join(absoluteDir, entry.name);
        if (entry.isSymbolicLink()) {
          const target = await stat(absolute).catch(() => undefined);
          if (target?.isDirectory() && !SKIPPED_FOLDERS.includes(entry.name)) (queues[links + 1] ??= []).push(path);
          else if (target?.isFile()) linkedFiles.push({ path, absolute });
        } else if (entry.isDirectory()) {
          if (SKIPPED_FOLDERS.includes(entry.name)) continue;
          const real = links === 0 ? join(realRoot, path) : await realpath(absolute).catch(() => undefined);
          if (real === undefined || walkedFolders.has(real)) continue;
          walkedFolders.add(real);
          queue.push(path);
        } else if (entry.isFile()) {
          // With no link in its path, a file's real path is known without asking the file system.
          const real = links === 0 ? join(realRoot, path) : await realpath(absolute).catch(() => undefined);
          if (real !== undefined) addFile(path, real);
        }
      }
    }
    // Linked files of this depth come after the real files of this depth, so a real path wins.
    for (const { path, absolute } of linkedFiles) {
      const real = await realpath(absolute).catch(() => undefined);
      if (real !== undefined) addFile(path, real);
    }
    // A linked folder is walked (as a folder of the next depth) only if its real folder was not.
    const linked = queues[links + 1];
    if (linked) {
      const unwalked: string[] = [];
      for (const path of linked) {
        const real = await realpath(join(dir, path)).catch(() => undefined);
        if (real === undefined || walkedFolders.has(real)) continue;
        walkedFolders.add(real);
        unwalked.push(path);
      }
      queues[links + 1] = unwalked;
    }
  }
  return files.sort();
}
