// Files listed through links (a linked folder lists its files again under another path) are
// one file: counting each path would inflate every budget sum.

/** A listed file's identity: its real path, and whether the listed path is that real path. */
export interface RealFile {
  real: string;
  isReal: boolean;
}

/**
 * `paths` with each real file once. Only paths whose file name occurs more than once are resolved
 * (a linked folder repeats its files' names), so a folder without links costs no file system call;
 * `consider` narrows that further (e.g. to files that can be prompts). Of the paths of one file, its
 * real path is kept, else the shortest (then the first in order). `resolve` returns undefined for a
 * path it cannot resolve, which is kept as it is.
 */
export async function uniqueRealFiles(
  paths: readonly string[],
  resolve: (path: string) => Promise<RealFile | undefined>,
  consider: (path: string) => boolean = () => true,
): Promise<string[]> {
  const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const seen = new Map<string, number>();
  const considered = paths.filter(consider);
  for (const path of considered) seen.set(nameOf(path), (seen.get(nameOf(path)) ?? 0) + 1);
  const candidates = considered.filter((path) => (seen.get(nameOf(path)) ?? 0) > 1);
  const resolved = await Promise.all(candidates.map(async (path) => ({ path, file: await resolve(path).catch(() => undefined) })));
  const kept = new Map<string, { path: string; isReal: boolean }>();
  const dropped = new Set<string>();
  for (const { path, file } of resolved) {
    if (!file) continue;
    const current = kept.get(file.real);
    if (!current) {
      kept.set(file.real, { path, isReal: file.isReal });
      continue;
    }
    const better = (file.isReal && !current.isReal) || (file.isReal === current.isReal && (path.length < current.path.length || (path.length === current.path.length && path < current.path)));
    dropped.add(better ? current.path : path);
    if (better) kept.set(file.real, { path, isReal: file.isReal });
  }
  return paths.filter((path) => !dropped.has(path));
}
