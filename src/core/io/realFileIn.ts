// A local folder's paths resolved to their real files, for uniqueRealFiles.
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { RealFile } from './uniqueRealFiles';

/** Resolves paths relative to `root` (a local folder) to their real files (or folders). */
export function realFileIn(root: string): (path: string) => Promise<RealFile | undefined> {
  const realRoot = realpath(root).catch(() => root);
  return async (path) => {
    const real = await realpath(join(root, path));
    return { real, isReal: real === join(await realRoot, path) };
  };
}
