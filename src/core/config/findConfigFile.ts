/** The recognised config file names, highest priority first. */
export const CONFIG_FILE_NAMES: readonly string[] = ['prompt-budget.yaml', 'prompt-budget.yml', '.prompt-budget.yaml'];

/**
 * A folder's config file: the first of CONFIG_FILE_NAMES that `probe` finds. `probe(name)` looks
 * for one name in the folder (reads it, stats it) and returns what it found, or undefined or a
 * rejection when the file is not there. Undefined when the folder has none.
 */
export async function findConfigFile<T>(probe: (name: string) => Promise<T | undefined>): Promise<{ name: string; found: T } | undefined> {
  // Exact names: a case-insensitive match would pick different files on Linux and on macOS.
  for (const name of CONFIG_FILE_NAMES) {
    let found: T | undefined;
    try {
      found = await probe(name);
    } catch {
      continue;
    }
    if (found !== undefined) return { name, found };
  }
  return undefined;
}
