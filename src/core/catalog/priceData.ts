// The price data the catalog is built from: @pydantic/genai-prices' bundled data, or a newer copy of
// its published data file (downloaded by an opt-in update, or named with --prices). A data file is
// parsed as JSON and checked against the shape below before use; nothing in it is ever executed.
import type * as GenaiPrices from '@pydantic/genai-prices';
import bundledProviderIds from './bundledProviderIds.json';
import { MAX_REGEX_INPUT_LENGTH, unsafeRegexReason } from './priceRegex';

/** A price match rule of the package: how a model id is recognised. */
export type MatchRule =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { or: MatchRule[] }
  | { and: MatchRule[] };

/** A per-million price, flat or tiered by prompt length (the tier price applies once input exceeds `start`). */
export type PriceValue = number | { base: number; tiers: { start: number; price: number }[] };

export type PriceTable = Record<string, PriceValue | undefined>;

/** When a conditional price applies: from a date on, or at a time of day (off-peak discounts). */
export type PriceConstraint = { type: 'start_date'; start_date: string } | { type: 'time_of_date'; start_time: string; end_time: string };

export interface PriceModel {
  id: string;
  name?: string;
  match: MatchRule;
  context_window?: number;
  deprecated?: boolean;
  prices: PriceTable | { constraint?: PriceConstraint; prices: PriceTable }[];
}

export interface PriceProvider {
  id: string;
  name: string;
  pricing_urls?: string[];
  model_match?: MatchRule;
  fallback_model_providers?: string[];
  models: PriceModel[];
}

/** Price data and where it came from. */
export interface PriceData {
  providers: PriceProvider[];
  /** 'bundled': the package's own data; 'update': a downloaded copy; 'file': a file named by the user. */
  origin: 'bundled' | 'update' | 'file';
  /** The date of the data (YYYY-MM-DD): the package's publish date, or the download's Last-Modified. */
  date: string;
  /** For people: "@pydantic/genai-prices 0.1.8 (data of 2026-09-23)". */
  label: string;
  url?: string;
}

/**
 * The package and the date of its data. The package exposes no data date, so this is the npm
 * publish date of the version (`npm view @pydantic/genai-prices time`); a unit test checks the
 * version against the installed one, so an upgrade cannot leave a stale date behind.
 */
export const PRICE_PACKAGE = { name: '@pydantic/genai-prices', version: '0.1.8', publishedOn: '2026-09-23' } as const;

/** The package's published data file, which its own auto-update reads (`REMOTE_DATA_JSON_URL`). */
export const DEFAULT_PRICES_URL = 'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json';

/** The largest price data file read or downloaded: the published file is about 0.5 MB. */
export const MAX_PRICE_DATA_BYTES = 16 * 1024 * 1024;

/** '16 MB', '0.5 MB', '12 KB'. */
export function formatMegabytes(bytes: number): string {
  if (bytes < 100 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  const megabytes = bytes / (1024 * 1024);
  return `${megabytes >= 10 ? Math.round(megabytes) : Math.round(megabytes * 10) / 10} MB`;
}

/** Price data older than this many days gets a warning. */
export const STALE_AFTER_DAYS = 60;

/**
 * The providers of the bundled data. The package has no call that lists them, only `findProvider`
 * by id; a unit test compares this list with the package's whole data, so an upgrade cannot hide one.
 * Kept in a JSON file: the build reads it too, to write the data's JSON copy.
 */
export const BUNDLED_PROVIDER_IDS: readonly string[] = bundledProviderIds;

let bundled: PriceData | undefined;

/**
 * The file the build writes beside the bundles (esbuild.mjs): the bundled providers of the package, as
 * JSON. Parsing it takes a few ms; evaluating the package's half megabyte of JavaScript takes 50-100 ms,
 * on the extension host's thread before a freshly opened window's first count.
 */
export const BUNDLED_PRICES_COPY = 'genaiPrices.json';

/** The package's bundled data: the build's JSON copy of it beside the running bundle, else the package itself. */
export function bundledPriceData(): PriceData {
  if (!bundled) {
    bundled = {
      providers: readBundledPriceCopy(__dirname) ?? packageProviders(),
      origin: 'bundled',
      date: PRICE_PACKAGE.publishedOn,
      label: `${PRICE_PACKAGE.name} ${PRICE_PACKAGE.version} (data of ${PRICE_PACKAGE.publishedOn})`,
    };
  }
  return bundled;
}

/**
 * The providers of the JSON copy in `folder`, if it holds one of this version of the package; undefined
 * when it does not (compiled tests run from out/, which has none), or the copy is unreadable or of
 * another version (a stale build): the package is then read instead.
 */
export function readBundledPriceCopy(folder: string): PriceProvider[] | undefined {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { join } = require('node:path') as typeof import('node:path');
  try {
    const copy = JSON.parse(readFileSync(join(folder, BUNDLED_PRICES_COPY), 'utf8')) as { version?: unknown; providers?: unknown };
    return copy.version === PRICE_PACKAGE.version && Array.isArray(copy.providers) ? (copy.providers as PriceProvider[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The bundled providers, from the package. A plain require keeps the load lazy in Node and in the esbuild bundle alike. */
function packageProviders(): PriceProvider[] {
  const prices = require('@pydantic/genai-prices') as typeof GenaiPrices;
  return BUNDLED_PROVIDER_IDS.map((id) => prices.findProvider({ providerId: id }))
    .filter((provider): provider is GenaiPrices.Provider => provider?.id !== undefined)
    .map((provider) => provider as unknown as PriceProvider);
}

/** The outcome of reading a data file: its providers, or why it cannot be used. */
export type ParsedPriceData = { providers: PriceProvider[] } | { error: string };

/**
 * Parses a price data file (the package's data.json, or the envelope `prices update` writes) and checks
 * every provider, model, match rule and price against the package's shape. Any flaw rejects the whole file.
 */
export function parsePriceData(text: string): ParsedPriceData {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: `not valid JSON (${error instanceof Error ? error.message : String(error)}); the file may be truncated` };
  }
  const list = isRecord(json) && Array.isArray(json.providers) ? json.providers : json;
  if (!Array.isArray(list)) return { error: 'expected a list of providers' };
  if (list.length === 0) return { error: 'the file lists no providers' };
  const providers: PriceProvider[] = [];
  const seen = new Set<string>();
  for (const [index, value] of list.entries()) {
    const problem = providerProblem(value);
    if (problem) return { error: `provider ${index + 1}${isRecord(value) && typeof value.id === 'string' ? ` ('${value.id}')` : ''}: ${problem}` };
    const provider = value as unknown as PriceProvider;
    // Listed twice, a provider's models would be priced by whichever copy comes first: not plausible data.
    if (seen.has(provider.id)) return { error: `provider ${index + 1} ('${provider.id}') is listed twice` };
    seen.add(provider.id);
    providers.push(normalizeProvider(provider));
  }
  if (!providers.some((provider) => provider.models.some((model) => textPrices(model, new Date()).input_mtok !== undefined))) {
    return { error: 'no model has a per-token input price' };
  }
  return { providers };
}

/** The envelope `prices update` stores: the data plus where and when it came from. */
export interface PriceCache {
  url: string;
  /** YYYY-MM-DD: the download's Last-Modified, else the day it was fetched. */
  date: string;
  fetchedAt: string;
  providers: unknown;
}

/** Reads a cache envelope's date and url, if the text is one (a plain data file has neither). */
export function cacheInfo(text: string): { date?: string; url?: string } {
  const match = /^\s*\{\s*"url"\s*:\s*("(?:[^"\\]|\\.)*")\s*,\s*"date"\s*:\s*"(\d{4}-\d{2}-\d{2})"/.exec(text.slice(0, 2000));
  if (!match) return {};
  try {
    return { url: JSON.parse(match[1]) as string, date: match[2] };
  } catch {
    return { date: match[2] };
  }
}

/** Age of data dated `date` at `now`, in whole days. */
export function ageInDays(date: string, now: Date): number {
  const then = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(then) ? 0 : Math.floor((now.getTime() - then) / 86_400_000);
}

/** A warning when the data is older than STALE_AFTER_DAYS, else undefined. */
export function stalenessWarning(data: Pick<PriceData, 'date'>, now: Date): string | undefined {
  const age = ageInDays(data.date, now);
  if (age <= STALE_AFTER_DAYS) return undefined;
  return `Prices are from ${data.date}, ${age} days old; prices change often. Update them with 'prompt-budget prices update' or the command 'Prompt Budget: Update Prices'.`;
}

/**
 * The prices of a model in effect at `at`: the last start-date price that has started. Time-of-day
 * prices (off-peak discounts) are left out: a catalog shows the standard price, not the hour's.
 */
export function textPrices(model: PriceModel, at: Date): PriceTable {
  if (!Array.isArray(model.prices)) return model.prices;
  let chosen: PriceTable | undefined;
  for (const entry of model.prices) {
    const constraint = entry.constraint;
    if (!constraint) chosen ??= entry.prices;
    else if (constraint.type === 'start_date' && at >= new Date(constraint.start_date)) chosen = entry.prices;
  }
  return chosen ?? model.prices[0]?.prices ?? {};
}

/** True when some price of the model applies only at certain hours. */
export function hasTimeOfDayPrices(model: PriceModel): boolean {
  return Array.isArray(model.prices) && model.prices.some((entry) => entry.constraint?.type === 'time_of_date');
}

const regexCache = new Map<string, RegExp | null>();

/**
 * The package's match semantics: case-insensitive string rules, regexes as written. A regex that could
 * backtrack catastrophically never matches, and is never tried on a name longer than MAX_REGEX_INPUT_LENGTH.
 */
export function matches(rule: MatchRule, name: string): boolean {
  if ('or' in rule) return rule.or.some((inner) => matches(inner, name));
  if ('and' in rule) return rule.and.every((inner) => matches(inner, name));
  const lower = name.toLowerCase();
  if ('equals' in rule) return lower === rule.equals.toLowerCase();
  if ('starts_with' in rule) return lower.startsWith(rule.starts_with.toLowerCase());
  if ('ends_with' in rule) return lower.endsWith(rule.ends_with.toLowerCase());
  if ('contains' in rule) return lower.includes(rule.contains.toLowerCase());
  if (name.length > MAX_REGEX_INPUT_LENGTH) return false;
  return compiled(rule.regex)?.test(name) ?? false;
}

/** The exact names a rule names (`equals` leaves under `or`). */
export function equalsNames(rule: MatchRule): string[] {
  if ('equals' in rule) return [rule.equals];
  if ('or' in rule) return rule.or.flatMap(equalsNames);
  return [];
}

function compiled(source: string): RegExp | null {
  let regex = regexCache.get(source);
  if (regex === undefined) {
    try {
      regex = unsafeRegexReason(source) === undefined ? new RegExp(source) : null;
    } catch {
      regex = null;
    }
    regexCache.set(source, regex);
  }
  return regex;
}

/** Whether `url` is an absolute http: or https: address (what price data may name as a source or a link). */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s/?#]+/i.test(url);
}

// --- Shape checks -------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrice(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0;
  return (
    isRecord(value) &&
    isPrice(value.base) &&
    typeof value.base === 'number' &&
    Array.isArray(value.tiers) &&
    value.tiers.every((tier) => isRecord(tier) && Number.isSafeInteger(tier.start) && (tier.start as number) >= 0 && typeof tier.price === 'number' && isPrice(tier.price))
  );
}

function priceTableProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'prices must be an object';
  for (const [key, price] of Object.entries(value)) {
    if (price !== undefined && price !== null && !isPrice(price)) return `price '${key}' is not a non-negative number or tiered price`;
  }
  return undefined;
}

function ruleProblem(value: unknown, depth = 0): string | undefined {
  if (depth > 20) return 'match rule nested too deeply';
  if (!isRecord(value)) return 'match rule must be an object';
  const keys = Object.keys(value);
  if (keys.length !== 1) return 'match rule must have exactly one key';
  const [key] = keys;
  const inner = value[key];
  if (key === 'or' || key === 'and') {
    if (!Array.isArray(inner) || inner.length === 0) return `'${key}' must be a non-empty list`;
    for (const rule of inner) {
      const problem = ruleProblem(rule, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!['equals', 'starts_with', 'ends_with', 'contains', 'regex'].includes(key)) return `unknown match rule '${key}'`;
  if (typeof inner !== 'string') return `'${key}' must be a string`;
  if (key === 'regex') {
    const unsafe = unsafeRegexReason(inner);
    if (unsafe) return `regex refused, as it could take unbounded time to match (${unsafe})`;
    if (compiled(inner) === null) return `invalid regex '${inner}'`;
  }
  return undefined;
}

function constraintProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return 'constraint must be an object';
  if (typeof value.start_date === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(value.start_date) ? undefined : 'start_date must be YYYY-MM-DD';
  if (typeof value.start_time === 'string' && typeof value.end_time === 'string') return undefined;
  return 'constraint must have a start_date or start_time and end_time';
}

function modelProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'a model must be an object';
  if (typeof value.id !== 'string' || !value.id) return 'a model lacks an id';
  const where = `model '${value.id}'`;
  if (value.name !== undefined && typeof value.name !== 'string') return `${where}: name must be a string`;
  if (value.deprecated !== undefined && typeof value.deprecated !== 'boolean') return `${where}: deprecated must be true or false`;
  if (value.context_window !== undefined && !(Number.isSafeInteger(value.context_window) && (value.context_window as number) > 0)) {
    return `${where}: context_window must be a positive integer`;
  }
  const rule = ruleProblem(value.match);
  if (rule) return `${where}: ${rule}`;
  if (Array.isArray(value.prices)) {
    if (value.prices.length === 0) return `${where}: prices is an empty list`;
    for (const entry of value.prices) {
      if (!isRecord(entry)) return `${where}: a conditional price must be an object`;
      const problem = priceTableProblem(entry.prices) ?? constraintProblem(entry.constraint);
      if (problem) return `${where}: ${problem}`;
    }
    return undefined;
  }
  const problem = priceTableProblem(value.prices);
  return problem ? `${where}: ${problem}` : undefined;
}

function providerProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'must be an object';
  if (typeof value.id !== 'string' || !value.id) return 'lacks an id';
  if (typeof value.name !== 'string') return 'lacks a name';
  if (!Array.isArray(value.models)) return 'lacks a models list';
  if (value.model_match !== undefined) {
    const problem = ruleProblem(value.model_match);
    if (problem) return `model_match: ${problem}`;
  }
  if (value.pricing_urls !== undefined && !(Array.isArray(value.pricing_urls) && value.pricing_urls.every((url) => typeof url === 'string'))) {
    return 'pricing_urls must be a list of strings';
  }
  const badUrl = (value.pricing_urls as string[] | undefined)?.find((url) => !isWebUrl(url));
  if (badUrl !== undefined) return `pricing_urls: '${badUrl.slice(0, 80)}' is not an http(s) address`;
  if (
    value.fallback_model_providers !== undefined &&
    !(Array.isArray(value.fallback_model_providers) && value.fallback_model_providers.every((id) => typeof id === 'string'))
  ) {
    return 'fallback_model_providers must be a list of strings';
  }
  for (const model of value.models) {
    const problem = modelProblem(model);
    if (problem) return problem;
  }
  return undefined;
}

/** Constraints written without a type (`{ start_date }`), as the data file has them, get the type the package infers. */
function normalizeProvider(provider: PriceProvider): PriceProvider {
  return {
    ...provider,
    models: provider.models.map((model) =>
      Array.isArray(model.prices)
        ? {
            ...model,
            prices: model.prices.map((entry) => {
              const constraint = entry.constraint as Record<string, string> | undefined;
              if (!constraint || constraint.type) return entry;
              return constraint.start_date !== undefined
                ? { ...entry, constraint: { type: 'start_date' as const, start_date: constraint.start_date } }
                : { ...entry, constraint: { type: 'time_of_date' as const, start_time: constraint.start_time, end_time: constraint.end_time } };
            }),
          }
        : model,
    ),
  };
}
