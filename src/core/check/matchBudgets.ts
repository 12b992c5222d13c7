// Which budgets a prompt file belongs to. Globs are picomatch patterns over posix paths relative to
// the config's folder, with `dot: true` so `.github/prompts/**` works. `*.md` matches only at the
// root (unlike .gitignore); write `**/*.md` for any depth.

import picomatch from 'picomatch';
import type { Problem } from '../types';
import type { Budget, BudgetConfig, GlobPattern } from '../config/budgetConfig';

type Matcher = (path: string) => boolean;

// Globs are compiled once per parsed config; the WeakMap lets a replaced config take its matchers with it.
const matchers = new WeakMap<GlobPattern, Matcher>();

/** The budgets whose `files` match the path and whose `exclude` does not; none for top-level `ignore`d files. */
export function budgetsForFile(config: Pick<BudgetConfig, 'budgets' | 'ignore'>, relativePath: string): Budget[] {
  const path = normalizePath(relativePath);
  if (matchesAny(config.ignore, path)) return [];
  return config.budgets.filter((budget) => matchesAny(budget.files, path) && !matchesAny(budget.exclude, path));
}

/**
 * Whether a file is a prompt to scan: it matches top-level `files` (or, when the config has none,
 * the caller's own default) or some budget, and is not `ignore`d.
 */
export function isPromptFile(
  config: Pick<BudgetConfig, 'budgets' | 'files' | 'ignore'>,
  relativePath: string,
  matchesDefault: (relativePath: string) => boolean,
): boolean {
  const path = normalizePath(relativePath);
  if (matchesAny(config.ignore, path)) return false;
  const listed = config.files.length > 0 ? matchesAny(config.files, path) : matchesDefault(path);
  return listed || budgetsForFile(config, path).length > 0;
}

/**
 * Whether a file is a prompt by name beyond the recognised formats: listed by the config (its
 * top-level `files` or some budget) or by `alsoMatches` (e.g. an editor setting's globs), and
 * not `ignore`d by the config.
 */
export function isListedPromptFile(
  config: Pick<BudgetConfig, 'budgets' | 'files' | 'ignore'> | undefined,
  relativePath: string,
  alsoMatches: (relativePath: string) => boolean = () => false,
): boolean {
  const path = normalizePath(relativePath);
  if (!config) return alsoMatches(path);
  if (matchesAny(config.ignore, path)) return false;
  return alsoMatches(path) || matchesAny(config.files, path) || budgetsForFile(config, path).length > 0;
}

/**
 * A matcher for plain glob strings (e.g. an editor setting), compiled once, with the same rules as
 * the config's globs: `dot: true`, a leading './' ignored, paths compared in posix form.
 */
export function globsMatcher(patterns: readonly string[]): (relativePath: string) => boolean {
  const cleaned = patterns.map((pattern) => pattern.replace(/^(\.\/)+/, '')).filter((pattern) => pattern !== '');
  if (cleaned.length === 0) return () => false;
  const matcher = picomatch(cleaned, { dot: true, windows: false });
  return (relativePath) => matcher(normalizePath(relativePath));
}

/** Warnings for globs that match none of the given files (all files under the config's folder), at each glob. */
export function unmatchedGlobs(config: Pick<BudgetConfig, 'file' | 'budgets' | 'files'>, relativePaths: readonly string[]): Problem[] {
  const paths = relativePaths.map(normalizePath);
  const problems: Problem[] = [];
  const warn = (glob: GlobPattern, message: string): void => {
    problems.push({ file: config.file, ...glob.position, severity: 'warning', rule: 'unmatched-glob', message });
  };

  for (const glob of config.files) {
    if (!matchesSome(glob, paths)) warn(glob, `Glob '${glob.pattern}' in 'files' matches no file.`);
  }
  for (const budget of config.budgets) {
    for (const glob of budget.files) {
      if (!matchesSome(glob, paths)) warn(glob, `Glob '${glob.pattern}' of budget '${budget.name}' matches no file.`);
    }
    // An exclude is dead when it removes nothing the budget's own globs would take in.
    const included = paths.filter((path) => matchesAny(budget.files, path));
    for (const glob of budget.exclude) {
      if (!matchesSome(glob, included)) warn(glob, `Exclude '${glob.pattern}' of budget '${budget.name}' removes no file from it.`);
    }
  }
  return problems;
}

function matchesSome(glob: GlobPattern, paths: readonly string[]): boolean {
  const matcher = matcherFor(glob);
  // Not `paths.some(matcher)`: picomatch's second parameter asks for a result object, which is always truthy.
  return paths.some((path) => matcher(path));
}

function matchesAny(globs: readonly GlobPattern[], path: string): boolean {
  return globs.some((glob) => matcherFor(glob)(path));
}

function matcherFor(glob: GlobPattern): Matcher {
  let matcher = matchers.get(glob);
  if (!matcher) {
    // `windows: false`: the same answers on every OS; paths are normalised to '/' first.
    matcher = picomatch(glob.pattern.replace(/^(\.\/)+/, ''), { dot: true, windows: false });
    matchers.set(glob, matcher);
  }
  return matcher;
}

/** Posix form of a path relative to the config's folder: 'prompts\\a.md' and './prompts/a.md' become 'prompts/a.md'. */
function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}
