// Prices a usage record at the record's own time, cache reads and writes included, with the price
// data every command uses (activePriceData: --prices FILE, a saved `prices update`, else the bundled
// data). The model is found in that data here; @pydantic/genai-prices' own calculation then prices it.
// The package is required lazily (as catalog/packagePrices.ts does): activation never parses its
// data. Pricing each call through the package is too slow for a gigabyte of logs, so prices are
// reduced to per-token rates once per model and day (exact: the package's price is linear in each
// kind of token); calls above a tiered price's first tier and time-of-day prices still go through
// the package call by call.
import type * as GenaiPrices from '@pydantic/genai-prices';
import { activePriceData } from '../catalog/activePriceData';
import { loadGenaiPrices } from './loadGenaiPrices';
import { matches, type MatchRule, type PriceModel, type PriceProvider } from '../catalog/priceData';

/** Token counts of one record, in the package's terms. */
export interface TokenUsage {
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
}

interface Rates {
  perCall: number;
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

/** Flat rates hold for calls with at most `upTo` input tokens (a tiered price's first tier); others go through the package. */
type Pricing = { kind: 'none' } | { kind: 'flat'; rates: Rates; upTo: number; provider: string } | { kind: 'per-call'; provider: string };

const DAY_MS = 86_400_000;
const MILLION = 1_000_000;

/** Prices records; keeps its per-model rates, so one instance should price a whole read. */
export class UsagePricer {
  private readonly pricing = new Map<string, Pricing>();
  private readonly providers = new Map<string, string | undefined>();
  /** The providers of the price data in effect when this pricer was made. */
  private readonly data = activePriceData().providers;

  /** USD for `usage` of `model` at `time`, or undefined when the price data does not know the model. */
  price(provider: string, model: string, time: number, usage: TokenUsage): number | undefined {
    const pricing = this.lookup(provider, model, time);
    if (pricing.kind === 'none') return undefined;
    if (pricing.kind === 'flat' && usage.inputTokens <= pricing.upTo * Math.max(1, usage.calls)) {
      const rates = pricing.rates;
      const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
      return (
        rates.perCall * usage.calls +
        rates.input * uncached +
        rates.cacheRead * usage.cachedInputTokens +
        rates.cacheWrite * usage.cacheWriteTokens +
        rates.output * usage.outputTokens
      );
    }
    return this.calc(provider, model, new Date(time), usage);
  }

  /** The provider whose price applies to `model` (another than `provider` when the model is not `provider`'s). */
  pricedProvider(provider: string, model: string, time: number): string | undefined {
    const pricing = this.lookup(provider, model, time);
    return pricing.kind === 'none' ? undefined : pricing.provider;
  }

  private lookup(provider: string, model: string, time: number): Pricing {
    const key = `${provider}\u0000${model}\u0000${Math.floor(time / DAY_MS)}`;
    let pricing = this.pricing.get(key);
    if (!pricing) {
      pricing = this.pricingFor(provider, model, new Date(time));
      this.pricing.set(key, pricing);
    }
    return pricing;
  }

  /** The provider the price data names for a model id, for formats that do not say (Langfuse). */
  providerOf(model: string): string | undefined {
    if (!this.providers.has(model)) this.providers.set(model, providerForModel(this.data, model.toLowerCase().trim())?.id);
    return this.providers.get(model);
  }

  /** Per call, with bucketed records (usage exports) priced as `calls` calls of the mean size. */
  private calc(provider: string, model: string, at: Date, usage: TokenUsage): number | undefined {
    const calls = Math.max(1, usage.calls);
    const mean = (value: number) => value / calls;
    const result = this.safeCalc(
      {
        input_tokens: mean(usage.inputTokens),
        cache_read_tokens: mean(usage.cachedInputTokens),
        cache_write_tokens: mean(usage.cacheWriteTokens),
        output_tokens: mean(usage.outputTokens),
      },
      provider,
      model,
      at,
    );
    return result === undefined ? undefined : result.total_price * calls;
  }

  private pricingFor(provider: string, model: string, at: Date): Pricing {
    const base = this.safeCalc({ input_tokens: 0, output_tokens: 0 }, provider, model, at);
    if (!base) return { kind: 'none' };
    const timeOfDay = Array.isArray(base.model.prices) && base.model.prices.some((entry) => entry.constraint?.type === 'time_of_date');
    if (timeOfDay) return { kind: 'per-call', provider: base.provider.id };
    // Tiers switch on the input tokens of a call: below the first tier's start the price is flat.
    const tierStarts = Object.values(base.model_price).flatMap((value) => (typeof value === 'object' ? value.tiers.map((tier) => tier.start) : []));
    const upTo = tierStarts.length > 0 ? Math.min(...tierStarts) : Infinity;
    const probe = Math.min(MILLION, upTo);
    if (probe <= 0) return { kind: 'per-call', provider: base.provider.id };
    const total = (usage: GenaiPrices.Usage) => this.safeCalc(usage, provider, model, at)?.total_price ?? 0;
    const perCall = base.total_price;
    const input = (total({ input_tokens: probe, output_tokens: 0 }) - perCall) / probe;
    const cacheRead = (total({ input_tokens: probe, cache_read_tokens: probe, output_tokens: 0 }) - perCall) / probe;
    const cacheWrite = (total({ input_tokens: probe, cache_write_tokens: probe, output_tokens: 0 }) - perCall) / probe;
    const output = (total({ input_tokens: 0, output_tokens: probe }) - perCall) / probe;
    return { kind: 'flat', rates: { perCall, input, cacheRead, cacheWrite, output }, upTo, provider: base.provider.id };
  }

  private safeCalc(usage: GenaiPrices.Usage, provider: string, model: string, at: Date): GenaiPrices.PriceCalculation | undefined {
    const id = model.toLowerCase().trim();
    // The provider id narrows the match (an OpenAI-compatible id could otherwise price as another
    // provider's model); without a known provider the data finds one from the model id.
    const named = providerById(this.data, provider);
    let found = named && modelIn(this.data, named, id);
    if (!found) {
      const byModel = providerForModel(this.data, id);
      found = byModel && modelIn(this.data, byModel, id);
    }
    if (!found) return undefined;
    // The package prices the one model found, matched by its exact id: no rule of the data runs twice.
    const only = { ...found.provider, models: [{ ...found.model, match: { equals: id } }], fallback_model_providers: undefined } as unknown as GenaiPrices.Provider;
    try {
      return loadGenaiPrices().calcPrice(usage, id, { provider: only, timestamp: at }) ?? undefined;
    } catch {
      // The package rejects inconsistent usage (cache reads above input): no price rather than a crash.
      return undefined;
    }
  }
}

/** A rule's verdict; a rule the data got wrong matches nothing. */
function safeMatch(rule: MatchRule | undefined, name: string): boolean {
  if (!rule) return false;
  try {
    return matches(rule, name);
  } catch {
    return false;
  }
}

/** The provider with this id, else one whose `provider_match` takes it (as the package finds providers). */
function providerById(providers: readonly PriceProvider[], id: string): PriceProvider | undefined {
  const lower = id.toLowerCase().trim();
  return providers.find((provider) => provider.id === lower) ?? providers.find((provider) => safeMatch((provider as { provider_match?: MatchRule }).provider_match, lower));
}

/** The provider whose `model_match` takes a model id. */
function providerForModel(providers: readonly PriceProvider[], id: string): PriceProvider | undefined {
  return providers.find((provider) => safeMatch(provider.model_match, id));
}

/** A model of `provider` (or of its fallback providers) matching `id`, retried with a dated id's date written as YYYY-MM-DD. */
function modelIn(providers: readonly PriceProvider[], provider: PriceProvider, id: string): { provider: PriceProvider; model: PriceModel } | undefined {
  const find = (candidate: string) => {
    const own = provider.models.find((model) => safeMatch(model.match, candidate));
    if (own) return { provider, model: own };
    for (const fallbackId of provider.fallback_model_providers ?? []) {
      const fallback = providers.find((other) => other.id === fallbackId);
      const model = fallback?.models.find((entry) => safeMatch(entry.match, candidate));
      // Priced as the package prices it: the fallback's model under the provider asked for.
      if (model) return { provider, model };
    }
    return undefined;
  };
  const dated = id.replace(/(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g, '$1$2-$3-$4');
  return find(id) ?? (dated !== id ? find(dated) : undefined);
}
