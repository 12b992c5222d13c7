// The models the extension and the CLI know: every model the price data prices, then user overrides on top.
// Importing this module is cheap; the built-in models load on the first `ModelCatalog.builtIn()`: read
// from the build's snapshot of them (builtInSnapshot.ts) where it holds, else built from the price data.
import type { ModelInfo, ModelOverride, ModelPricing } from '../types';
import { editDistance } from '../config/editDistance';
import { activePriceData, bundledDataInForce } from './activePriceData';
import { buildBuiltInModels, type ProviderRule } from './builtInModels';
import { BUILT_IN_SNAPSHOT_FILE, builtInCatalogFromSnapshot, MAX_SNAPSHOT_BYTES, builtInSnapshotOf, type BuiltInCatalogParts } from './builtInSnapshot';
import { bundledPriceData, matches, PRICE_PACKAGE, type MatchRule, type PriceData } from './priceData';

/** What `ModelCatalog.resolve` returns: the model, or a message naming the closest known ids. */
export type ModelResolution = { model: ModelInfo } | { error: string; suggestions: string[] };

type OverrideOrigin = 'settings' | 'workspace';

/** What a lookup found: one model, several sellers and no way to choose, or nothing. */
type LookUp = { model: ModelInfo } | { ambiguous: ModelInfo[] } | undefined;

/** Resolution data besides the models: match rules, unpriced names, providers. */
interface CatalogIndex {
  matchRules: ReadonlyMap<ModelInfo, MatchRule>;
  unpriced: ReadonlySet<string>;
  providers: readonly ProviderRule[];
}

const SUGGESTION_COUNT = 3;

// Prefixes that name a gateway or an API namespace rather than a provider; any model may follow.
const NAMESPACE_PREFIXES = new Set(['models', 'litellm', 'custom', 'hosted_vllm']);
// Other names of providers: LiteLLM's provider prefixes and common spellings.
const PROVIDER_PREFIX_ALIASES: Readonly<Record<string, string>> = {
  gemini: 'google',
  'google-gla': 'google',
  'google-vertex': 'google',
  'google-genai': 'google',
  vertex_ai: 'google',
  vertex: 'google',
  vertex_ai_beta: 'google',
  xai: 'x-ai',
  grok: 'x-ai',
  bedrock: 'aws',
  bedrock_converse: 'aws',
  amazon: 'aws',
  together_ai: 'together',
  togetherai: 'together',
  fireworks_ai: 'fireworks',
  'fireworks-ai': 'fireworks',
  moonshot: 'moonshotai',
  mistralai: 'mistral',
  azure_ai: 'azure',
  cohere_chat: 'cohere',
  zhipu: 'zhipuai',
  perplexityai: 'perplexity',
  voyage: 'voyageai',
  copilot: 'github-copilot',
  github_copilot: 'github-copilot',
};

// A trailing snapshot date, version or '-latest': -2024-08-06, -20250514, @20250514, -0613, -001.
const DATED_SUFFIX = /(?:[-@](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{3,4})|-latest)$/;
// The package's own retry: a compact date written out (-20250514 -> -2025-05-14).
const COMPACT_DATE = /-(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

// The build's id, set by esbuild.mjs in the bundles (not in watch builds, nor in the compiled tests):
// the snapshot of the catalog it writes beside them is only read by the bundles of the same build.
declare const PROMPT_BUDGET_BUILD_ID: string | undefined;
const BUILD_ID = typeof PROMPT_BUDGET_BUILD_ID === 'string' ? PROMPT_BUDGET_BUILD_ID : undefined;

// The built-in catalog and what it was made of: price data, or the build's snapshot of the bundled data's.
let builtInCatalog: { catalog: ModelCatalog; madeOf: PriceData | 'snapshot' } | undefined;
// Read once per process: undefined until tried, null when there is none this build can use.
let snapshotParts: BuiltInCatalogParts | null | undefined;

/**
 * The models that claim each name key: by their id, in the catalog's order; by an alias, overrides
 * first, then in the catalog's order. A lookup reads both, ids first.
 */
interface Claims {
  byId: Map<string, ModelInfo[]>;
  byAlias: Map<string, ModelInfo[]>;
}

/** Models by id and alias, looked up case-insensitively, with overrides layered on top. */
export class ModelCatalog {
  private readonly models: readonly ModelInfo[];
  private readonly claims: Claims;
  private readonly index: CatalogIndex;
  // Prompts name the same few models again and again; a match-rule scan over every model is not free.
  private readonly lookUps = new Map<string, LookUp>();
  private readonly suggestions = new Map<string, string[]>();
  private compactNames: { model: ModelInfo; names: string[]; idLength: number }[] | undefined;
  private byIdOrName: Map<string, ModelInfo[]> | undefined;

  /**
   * @param index match rules, unpriced names and providers of the price data; a catalog of overrides alone needs none.
   * Internal, for the catalog's own use: `sorted`, the models are in the catalog's order already (the
   * build's snapshot, or `withOverrides`), so no sort; `claims`, their claims, made already
   * (`withOverrides` updates its base's for the models it changed).
   */
  constructor(models: readonly ModelInfo[], index?: Partial<CatalogIndex> & { sorted?: boolean; claims?: Claims }) {
    this.models = index?.sorted ? [...models] : [...models].sort(compareModels);
    this.index = { matchRules: index?.matchRules ?? new Map(), unpriced: index?.unpriced ?? new Set(), providers: index?.providers ?? [] };
    this.claims = index?.claims ?? { byId: new Map(), byAlias: new Map() };
    if (index?.claims) return;
    for (const model of this.models) for (const key of claimKeysOf(model).id) claim(this.claims.byId, key, model);
    // A sort by rank alone keeps the catalog's order within a rank.
    for (const model of [...this.models].sort((a, b) => originRank(b) - originRank(a))) {
      for (const key of claimKeysOf(model).aliases) claim(this.claims.byAlias, key, model);
    }
  }

  /** The built-in catalog: every model the active price data prices, with cited limits. Built on first use, again after the data changes. */
  static builtIn(): ModelCatalog {
    if (bundledDataInForce()) {
      // A process that outlives the snapshot's dates (the next price change) builds the catalog after all.
      if (snapshotParts?.validUntil && new Date() >= snapshotParts.validUntil) snapshotParts = null;
      if (builtInCatalog?.madeOf === 'snapshot' && snapshotParts) return builtInCatalog.catalog;
      if (snapshotParts === undefined) snapshotParts = readBuiltInSnapshot() ?? null;
      try {
        if (snapshotParts) {
          builtInCatalog = { catalog: new ModelCatalog(snapshotParts.models, { ...snapshotParts, sorted: true }), madeOf: 'snapshot' };
          return builtInCatalog.catalog;
        }
      } catch {
        snapshotParts = null;
      }
    }
    const data = activePriceData();
    if (builtInCatalog?.madeOf !== data) {
      const built = buildBuiltInModels(new Date(), data);
      builtInCatalog = { catalog: new ModelCatalog(built.models, built), madeOf: data };
    }
    return builtInCatalog.catalog;
  }

  /** Whether the built-in catalog in use was read from the build's snapshot (rather than built in this process). @internal */
  static builtInFromSnapshot(): boolean {
    return builtInCatalog?.madeOf === 'snapshot';
  }

  /** The snapshot of the bundled data's built-in catalog, built at `at`, for build `buildId` (esbuild.mjs writes it). @internal */
  static builtInSnapshot(at: Date, buildId: string): string {
    const data = bundledPriceData();
    const built = buildBuiltInModels(at, data);
    const sorted = new ModelCatalog(built.models, built).models;
    return builtInSnapshotOf({ ...built, models: [...sorted] }, data, at, buildId, PRICE_PACKAGE.version);
  }

  /** The price data the built-in catalog is made of (its date and origin are shown to users). */
  static priceData(): PriceData {
    return activePriceData();
  }

  /**
   * A new catalog with `overrides` applied. An override naming an existing model by id or display name
   * is merged onto it; any other id (a dated snapshot, a fine-tune, a local model) becomes a model of its own.
   */
  withOverrides(overrides: readonly ModelOverride[], origin: OverrideOrigin): ModelCatalog {
    if (overrides.length === 0) return this;
    const matchRules = new Map(this.index.matchRules);
    // The catalog's models this list replaced, and the models it made, in the order made (a model merged
    // again moves to the end).
    const replaced: ModelInfo[] = [];
    const made: ModelInfo[] = [];
    /** The model whose id or display name is `name` (not another alias), among the catalog's left and those made. */
    const named = (name: string): ModelInfo | undefined => {
      const key = looseKey(name);
      const own = (this.idsAndNames().get(key) ?? []).filter((model) => !replaced.includes(model));
      return preferMaker([...own, ...made.filter((model) => looseKey(model.id) === key || looseKey(model.name) === key)]);
    };
    for (const override of overrides) {
      // Later entries of the same list see earlier ones (a model added, then given a price).
      const existing = named(override.id);
      const merged = existing ? mergeOverride(existing, override, origin) : newModel(override, origin, this.fineTuneBase(override.id, named));
      if (existing) {
        if (made.includes(existing)) made.splice(made.indexOf(existing), 1);
        else replaced.push(existing);
        // The rule moves to the merged model: left on the one it replaces, it would still find that one.
        const rule = matchRules.get(existing);
        matchRules.delete(existing);
        if (rule) matchRules.set(merged, rule);
      }
      made.push(merged);
    }
    // The same catalog as one built from these models anew, without sorting and claiming 1,500 models again.
    const added = [...made].sort(compareModels);
    const sorted = mergeSorted(this.models.filter((model) => !replaced.includes(model)), added);
    return new ModelCatalog(sorted, { ...this.index, matchRules, sorted: true, claims: updatedClaims(this.claims, replaced, added) });
  }

  /**
   * The model for an id, alias or display name: case-insensitive; 'provider/model' or 'provider:model'
   * takes that provider's price; a name several providers sell gets its maker's price; ids the price
   * data's match rules accept (dated snapshots, '-latest') find their model. Undefined when nothing
   * matches, or when several providers sell it and none is its maker.
   */
  find(idOrAlias: string): ModelInfo | undefined {
    const found = this.lookUpName(idOrAlias);
    return found && 'model' in found ? found.model : undefined;
  }

  /** Like `find`, but an unknown or ambiguous name gives a message naming the closest known ids. */
  resolve(name: string): ModelResolution {
    const trimmed = name.trim();
    if (!trimmed) return { error: 'No model given.', suggestions: [] };
    const found = this.lookUpName(trimmed);
    if (found && 'model' in found) return { model: found.model };
    if (found && 'ambiguous' in found) {
      const ids = found.ambiguous.map((model) => model.id);
      const sellers = [...new Set(found.ambiguous.map((model) => model.providerName ?? model.provider))].join(', ');
      return {
        error: `Model '${trimmed}' is sold by several providers (${sellers}) and none of them makes it; name one: ${ids.slice(0, 6).join(', ')}${ids.length > 6 ? ', …' : ''}.`,
        suggestions: ids.slice(0, SUGGESTION_COUNT),
      };
    }
    const suggestions = this.closestIds(trimmed);
    const closest = suggestions.length > 0 ? ` Closest: ${suggestions.join(', ')}.` : '';
    const why = this.index.unpriced.has(trimmed.toLowerCase())
      ? ' The price data lists it without a per-token text price (an image, audio or free model); add it as a model override to price it.'
      : '';
    return { error: `Unknown model '${trimmed}'.${why}${closest}`, suggestions };
  }

  /** All models, sorted by provider, then name. */
  list(): ModelInfo[] {
    return [...this.models];
  }

  /** The providers of the catalog's models, sorted. */
  providers(): string[] {
    return [...new Set(this.models.map((model) => model.provider))].sort();
  }

  private lookUpName(idOrAlias: string): LookUp {
    const name = idOrAlias.trim();
    if (!name) return undefined;
    if (this.lookUps.has(name)) return this.lookUps.get(name);
    // An override claims a name exactly as written, before any provider prefix is read.
    const claimed = this.claimed(name);
    const isAnId = claimed.some((model) => looseKey(model.id) === looseKey(name));
    let result: LookUp = isAnId ? undefined : this.pick(claimed.filter((model) => model.origin !== 'catalog'), undefined, name);
    for (const candidate of result ? [] : this.candidates(name)) {
      const found = this.lookUp(candidate.name, candidate.provider);
      if (found && 'model' in found) {
        result = found;
        break;
      }
      result ??= found;
    }
    this.lookUps.set(name, result);
    return result;
  }

  /** Candidate readings of a name: a known provider prefix first ('deepseek/deepseek-v3.2' is DeepSeek's), then the name as written. */
  private candidates(name: string): { name: string; provider?: string }[] {
    const candidates: { name: string; provider?: string }[] = [];
    let rest = name;
    for (;;) {
      const match = /^([a-z0-9_.-]+)[/:](.+)$/i.exec(rest);
      if (!match) break;
      const prefix = match[1].toLowerCase();
      const named = PROVIDER_PREFIX_ALIASES[prefix] ?? prefix;
      if (NAMESPACE_PREFIXES.has(prefix)) {
        candidates.push({ name: match[2] });
      } else if (this.hasProvider(named)) {
        candidates.push({ name: match[2], provider: named });
      } else {
        break;
      }
      rest = match[2];
    }
    candidates.push({ name });
    return candidates;
  }

  private hasProvider(provider: string): boolean {
    return this.index.providers.some((rule) => rule.id === provider) || this.models.some((model) => model.provider === provider);
  }

  private claimed(name: string): ModelInfo[] {
    const exact = this.claimedKey(nameKey(name));
    const loose = this.claimedKey(looseKey(name));
    return loose.length === 0 ? exact : [...new Set([...exact, ...loose])];
  }

  /** The models claiming `key`: by id, then by alias (a model that claims it both ways, once). */
  private claimedKey(key: string): ModelInfo[] {
    const byId = this.claims.byId.get(key);
    const byAlias = this.claims.byAlias.get(key);
    if (!byAlias) return byId ?? [];
    if (!byId) return byAlias;
    return [...byId, ...byAlias.filter((model) => !byId.includes(model))];
  }

  private lookUp(name: string, provider: string | undefined): LookUp {
    const named = this.claimed(name);
    const claimed = this.pick(named, provider, name);
    if (claimed && 'model' in claimed && (provider !== undefined || claimed.model.sellsOwnModel !== false)) return claimed;
    // A reseller's listing of a name must not hide the maker's own model, which its match rule finds; other
    // resellers' rules do not make it ambiguous ('global.anthropic.claude-opus-4-6-v1:0' is Bedrock's id).
    const ruleMatches = this.ruleMatches(name);
    if (claimed && 'model' in claimed && !ruleMatches.some((model) => model.sellsOwnModel !== false)) return claimed;
    const ruled = this.pick([...new Set([...named, ...ruleMatches])], provider, name);
    if (ruled) return ruled;
    if (this.index.unpriced.has(name.toLowerCase())) return undefined;
    const undated = name.replace(DATED_SUFFIX, '');
    if (undated === name || !undated) return undefined;
    return this.pick(this.claimed(undated), provider, undated);
  }

  /** Models whose price-data match rule accepts `name`, or its compact date written out. */
  private ruleMatches(name: string): ModelInfo[] {
    const found: ModelInfo[] = [];
    const spelled = name.replace(COMPACT_DATE, '-$1-$2-$3');
    // In the catalog's order, which is the same whether it was built, read from the snapshot or overridden.
    for (const model of this.models) {
      const rule = this.index.matchRules.get(model);
      if (rule && (matches(rule, name) || (spelled !== name && matches(rule, spelled)))) found.push(model);
    }
    return found;
  }

  /**
   * One model among those a name reaches: the named provider's (or a provider it falls back to);
   * else an override; else the one model of its maker (the seller whose own id it is, as the package's
   * provider rules say); else the only one. Several sellers and no maker: ambiguous.
   */
  private pick(found: ModelInfo[], provider: string | undefined, name: string): LookUp {
    if (found.length === 0) return undefined;
    if (provider !== undefined) {
      const own = found.filter((model) => model.provider === provider);
      if (own.length > 0) return { model: own[0] };
      const fallbacks = this.index.providers.find((rule) => rule.id === provider)?.fallbacks ?? [];
      for (const fallback of fallbacks) {
        const model = found.find((candidate) => candidate.provider === fallback);
        if (model) return { model };
      }
      return undefined;
    }
    // The model whose id it is comes before those that list it as an alias.
    const byId = found.filter((model) => looseKey(model.id) === looseKey(name));
    const claims = byId.length > 0 ? byId : found;
    const rank = Math.max(...claims.map(originRank));
    const best = claims.filter((model) => originRank(model) === rank);
    if (best.length === 1) return { model: best[0] };
    const makers = best.filter((model) => model.sellsOwnModel !== false);
    if (makers.length === 1) return { model: makers[0] };
    const maker = this.index.providers.find((rule) => rule.modelMatch && matches(rule.modelMatch, name))?.id;
    const byMaker = (makers.length > 0 ? makers : best).filter((model) => model.provider === maker);
    if (byMaker.length >= 1) return { model: byMaker[0] };
    if (makers.length > 1) {
      // Several models of one maker claim the name: the one whose id it is wins.
      const byId = makers.find((model) => nameKey(model.id) === nameKey(name) || looseKey(model.id) === looseKey(name));
      if (byId) return { model: byId };
      if (new Set(makers.map((model) => model.provider)).size === 1) return { model: makers[0] };
    }
    return { ambiguous: makers.length > 0 ? makers : best };
  }

  /** The base of an OpenAI fine-tune id 'ft:gpt-4o-mini:org::abc', when the catalog (or an earlier override) knows it. */
  private fineTuneBase(id: string, named: (name: string) => ModelInfo | undefined): ModelInfo | undefined {
    const base = /^ft:([^:]+):/i.exec(id.trim())?.[1];
    return base ? (named(base) ?? this.find(base)) : undefined;
  }

  /** The models by the loose key of their id and of their display name, in the catalog's order; made on first use. */
  private idsAndNames(): Map<string, ModelInfo[]> {
    if (!this.byIdOrName) {
      this.byIdOrName = new Map();
      for (const model of this.models) {
        claim(this.byIdOrName, looseKey(model.id), model);
        claim(this.byIdOrName, looseKey(model.name), model);
      }
    }
    return this.byIdOrName;
  }

  /** The ids closest to `name`, at most SUGGESTION_COUNT; none when nothing is close. Makers' own models first. */
  private closestIds(name: string): string[] {
    const query = compactKey(name);
    const known = this.suggestions.get(query);
    if (known) return known;
    const allowed = Math.max(1, Math.floor(query.length / 3));
    this.compactNames ??= this.models.map((model) => ({ model, names: [model.id, ...model.aliases].map(compactKey), idLength: compactKey(model.id).length }));
    const scored = this.compactNames.map(({ model, names, idLength }) => {
      let distance = Infinity;
      for (const candidate of names) {
        // Lengths alone rule a name out: no need to measure it.
        if (Math.abs(candidate.length - query.length) > allowed && !candidate.startsWith(query)) continue;
        distance = Math.min(distance, editDistance(query, candidate));
      }
      const isPrefix = names.some((candidate) => candidate.startsWith(query));
      return {
        id: model.id,
        // A name the query starts is as close as one edit: 'gpt4o' suggests 'gpt-4o-mini'.
        distance: isPrefix ? Math.min(distance, 1) : distance,
        isPrefix,
        reseller: model.sellsOwnModel === false,
        lengthGap: Math.abs(idLength - query.length),
      };
    });
    scored.sort(
      (a, b) =>
        a.distance - b.distance ||
        Number(a.reseller) - Number(b.reseller) ||
        Number(b.isPrefix) - Number(a.isPrefix) ||
        a.lengthGap - b.lengthGap ||
        a.id.localeCompare(b.id),
    );
    // About one edit in three characters, as for config keys: 'gpt4o' finds 'gpt-4.1', 'llama-9' finds no 'gpt-4'.
    const ids = scored
      .filter((entry) => entry.distance <= allowed)
      .slice(0, SUGGESTION_COUNT)
      .map((entry) => entry.id);
    this.suggestions.set(query, ids);
    return ids;
  }
}

/** The build's snapshot beside this bundle, if this build wrote one and it holds the prices in effect now. */
function readBuiltInSnapshot(): BuiltInCatalogParts | undefined {
  if (BUILD_ID === undefined) return undefined;
  try {
    const { readFileSync, statSync } = require('node:fs') as typeof import('node:fs');
    const { join } = require('node:path') as typeof import('node:path');
    const file = join(__dirname, BUILT_IN_SNAPSHOT_FILE);
    // A regular file within the cap only: never a FIFO, whose read would block this thread.
    const info = statSync(file);
    if (!info.isFile() || info.size > MAX_SNAPSHOT_BYTES) return undefined;
    return builtInCatalogFromSnapshot(readFileSync(file, 'utf8'), new Date(), BUILD_ID, PRICE_PACKAGE.version);
  } catch {
    return undefined;
  }
}

function claim(claims: Map<string, ModelInfo[]>, key: string, model: ModelInfo): void {
  const claimed = claims.get(key);
  if (!claimed) claims.set(key, [model]);
  else if (!claimed.includes(model)) claimed.push(model);
}

/**
 * `claims` with `removed` models' claims taken out and `added` models' put in where a catalog built
 * anew would have them: by id in the catalog's order, by alias after higher ranks and in the catalog's
 * order within their own. Lists are copied before they change; the base catalog keeps its own.
 */
function updatedClaims(claims: Claims, removed: readonly ModelInfo[], added: readonly ModelInfo[]): Claims {
  const byId = new Map(claims.byId);
  const byAlias = new Map(claims.byAlias);
  const remove = (map: Map<string, ModelInfo[]>, key: string, model: ModelInfo) => {
    const left = (map.get(key) ?? []).filter((claimer) => claimer !== model);
    if (left.length > 0) map.set(key, left);
    else map.delete(key);
  };
  const insert = (map: Map<string, ModelInfo[]>, key: string, model: ModelInfo, before: (other: ModelInfo) => boolean) => {
    const claimed = map.get(key) ?? [];
    if (claimed.includes(model)) return;
    const at = claimed.findIndex(before);
    map.set(key, at < 0 ? [...claimed, model] : [...claimed.slice(0, at), model, ...claimed.slice(at)]);
  };
  for (const model of removed) {
    for (const key of claimKeysOf(model).id) remove(byId, key, model);
    for (const key of claimKeysOf(model).aliases) remove(byAlias, key, model);
  }
  for (const model of added) {
    const rank = originRank(model);
    for (const key of claimKeysOf(model).id) insert(byId, key, model, (other) => compareModels(model, other) < 0);
    for (const key of claimKeysOf(model).aliases) {
      insert(byAlias, key, model, (other) => originRank(other) < rank || (originRank(other) === rank && compareModels(model, other) < 0));
    }
  }
  return { byId, byAlias };
}

/** Two lists in the catalog's order, as one. */
function mergeSorted(left: readonly ModelInfo[], right: readonly ModelInfo[]): ModelInfo[] {
  const merged: ModelInfo[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) merged.push(compareModels(right[j], left[i]) < 0 ? right[j++] : left[i++]);
  return [...merged, ...left.slice(i), ...right.slice(j)];
}

/** Of the models named alike, the maker's own (a reseller's listing is not what an override means), else the first. */
function preferMaker(named: readonly ModelInfo[]): ModelInfo | undefined {
  return named.find((model) => model.sellsOwnModel !== false) ?? named[0];
}

function mergeOverride(model: ModelInfo, override: ModelOverride, origin: OverrideOrigin): ModelInfo {
  const pricing = mergePricing(model.pricing, override);
  const limitsChanged = override.contextWindow !== undefined || override.maxInputTokens !== undefined || override.maxOutputTokens !== undefined;
  return {
    ...model,
    name: override.name ?? model.name,
    provider: override.provider ?? model.provider,
    aliases: [...model.aliases, ...(override.aliases ?? [])],
    contextWindow: override.contextWindow ?? model.contextWindow,
    // A larger window set by hand would otherwise keep the catalog's lower input cap.
    maxInputTokens: override.maxInputTokens ?? (override.contextWindow === undefined ? model.maxInputTokens : undefined),
    maxOutputTokens: override.maxOutputTokens ?? model.maxOutputTokens,
    pricing,
    tokenizer: override.tokenizer ?? model.tokenizer,
    ...(override.tokenizerFile ? { tokenizerFile: override.tokenizerFile.spec } : {}),
    sources: {
      prices: pricing === model.pricing ? model.sources.prices : overrideSource(origin),
      limits: limitsChanged ? overrideSource(origin) : model.sources.limits,
    },
    origin,
  };
}

/** Overridden prices replace the listed ones; list-price tiers are dropped once input or output is overridden. */
function mergePricing(pricing: ModelPricing | undefined, override: ModelOverride): ModelPricing | undefined {
  const { inputPerMillion, outputPerMillion, cachedInputPerMillion } = override;
  if (inputPerMillion === undefined && outputPerMillion === undefined && cachedInputPerMillion === undefined) {
    return pricing;
  }
  const merged: ModelPricing = {
    inputPerMillion: inputPerMillion ?? pricing?.inputPerMillion ?? 0,
    outputPerMillion: outputPerMillion ?? pricing?.outputPerMillion ?? 0,
  };
  const cached = cachedInputPerMillion ?? (inputPerMillion === undefined ? pricing?.cachedInputPerMillion : undefined);
  if (cached !== undefined) merged.cachedInputPerMillion = cached;
  if (inputPerMillion === undefined && outputPerMillion === undefined && pricing?.tiers) merged.tiers = pricing.tiers;
  return merged;
}

/** A model the catalog did not have. A fine-tune inherits its base's provider, limits and tokenizer, not its price. */
function newModel(override: ModelOverride, origin: OverrideOrigin, base: ModelInfo | undefined): ModelInfo {
  const contextWindow = override.contextWindow ?? base?.contextWindow;
  const maxInputTokens = override.maxInputTokens ?? (override.contextWindow === undefined ? base?.maxInputTokens : undefined);
  const maxOutputTokens = override.maxOutputTokens ?? base?.maxOutputTokens;
  const inheritsLimits = override.contextWindow === undefined && override.maxInputTokens === undefined && override.maxOutputTokens === undefined;
  const pricing = mergePricing(undefined, override);
  const hasLimits = contextWindow !== undefined || maxInputTokens !== undefined || maxOutputTokens !== undefined;
  return {
    id: override.id.trim(),
    name: override.name ?? override.id.trim(),
    provider: override.provider ?? base?.provider ?? 'custom',
    aliases: override.aliases ?? [],
    contextWindow,
    maxInputTokens,
    maxOutputTokens,
    pricing,
    // Without a named tokenizer, only an estimate is honest.
    tokenizer: override.tokenizer ?? base?.tokenizer ?? 'estimate',
    ...(override.tokenizerFile ? { tokenizerFile: override.tokenizerFile.spec } : {}),
    sources: {
      prices: pricing ? overrideSource(origin) : undefined,
      limits: base && inheritsLimits ? base.sources.limits : hasLimits ? overrideSource(origin) : undefined,
    },
    origin,
  };
}

function overrideSource(origin: OverrideOrigin): { source: string; asOf: string } {
  return origin === 'settings'
    ? { source: 'User settings override', asOf: 'as configured' }
    : { source: 'Workspace override', asOf: 'as configured' };
}

// One collator for every comparison: localeCompare with options builds a new one per call. Made
// on the first sort, not when the module loads (at activation): a collator loads ICU's data.
let collators: { byName: Intl.Collator; plain: Intl.Collator } | undefined;

function compareModels(a: ModelInfo, b: ModelInfo): number {
  collators ??= { byName: new Intl.Collator('en', { numeric: true }), plain: new Intl.Collator() };
  const { byName, plain } = collators;
  return plain.compare(a.provider, b.provider) || byName.compare(a.name, b.name) || plain.compare(a.id, b.id);
}

function originRank(model: ModelInfo): number {
  return model.origin === 'workspace' ? 2 : model.origin === 'settings' ? 1 : 0;
}

function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

/** The keys a model claims: its id's, then its aliases' (each exactly as written, then loosely where that differs). */
interface ClaimKeys {
  id: string[];
  aliases: string[];
}

// Per model object: a catalog with overrides shares the unchanged models of the one below it, and their keys.
const claimKeys = new WeakMap<ModelInfo, ClaimKeys>();

function claimKeysOf(model: ModelInfo): ClaimKeys {
  let keys = claimKeys.get(model);
  if (!keys) {
    keys = { id: keysOf(model.id), aliases: model.aliases.flatMap(keysOf) };
    claimKeys.set(model, keys);
  }
  return keys;
}

function keysOf(name: string): string[] {
  const exact = nameKey(name);
  const loose = looseOf(exact);
  return loose === exact ? [exact] : [exact, loose];
}

/** 'GPT-4o mini', 'gpt_4o_mini' and 'claude-sonnet-4.5' meet 'gpt-4o-mini' and 'claude-sonnet-4-5'. */
function looseKey(name: string): string {
  return looseOf(nameKey(name));
}

// Most names have none of these: the test spares building a new string for them.
const LOOSE_SEPARATORS = /[\s_.]/;

function looseOf(key: string): string {
  return LOOSE_SEPARATORS.test(key) ? key.replace(/[\s_.]+/g, '-') : key;
}

/** Punctuation-free form for measuring how close two names are. */
function compactKey(name: string): string {
  return nameKey(name).replace(/[\s_.\-/:]+/g, '');
}

