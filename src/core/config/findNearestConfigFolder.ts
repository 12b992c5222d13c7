// Which prompt-budget.yaml governs a file: the nearest one at or above its folder, as linters find
// theirs. The CLI, the library and the editor all ask this one function.
import { findConfigFile } from './findConfigFile';
import { isRefusedRead } from '../io/readError';

/** How paths are taken apart; Node's `path` in the CLI and the library, URI paths in the editor. */
export interface ConfigPaths {
  join(dir: string, name: string): string;
  dirname(path: string): string;
}

/**
 * The nearest folder at or above `start` that holds a config file (CONFIG_FILE_NAMES), or undefined.
 * `readFile` rejects or returns undefined when a file is not there; a config that is there but refused
 * (a FIFO, over the size cap) still marks its folder, so reading it reports why. `stop` (a folder) ends
 * the walk there, e.g. at a workspace folder's root.
 */
export async function findNearestConfigFolder(
  readFile: (path: string) => Promise<unknown>,
  paths: ConfigPaths,
  start: string,
  stop?: string,
): Promise<string | undefined> {
  for (let dir = start; ; ) {
    const folder = dir;
    const found = await findConfigFile((name) => readFile(paths.join(folder, name)).catch((error: unknown) => (isRefusedRead(error) ? error : Promise.reject(error))));
    if (found) return dir;
    const parent = paths.dirname(dir);
    if (parent === dir || dir === stop) return undefined;
    dir = parent;
  }
}
