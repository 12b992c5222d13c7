// Which files of a folder are usage logs: those matching `usage.files`, or, for a folder named on
// the command line, every JSONL, JSON and CSV file in it.
import picomatch from 'picomatch';
import type { GlobPattern } from '../config/budgetConfig';

/** File names that may hold usage logs when no globs say otherwise. */
export const USAGE_FILE_PATTERN = /\.(jsonl|ndjson|json|csv|log)$/i;

/** The paths (relative, `/` separators) matching any of `globs`, in sorted order. */
export function selectUsageFiles(relativePaths: readonly string[], globs: readonly GlobPattern[]): string[] {
  const matchers = globs.map((glob) => picomatch(glob.pattern, { dot: true }));
  return relativePaths.filter((path) => matchers.some((matches) => matches(path))).sort();
}
