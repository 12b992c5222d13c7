// Which of the known config folders governs a file: the nearest at or above it, the rule
// findNearestConfigFolder applies on disk, for callers that have listed the configs already.

/**
 * Of `configFolders` (relative paths with `/` separators; `''` is the top folder), the nearest at or
 * above `path` (a file's relative path), or undefined when none is.
 */
export function nearestConfigFolder(configFolders: readonly string[], path: string): string | undefined {
  let nearest: string | undefined;
  for (const folder of configFolders) {
    const holds = folder === '' || path.startsWith(`${folder}/`);
    if (holds && (nearest === undefined || folder.length > nearest.length)) nearest = folder;
  }
  return nearest;
}

/** `paths` by the config folder that governs each, each path relative to that folder; paths no folder holds are left out. */
export function pathsByConfigFolder(configFolders: readonly string[], paths: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>(configFolders.map((folder) => [folder, []]));
  for (const path of paths) {
    const folder = nearestConfigFolder(configFolders, path);
    if (folder !== undefined) groups.get(folder)!.push(folder === '' ? path : path.slice(folder.length + 1));
  }
  return groups;
}
