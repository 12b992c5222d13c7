/** The recognised config file names, highest priority first. */
export const CONFIG_FILE_NAMES: readonly string[] = ['prompt-budget.yaml', 'prompt-budget.yml', '.prompt-budget.yaml'];

/** The config file to use among the file names of a folder, or undefined when there is none. */
export function findConfigFile(names: Iterable<string>): string | undefined {
  const present = new Set(names);
  // Exact names: a case-insensitive match would pick different files on Linux and on macOS.
  return CONFIG_FILE_NAMES.find((name) => present.has(name));
}
