// The models the extension and the CLI know: built-in ones, then user overrides on top.
// Importing this module is cheap; the price package loads on the first `ModelCatalog.builtIn()`.
import type { ModelInfo, ModelOverride, ModelPricing } from '../types';
import { editDistance } from '../editDistance';
import { buildBuiltInModels } from './builtInModels';

/** What `ModelCatalog.resolve` returns: the model, or a message naming the closest known ids. */
export type ModelResolution = { model: ModelInfo } | { error: string; suggestions: string[] };

type OverrideOrigin = 'settings' | 'workspace';

const SUGGESTION_COUNT = 3;

// Prefixes that name a gateway or an API namespace rather than the model's maker; any model may follow.
const NAMESPACE_PREFIXES = new Set(['models', 'openrouter', 'azure', 'vertex_ai', 'vertex', 'litellm']);
// Prefixes that are another name for a provider.
const PROVIDER_PREFIX_ALIASES: Readonly<Record<string, string>> = {
  gemini: 'google',
  'google-gla': 'google',
  'google-vertex': 'google',
  'google-genai': 'google',
};

// A trailing snapshot date, version or '-latest': -2024-08-06, -20250514, @20250514, -0613, -001.
const DATED_SUFFIX = /(?:[-@](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{3,4})|-latest)$/;

let builtInCatalog: ModelCatalog | undefined;

/** Models by id and alias, looked up case-insensitively, with overrides layered on top. */
export class ModelCatalog {
  private readonly models: readonly ModelInfo[];
  private readonly byName = new Map<string, ModelInfo>();
  private readonly separatelyPriced: ReadonlyMap<string, string>;

  /**
   * @param separatelyPriced lower-cased ids that look like a dated id of a model but are priced on their
   *   own (e.g. 'gpt-4o-2024-05-13'), mapped to that model's id: they never fall back to it.
   */
  constructor(models: readonly ModelInfo[], separatelyPriced: ReadonlyMap<string, string> = new Map()) {
    this.models = [...models].sort(compareModels);
    this.separatelyPriced = separatelyPriced;
    // Ids claim their key before any alias does; among aliases, overrides claim theirs first.
    for (const model of this.models) this.claim(model.id, model);
    for (const model of [...this.models].sort((a, b) => originRank(b) - originRank(a))) {
      for (const alias of model.aliases) this.claim(alias, model);
    }
  }

  /** The built-in catalog: curated limits joined with @pydantic/genai-prices. Built once, on first use. */
  static builtIn(): ModelCatalog {
    if (!builtInCatalog) {
      const { models, separatelyPriced } = buildBuiltInModels(new Date());
      builtInCatalog = new ModelCatalog(models, separatelyPriced);
    }
    return builtInCatalog;
  }

  /**
   * A new catalog with `overrides` applied. An override naming an existing model by id or display name
   * is merged onto it; any other id (a dated snapshot, a fine-tune, a local model) becomes a model of its own.
   */
  withOverrides(overrides: readonly ModelOverride[], origin: OverrideOrigin): ModelCatalog {
    const models = new Map<string, ModelInfo>(this.models.map((model) => [model.id, model]));
    let current: ModelCatalog = this;
    for (const override of overrides) {
      const existing = current.modelNamed(override.id);
      const merged = existing
        ? mergeOverride(existing, override, origin)
        : newModel(override, origin, current.fineTuneBase(override.id));
      if (existing) models.delete(existing.id);
      models.set(merged.id, merged);
      // Later entries of the same list see earlier ones (a model added, then given a price).
      current = new ModelCatalog([...models.values()], this.separatelyPriced);
    }
    return current;
  }

  /**
   * The model for an id or alias: case-insensitive; a provider prefix ('openai/gpt-4.1',
   * 'anthropic:claude-sonnet-4') is dropped; a dated id falls back to its base model unless it is listed
   * itself or priced separately. Undefined when nothing matches.
   */
  find(idOrAlias: string): ModelInfo | undefined {
    const name = idOrAlias.trim();
    if (!name) return undefined;
    for (const candidate of withoutPrefixes(name, (provider) => this.hasProvider(provider))) {
      const model = this.lookUp(candidate.name, candidate.provider);
      if (model) return model;
    }
    return undefined;
  }

  /** Like `find`, but an unknown name gives a message naming the closest known ids. */
  resolve(name: string): ModelResolution {
    const model = this.find(name);
    if (model) return { model };
    const trimmed = name.trim();
    if (!trimmed) return { error: 'No model given.', suggestions: [] };
    const suggestions = this.closestIds(trimmed);
    const closest = suggestions.length > 0 ? ` Closest: ${suggestions.join(', ')}.` : '';
    const base = this.separatelyPriced.get(trimmed.toLowerCase());
    const why = base ? ` The price data lists it as a model of its own, not a dated ${base}; add it as a model override.` : '';
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

  private claim(name: string, model: ModelInfo): void {
    for (const key of [nameKey(name), looseKey(name)]) {
      if (!this.byName.has(key)) this.byName.set(key, model);
    }
  }

  /** The model whose id or display name is `name`, not counting other aliases. */
  private modelNamed(name: string): ModelInfo | undefined {
    const key = looseKey(name);
    return this.models.find((model) => looseKey(model.id) === key || looseKey(model.name) === key);
  }

  private hasProvider(provider: string): boolean {
    return this.models.some((model) => model.provider === provider);
  }

  private lookUp(name: string, provider: string | undefined): ModelInfo | undefined {
    const fits = (model: ModelInfo | undefined): ModelInfo | undefined =>
      model && (provider === undefined || model.provider === provider) ? model : undefined;
    const exact = fits(this.byName.get(nameKey(name)) ?? this.byName.get(looseKey(name)));
    if (exact) return exact;
    if (this.separatelyPriced.has(name.toLowerCase())) return undefined;
    const undated = name.replace(DATED_SUFFIX, '');
    if (undated === name || !undated) return undefined;
    return fits(this.byName.get(nameKey(undated)) ?? this.byName.get(looseKey(undated)));
  }

  /** The base of an OpenAI fine-tune id 'ft:gpt-4o-mini:org::abc', when the catalog knows it. */
  private fineTuneBase(id: string): ModelInfo | undefined {
    const base = /^ft:([^:]+):/i.exec(id.trim())?.[1];
    return base ? this.find(base) : undefined;
  }

  /** The ids closest to `name`, at most SUGGESTION_COUNT; none when nothing is close. */
  private closestIds(name: string): string[] {
    const query = compactKey(name);
    const scored = this.models.map((model) => {
      const names = [model.id, ...model.aliases].map(compactKey);
      const distance = Math.min(...names.map((candidate) => editDistance(query, candidate)));
      const isPrefix = names.some((candidate) => candidate.startsWith(query));
      return {
        id: model.id,
        // A name the query starts is as close as one edit: 'gpt4o' suggests 'gpt-4o-mini'.
        distance: isPrefix ? Math.min(distance, 1) : distance,
        isPrefix,
        lengthGap: Math.abs(compactKey(model.id).length - query.length),
      };
    });
    scored.sort(
      (a, b) =>
        a.distance - b.distance ||
        Number(b.isPrefix) - Number(a.isPrefix) ||
        a.lengthGap - b.lengthGap ||
        a.id.localeCompare(b.id),
    );
    // About one edit in three characters, as for config keys: 'gpt4o' finds 'gpt-4.1', 'llama-9' finds no 'gpt-4'.
    const allowed = Math.max(1, Math.floor(query.length / 3));
    return scored
      .filter((entry) => entry.distance <= allowed)
      .slice(0, SUGGESTION_COUNT)
      .map((entry) => entry.id);
  }
}

/** Candidate names for `name`: itself, then with each leading 'provider/' or 'provider:' dropped. */
function withoutPrefixes(name: string, isProvider: (provider: string) => boolean): { name: string; provider?: string }[] {
  const candidates: { name: string; provider?: string }[] = [{ name }];
  let rest = name;
  let provider: string | undefined;
  for (;;) {
    const match = /^([a-z0-9_.-]+)[/:](.+)$/i.exec(rest);
    if (!match) break;
    const prefix = match[1].toLowerCase();
    const named = PROVIDER_PREFIX_ALIASES[prefix] ?? prefix;
    if (NAMESPACE_PREFIXES.has(prefix)) {
      // A gateway says nothing about the maker.
    } else if (isProvider(named)) {
      provider = named;
    } else {
      break;
    }
    rest = match[2];
    candidates.push({ name: rest, provider });
  }
  return candidates;
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

function compareModels(a: ModelInfo, b: ModelInfo): number {
  return a.provider.localeCompare(b.provider) || a.name.localeCompare(b.name, 'en', { numeric: true }) || a.id.localeCompare(b.id);
}

function originRank(model: ModelInfo): number {
  return model.origin === 'workspace' ? 2 : model.origin === 'settings' ? 1 : 0;
}

function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

/** 'GPT-4o mini', 'gpt_4o_mini' and 'claude-sonnet-4.5' meet 'gpt-4o-mini' and 'claude-sonnet-4-5'. */
function looseKey(name: string): string {
  return nameKey(name).replace(/[\s_.]+/g, '-');
}

/** Punctuation-free form for measuring how close two names are. */
function compactKey(name: string): string {
  return nameKey(name).replace(/[\s_.\-/:]+/g, '');
}

