// Finds and parses a folder's prompt-budget.yaml; the caller passes how files are read.
import { findConfigFile } from './findConfigFile';
import { findNearestConfigFolder, type ConfigPaths } from './findNearestConfigFolder';
import { parseBudgetConfig, type ParsedBudgetConfig } from './parseBudgetConfig';
import type { ModelCatalog } from '../catalog/modelCatalog';
import { decodePromptText } from '../io/decodePromptText';
import { isRefusedRead, readErrorProblem } from '../io/readError';

export interface BudgetConfigRead {
  /** The config file's name in its folder (one of CONFIG_FILE_NAMES), or the path given. */
  name: string;
  /** The config file as named in messages (relative to the folder, or as given). */
  file: string;
  parsed: ParsedBudgetConfig;
}

/**
 * Reads `explicitFile`, or the first of CONFIG_FILE_NAMES that exists under `dir`.
 * Undefined when there is none; `readFile` rejects or returns undefined for a missing file, and
 * may return text instead of bytes (the editor's unsaved text). `label` names the file in messages.
 * `catalog` gives the one the config's model names are checked against (catalogWithOverrides); it is
 * asked for only when a config is found, so a folder without one never builds the catalog. Without
 * one (it returns undefined) model names are not checked: parseConfigSource does that later.
 */
export async function readBudgetConfig(
  readFile: (path: string) => Promise<Uint8Array | string | undefined>,
  join: (dir: string, name: string) => string,
  dir: string,
  catalog: () => ModelCatalog | undefined,
  explicitFile?: string,
  label: (name: string) => string = (name) => name,
): Promise<BudgetConfigRead | undefined> {
  if (explicitFile) {
    const file = explicitFile;
    let bytes: Uint8Array | string | undefined;
    let failure: unknown = { code: 'ENOENT' };
    try {
      bytes = await readFile(file);
    } catch (error) {
      failure = error;
    }
    if (!bytes) {
      return { name: file, file, parsed: { problems: [{ ...readErrorProblem(file, failure), rule: 'config-unreadable' }] } };
    }
    return { name: file, file, parsed: parseConfigSource(file, bytes, catalog()) };
  }
  // A config that is there but refused (a FIFO, a device, over the size cap) is reported, not taken for no config.
  const found = await findConfigFile((name) => readFile(join(dir, name)).catch((error: unknown) => (isRefusedRead(error) ? { refused: error } : Promise.reject(error))));
  if (!found) return undefined;
  const file = label(found.name);
  if (typeof found.found === 'object' && 'refused' in found.found) {
    return { name: found.name, file, parsed: { problems: [{ ...readErrorProblem(file, found.found.refused), rule: 'config-unreadable' }] } };
  }
  return { name: found.name, file, parsed: parseConfigSource(file, found.found, catalog()) };
}

/** Parses a config's bytes (or an editor's text), checking model names against `catalog` when given. */
export function parseConfigSource(file: string, bytes: Uint8Array | string, catalog: ModelCatalog | undefined): ParsedBudgetConfig {
  if (typeof bytes === 'string') return parseConfigWithCatalog(file, bytes, catalog);
  const decoded = decodePromptText(file, bytes, 'not read');
  return 'problem' in decoded ? { problems: [decoded.problem] } : parseConfigWithCatalog(file, decoded.text, catalog);
}

/** Parses config text, checking model names against the catalog (the config's own `models` count as known) when given. */
export function parseConfigWithCatalog(file: string, text: string, catalog: ModelCatalog | undefined): ParsedBudgetConfig {
  if (!catalog) return parseBudgetConfig(file, text);
  return parseBudgetConfig(file, text, {
    isKnownModel: (name) => {
      const resolution = catalog.resolve(name);
      return 'model' in resolution ? true : resolution.suggestions;
    },
  });
}

/** Where a config was looked for and what was read there. */
export interface NearestBudgetConfig {
  /** The folder the config's globs and ledger path are relative to (the start when there is no config). */
  root: string;
  read?: BudgetConfigRead;
}

/**
 * The one loader of a config for a place: `explicitFile` when given, else the nearest config at or above
 * `start` (findNearestConfigFolder). Every section (budgets, models, usage, quotas, agents) is in `read`.
 */
export async function readNearestBudgetConfig(
  readFile: (path: string) => Promise<Uint8Array | string | undefined>,
  paths: ConfigPaths,
  start: string,
  catalog: () => ModelCatalog | undefined,
  explicitFile?: string,
  label?: (name: string) => string,
): Promise<NearestBudgetConfig> {
  const root = explicitFile ? paths.dirname(explicitFile) : ((await findNearestConfigFolder(readFile, paths, start)) ?? start);
  return { root, read: await readBudgetConfig(readFile, paths.join, root, catalog, explicitFile, label) };
}
