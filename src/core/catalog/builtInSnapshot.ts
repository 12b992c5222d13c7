// The built-in catalog as the build made it (esbuild.mjs writes it beside the bundles): the models of the
// bundled price data, already in the catalog's order, with their match rules. Reading it spares the
// extension host's thread building 1,500 models before a freshly opened window's first count. It stands
// for the live build only where that build would give the same: the same build of the code, the same
// package data, and a date between the two price changes around the build's. Its text is only ever
// parsed as JSON and checked for the shape it is used in.
import type { ModelInfo, SourceNote } from '../types';
import type { ProviderRule } from './builtInModels';
import type { MatchRule, PriceData } from './priceData';

/** The file the build writes beside the bundles. */
export const BUILT_IN_SNAPSHOT_FILE = 'builtInCatalog.json';

/** The largest snapshot read: the real one is under 1 MB. */
export const MAX_SNAPSHOT_BYTES = 8 * 1024 * 1024;

/** The catalog's models and its index, as `new ModelCatalog` takes them. */
export interface BuiltInCatalogParts {
  /** In the catalog's order (provider, then name, then id). */
  models: ModelInfo[];
  matchRules: Map<ModelInfo, MatchRule>;
  unpriced: Set<string>;
  providers: ProviderRule[];
  /** From then on a price in it has changed: the snapshot no longer holds. */
  validUntil?: Date;
}

/** What the file holds. Source notes are listed once and named by their place: most models share a few. */
interface SnapshotFile {
  buildId: string;
  priceVersion: string;
  /** The dates between which the prices it holds are the ones in effect (ISO; null: no bound). */
  validFrom: string | null;
  validUntil: string | null;
  notes: SourceNote[];
  models: StoredModel[];
  matchRules: (MatchRule | null)[];
  unpriced: string[];
  providers: ProviderRule[];
}

type NoteRef = number;
type StoredModel = Omit<ModelInfo, 'sources' | 'limitSources'> & {
  sources: { prices?: NoteRef; limits?: NoteRef };
  limitSources?: { contextWindow?: NoteRef; maxInputTokens?: NoteRef; maxOutputTokens?: NoteRef };
};

/**
 * The snapshot of `parts`, built at `at` from `data` (the bundled data), for the build `buildId` of the
 * package's data `priceVersion`: valid between the last price change on or before `at` and the next.
 */
export function builtInSnapshotOf(parts: BuiltInCatalogParts, data: PriceData, at: Date, buildId: string, priceVersion: string): string {
  const notes: SourceNote[] = [];
  const noteIndex = new Map<string, number>();
  const ref = (note: SourceNote): NoteRef => {
    const key = JSON.stringify(note);
    let index = noteIndex.get(key);
    if (index === undefined) {
      index = notes.push(note) - 1;
      noteIndex.set(key, index);
    }
    return index;
  };
  const models: StoredModel[] = parts.models.map((model) => ({
    ...model,
    sources: mapNotes(model.sources, ref),
    limitSources: model.limitSources && mapNotes(model.limitSources, ref),
  }));
  const { validFrom, validUntil } = priceWindow(data, at);
  const file: SnapshotFile = {
    buildId,
    priceVersion,
    validFrom: validFrom?.toISOString() ?? null,
    validUntil: validUntil?.toISOString() ?? null,
    notes,
    models,
    matchRules: parts.models.map((model) => parts.matchRules.get(model) ?? null),
    unpriced: [...parts.unpriced],
    providers: parts.providers,
  };
  return JSON.stringify(file);
}

/**
 * The catalog parts of the snapshot `text`, if it was written by build `buildId` for the package's data
 * `priceVersion` and `at` lies within its dates; undefined otherwise (the catalog is then built).
 */
export function builtInCatalogFromSnapshot(text: string, at: Date, buildId: string, priceVersion: string): BuiltInCatalogParts | undefined {
  // The build writes its id first: another build's file is not parsed at all.
  if (text.length > MAX_SNAPSHOT_BYTES || !text.slice(0, 200).includes(`"buildId":${JSON.stringify(buildId)}`)) return undefined;
  let file: SnapshotFile;
  try {
    file = JSON.parse(text) as SnapshotFile;
  } catch {
    return undefined;
  }
  if (!hasSnapshotShape(file) || file.buildId !== buildId || file.priceVersion !== priceVersion) return undefined;
  const validFrom = file.validFrom === null ? undefined : new Date(file.validFrom);
  const validUntil = file.validUntil === null ? undefined : new Date(file.validUntil);
  if ([validFrom, validUntil].some((date) => date !== undefined && Number.isNaN(date.getTime()))) return undefined;
  if ((validFrom && at < validFrom) || (validUntil && at >= validUntil)) return undefined;
  const note = (index: NoteRef) => file.notes[index];
  const models: ModelInfo[] = file.models.map((stored) => ({
    ...stored,
    sources: mapNotes(stored.sources, note),
    limitSources: stored.limitSources && mapNotes(stored.limitSources, note),
  }));
  const matchRules = new Map<ModelInfo, MatchRule>();
  models.forEach((model, index) => {
    const rule = file.matchRules[index];
    if (rule) matchRules.set(model, rule);
  });
  return { models, matchRules, unpriced: new Set(file.unpriced), providers: file.providers, validUntil };
}

/** The lists and fields the catalog reads, of the types it reads them as; a file short of any is not used. */
function hasSnapshotShape(file: unknown): file is SnapshotFile {
  if (typeof file !== 'object' || file === null) return false;
  const { notes, models, matchRules, unpriced, providers, validFrom, validUntil } = file as Partial<Record<keyof SnapshotFile, unknown>>;
  const isDate = (value: unknown) => value === null || typeof value === 'string';
  if (!Array.isArray(notes) || !Array.isArray(models) || !Array.isArray(matchRules) || !Array.isArray(unpriced) || !Array.isArray(providers)) return false;
  if (matchRules.length !== models.length || !isDate(validFrom) || !isDate(validUntil)) return false;
  const isNote = (index: unknown) => index === undefined || (typeof index === 'number' && typeof (notes[index] as SourceNote | undefined)?.source === 'string');
  return models.every((model: Partial<StoredModel> | null) =>
    typeof model?.id === 'string' && typeof model.name === 'string' && typeof model.provider === 'string' && typeof model.tokenizer === 'string' &&
    Array.isArray(model.aliases) && model.aliases.every((alias) => typeof alias === 'string') &&
    typeof model.sources === 'object' && model.sources !== null && Object.values(model.sources).every(isNote) &&
    (model.limitSources === undefined || Object.values(model.limitSources).every(isNote)),
  ) && matchRules.every((rule) => rule === null || (typeof rule === 'object' && Object.keys(rule as object).length === 1));
}

/** The same record with each note present mapped (to its place in the list, or back). */
function mapNotes<K extends string, From, To>(record: Partial<Record<K, From>>, map: (value: From) => To | undefined): Partial<Record<K, To>> {
  const mapped: Partial<Record<K, To>> = {};
  for (const key of Object.keys(record) as K[]) {
    const value = record[key];
    if (value !== undefined) mapped[key] = map(value);
  }
  return mapped;
}

/**
 * The last date a price of `data` changed on or before `at`, and the next date one changes after it
 * (prices with a `start_date`): between the two, a catalog built at `at` holds the prices in effect.
 */
export function priceWindow(data: PriceData, at: Date): { validFrom?: Date; validUntil?: Date } {
  let validFrom: Date | undefined;
  let validUntil: Date | undefined;
  for (const provider of data.providers) {
    for (const model of provider.models) {
      if (!Array.isArray(model.prices)) continue;
      for (const entry of model.prices) {
        if (entry.constraint?.type !== 'start_date') continue;
        const start = new Date(entry.constraint.start_date);
        if (Number.isNaN(start.getTime())) continue;
        if (at >= start) {
          if (!validFrom || start > validFrom) validFrom = start;
        } else if (!validUntil || start < validUntil) {
          validUntil = start;
        }
      }
    }
  }
  return { validFrom, validUntil };
}
