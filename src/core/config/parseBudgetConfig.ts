// Reads prompt-budget.yaml into a BudgetConfig, reporting every mistake at the exact key or value.
// Errors mean the config is not used (the caller keeps the last good one); warnings (unknown keys,
// unknown models) leave it in force, because the rest of the file still says what the user meant.

import picomatch from 'picomatch';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import type { ModelOverride, Problem, Severity, TokenizerId } from '../types';
import { AGENT_IDS, isAgentId, type AgentId } from '../usage/agents/agentIds';
import type { Budget, BudgetConfig, GlobPattern, SourcePosition, UsageConfig, UsageQuota } from './budgetConfig';
import { DEFAULT_WARN_AT } from './budgetConfig';
import { closestName } from './closestName';
import { dropUndefined } from './dropUndefined';

/** Keys accepted at the top level of the config. */
export const TOP_LEVEL_KEYS = ['version', 'defaultModel', 'warnAt', 'files', 'ignore', 'models', 'budgets', 'usage'] as const;

/** Keys accepted in an entry of `budgets`. */
export const BUDGET_KEYS = [
  'name',
  'files',
  'exclude',
  'model',
  'maxInputTokens',
  'maxTotalTokens',
  'expectedOutputTokens',
  'maxCostPerCall',
  'callsPerDay',
  'maxMonthlyCost',
  'warnAt',
  'usageTags',
] as const;

/** Keys accepted in `usage`. */
export const USAGE_KEYS = ['files', 'quotas', 'agents', 'ledger'] as const;

/** Keys accepted in an entry of `usage.quotas`. */
export const QUOTA_KEYS = ['name', 'period', 'models', 'users', 'tags', 'agents', 'maxCost', 'maxTokens', 'maxCalls', 'warnAt'] as const;

/** Periods a quota may cover. */
export const QUOTA_PERIODS = ['day', 'week', 'month', 'block'] as const;

/** Keys accepted in an entry of `models`. */
export const MODEL_KEYS = [
  'name',
  'provider',
  'aliases',
  'contextWindow',
  'maxInputTokens',
  'maxOutputTokens',
  'inputPerMillion',
  'outputPerMillion',
  'cachedInputPerMillion',
  'tokenizer',
] as const;

/** Tokenizers a model entry may name. */
export const TOKENIZER_IDS: readonly TokenizerId[] = ['o200k_base', 'cl100k_base', 'llama3', 'qwen3', 'deepseek_v3', 'tekken', 'gemma3', 'estimate', 'estimate-gemini', 'estimate-claude', 'estimate-claude-4.7', 'kimi_k2', 'glm45', 'qwen35', 'deepseek_v4', 'gemma4'];

// `hf:org/repo[@revision]`, as Hugging Face names repositories and revisions.
const HF_TOKENIZER = /^hf:[\w.-]+\/[\w.-]+(@[\w./-]+)?$/;

/** A `tokenizer` value that names a vocabulary file rather than a tokenizer id: `hf:…`, or a path (a slash, or a file name). */
function isTokenizerFile(value: string): boolean {
  return value.startsWith('hf:') || /[/\\]/.test(value) || /\.(json|tiktoken|model)$/.test(value);
}

export interface ParseBudgetConfigOptions {
  /** True when the catalog knows `name` (by id or alias), otherwise the closest ids to suggest. */
  isKnownModel?: (name: string) => string[] | true;
}

export interface ParsedBudgetConfig {
  /** Present when there are no errors; warnings may remain in `problems`. */
  config?: BudgetConfig;
  problems: Problem[];
}

type Rule = 'yaml-syntax' | 'unknown-key' | 'invalid-type' | 'invalid-value' | 'missing-key' | 'duplicate-budget' | 'duplicate-quota' | 'unknown-model' | 'unsupported-version';

interface NumberRule {
  integer: boolean;
  /** Smallest allowed value. */
  min: number;
  /** When true, `min` itself is not allowed. */
  exclusiveMin?: boolean;
  max?: number;
}

const TOKEN_LIMIT: NumberRule = { integer: true, min: 0, exclusiveMin: true };
const TOKEN_COUNT: NumberRule = { integer: true, min: 0 };
const USD: NumberRule = { integer: false, min: 0 };
const WARN_AT: NumberRule = { integer: false, min: 0, exclusiveMin: true, max: 1 };

/** Parses prompt-budget.yaml text; never throws, and returns `config` only when there are no errors. */
export function parseBudgetConfig(file: string, text: string, options: ParseBudgetConfigOptions = {}): ParsedBudgetConfig {
  try {
    return parse(file, text, options);
  } catch (error) {
    // A bug here must not take the editor down with it; the user still gets a message.
    const message = error instanceof Error ? error.message : String(error);
    return { problems: [{ file, line: 1, column: 1, severity: 'error', rule: 'yaml-syntax', message: `Could not read the config: ${message}` }] };
  }
}

class ConfigReader {
  readonly problems: Problem[] = [];
  readonly modelRefs: { name: string; position: SourcePosition }[] = [];

  constructor(
    readonly file: string,
    private readonly lineCounter: LineCounter,
    private readonly doc: Document,
  ) {}

  report(rule: Rule, severity: Severity, position: SourcePosition, message: string): void {
    // Messages quote the config; a control character quoted raw (a lone \r) would garble the terminal line.
    const shown = message.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => (c === '\t' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    this.problems.push({ file: this.file, ...position, severity, rule, message: shown });
  }

  positionOfRange(start: number, end: number): SourcePosition {
    const from = this.lineCounter.linePos(start);
    const to = this.lineCounter.linePos(Math.max(start, end));
    return { line: Math.max(1, from.line), column: from.col, endLine: Math.max(1, to.line), endColumn: to.col };
  }

  positionOf(node: Node | null | undefined, fallback?: SourcePosition): SourcePosition {
    const range = node?.range;
    // An empty value (`key:`) has an empty range; point at the key instead.
    if (!range || (range[1] <= range[0] && fallback)) return fallback ?? this.positionOfRange(0, 0);
    return this.positionOfRange(range[0], range[1]);
  }

  /** The value node behind an alias, so `*anchor` is checked like the value it names. */
  resolve(node: unknown): unknown {
    return isAlias(node) ? (node.resolve(this.doc) ?? node) : node;
  }

  keyName(pair: Pair): string | undefined {
    return isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : undefined;
  }

  keyPosition(pair: Pair): SourcePosition {
    return this.positionOf(pair.key as Node);
  }

  valuePosition(pair: Pair): SourcePosition {
    return this.positionOf(pair.value as Node | null, this.keyPosition(pair));
  }

  /** The pairs of a map with string keys; other keys are reported. Unknown keys get a "did you mean". */
  entries(map: YAMLMap, allowed: readonly string[] | undefined, where: string): { key: string; pair: Pair }[] {
    const out: { key: string; pair: Pair }[] = [];
    for (const pair of map.items) {
      const key = this.keyName(pair);
      if (key === undefined) {
        this.report('invalid-type', 'error', this.keyPosition(pair), `Keys ${where} must be plain names.`);
        continue;
      }
      if (allowed && !allowed.includes(key)) {
        const suggestion = closestName(key, allowed);
        const hint = suggestion ? ` Did you mean '${suggestion}'?` : ` Expected one of: ${allowed.join(', ')}.`;
        this.report('unknown-key', 'warning', this.keyPosition(pair), `Unknown key '${key}'.${hint}`);
        continue;
      }
      out.push({ key, pair });
    }
    return out;
  }

  wrongType(pair: Pair, key: string, expected: string): void {
    const actual = describe(this.resolve(pair.value));
    this.report('invalid-type', 'error', this.valuePosition(pair), `'${key}' must be ${expected}, not ${actual}.`);
  }

  readString(pair: Pair, key: string): string | undefined {
    const node = this.resolve(pair.value);
    if (isScalar(node) && typeof node.value === 'string') {
      if (node.value.trim() === '') {
        this.report('invalid-value', 'error', this.valuePosition(pair), `'${key}' must not be empty.`);
        return undefined;
      }
      return node.value;
    }
    this.wrongType(pair, key, 'a string');
    return undefined;
  }

  readNumber(pair: Pair, key: string, rule: NumberRule): number | undefined {
    const node = this.resolve(pair.value);
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value)) {
      this.wrongType(pair, key, 'a number');
      return undefined;
    }
    const value = node.value;
    const position = this.valuePosition(pair);
    if (key === 'warnAt' && (value <= 0 || value > 1)) {
      this.report('invalid-value', 'error', position, `'warnAt' must be above 0 and at most 1, e.g. 0.8 to warn at 80% of a limit.`);
      return undefined;
    }
    if (value < rule.min) {
      this.report('invalid-value', 'error', position, `'${key}' cannot be negative.`);
      return undefined;
    }
    if (rule.exclusiveMin && value === rule.min) {
      this.report('invalid-value', 'error', position, `'${key}' must be greater than ${rule.min}.`);
      return undefined;
    }
    if (rule.max !== undefined && value > rule.max) {
      this.report('invalid-value', 'error', position, `'${key}' must be at most ${rule.max}.`);
      return undefined;
    }
    if (rule.integer && !Number.isInteger(value)) {
      this.report('invalid-value', 'error', position, `'${key}' must be a whole number.`);
      return undefined;
    }
    // Past 2^53 whole numbers are no longer exact (1e23 + 1 === 1e23): no real token count is that large.
    if (rule.integer && !Number.isSafeInteger(value)) {
      this.report('invalid-value', 'error', position, `'${key}' must be at most ${Number.MAX_SAFE_INTEGER}.`);
      return undefined;
    }
    return value;
  }

  /** A string or a list of strings, each a valid glob relative to the config's folder. */
  readGlobs(pair: Pair, key: string): GlobPattern[] | undefined {
    const node = this.resolve(pair.value);
    const items: { node: unknown; position: SourcePosition }[] = [];
    if (isScalar(node) && typeof node.value === 'string') {
      items.push({ node, position: this.valuePosition(pair) });
    } else if (isSeq(node)) {
      for (const item of node.items) items.push({ node: this.resolve(item), position: this.positionOf(item as Node, this.valuePosition(pair)) });
      if (items.length === 0) {
        this.report('invalid-value', 'error', this.valuePosition(pair), `'${key}' needs at least one glob.`);
        return undefined;
      }
    } else {
      this.wrongType(pair, key, 'a glob or a list of globs');
      return undefined;
    }
    const globs: GlobPattern[] = [];
    let ok = true;
    for (const item of items) {
      if (!isScalar(item.node) || typeof item.node.value !== 'string') {
        this.report('invalid-type', 'error', item.position, `Each glob in '${key}' must be a string, not ${describe(item.node)}.`);
        ok = false;
        continue;
      }
      const problem = globProblem(item.node.value);
      if (problem) {
        this.report('invalid-value', 'error', item.position, `${problem} (in '${key}')`);
        ok = false;
        continue;
      }
      globs.push({ pattern: item.node.value, position: item.position });
    }
    return ok ? globs : undefined;
  }

  readStringList(pair: Pair, key: string): string[] | undefined {
    const node = this.resolve(pair.value);
    if (!isSeq(node)) {
      this.wrongType(pair, key, 'a list of strings');
      return undefined;
    }
    const values: string[] = [];
    for (const raw of node.items) {
      const item = this.resolve(raw);
      if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') {
        values.push(item.value);
      } else {
        this.report('invalid-type', 'error', this.positionOf(raw as Node, this.valuePosition(pair)), `Each entry of '${key}' must be a non-empty string.`);
        return undefined;
      }
    }
    return values;
  }
}

function parse(file: string, text: string, options: ParseBudgetConfigOptions): ParsedBudgetConfig {
  // `text` comes without the file's BOM (the editor and decodePromptText drop it). A second one is a
  // character the editor shows, so positions count it; YAML itself reads it as a byte order mark.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const reader = new ConfigReader(file, lineCounter, doc);

  for (const error of doc.errors) {
    const [start, end] = error.pos;
    if (error.code === 'DUPLICATE_KEY') {
      // The parser marks only the key's first character; the squiggle should cover the whole key.
      const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n#]*[^:\s#])/.exec(text.slice(start))?.[0] ?? text.slice(start, end);
      reader.report('yaml-syntax', 'error', reader.positionOfRange(start, start + key.length), `Duplicate key '${key.replace(/^["']|["']$/g, '')}'.`);
    } else {
      reader.report('yaml-syntax', 'error', reader.positionOfRange(start, end), firstLine(error.message));
    }
  }
  for (const warning of doc.warnings) {
    reader.report('yaml-syntax', 'warning', reader.positionOfRange(warning.pos[0], warning.pos[1]), firstLine(warning.message));
  }
  // The tree of a document with syntax errors is a guess; checking it would pile up misleading problems.
  if (doc.errors.length > 0) return { problems: sortProblems(reader.problems) };

  const config: BudgetConfig = { file, version: 1, warnAt: DEFAULT_WARN_AT, files: [], ignore: [], models: [], budgets: [] };
  const contents = doc.contents;
  const isEmpty = contents === null || (isScalar(contents) && contents.value === null);
  if (!isEmpty && !isMap(contents)) {
    reader.report('invalid-type', 'error', reader.positionOf(contents), `The config must be a map of keys such as 'budgets' and 'models', not ${describe(contents)}.`);
  }
  if (isMap(contents)) readTopLevel(reader, contents, config);

  checkModels(reader, config, options);
  const problems = sortProblems(reader.problems);
  return problems.some((problem) => problem.severity === 'error') ? { problems } : { config, problems };
}

function readTopLevel(reader: ConfigReader, map: YAMLMap, config: BudgetConfig): void {
  const entries = reader.entries(map, TOP_LEVEL_KEYS, 'at the top level');
  // warnAt first: budgets inherit it, wherever it is written.
  const warnAtEntry = entries.find((entry) => entry.key === 'warnAt');
  if (warnAtEntry) config.warnAt = reader.readNumber(warnAtEntry.pair, 'warnAt', WARN_AT) ?? DEFAULT_WARN_AT;

  for (const { key, pair } of entries) {
    switch (key) {
      case 'version': {
        const node = reader.resolve(pair.value);
        if (!isScalar(node) || typeof node.value !== 'number') {
          reader.wrongType(pair, key, 'the number 1');
        } else if (node.value !== 1) {
          reader.report('unsupported-version', 'error', reader.valuePosition(pair), `Unsupported config version ${node.value}; this version of Prompt Budget reads version 1.`);
        }
        break;
      }
      case 'defaultModel': {
        const model = reader.readString(pair, key);
        if (model !== undefined) {
          config.defaultModel = model;
          config.defaultModelPosition = reader.valuePosition(pair);
          reader.modelRefs.push({ name: model, position: config.defaultModelPosition });
        }
        break;
      }
      case 'files':
      case 'ignore':
        config[key] = reader.readGlobs(pair, key) ?? [];
        break;
      case 'models':
        config.models = readModels(reader, pair);
        break;
      case 'budgets':
        config.budgets = readBudgets(reader, pair, config.warnAt);
        break;
      case 'usage':
        config.usage = readUsage(reader, pair, config.warnAt);
        break;
    }
  }
}

function readUsage(reader: ConfigReader, pair: Pair, topWarnAt: number): UsageConfig | undefined {
  const node = reader.resolve(pair.value);
  if (!isMap(node)) {
    reader.wrongType(pair, 'usage', "a map with 'files' (globs of usage logs) and 'quotas'");
    return undefined;
  }
  const usage: UsageConfig = { files: [], quotas: [] };
  for (const { key, pair: field } of reader.entries(node, USAGE_KEYS, "in 'usage'")) {
    if (key === 'files') usage.files = reader.readGlobs(field, 'usage.files') ?? [];
    else if (key === 'agents') usage.agents = readAgents(reader, field);
    else if (key === 'ledger') readLedger(reader, field, usage);
    else usage.quotas = readQuotas(reader, field, topWarnAt);
  }
  // A ledger file is a usage log too: the CLI, the editor and quota checks read it with the others.
  if (usage.ledger && usage.ledgerPosition && !/^(postgres(ql)?:\/\/|env:)/i.test(usage.ledger)) {
    usage.files.push({ pattern: usage.ledger.replace(/^\.\//, '').replace(/[*?[\]{}()!+@]/g, '\\$&'), position: usage.ledgerPosition });
  }
  return usage;
}

/** `usage.agents`: the coding agents whose own usage files are read (AGENT_IDS). */
function readAgents(reader: ConfigReader, pair: Pair): AgentId[] | undefined {
  const names = reader.readStringList(pair, 'agents');
  if (!names) return undefined;
  const unknown = names.find((name) => !isAgentId(name));
  if (unknown !== undefined) {
    reader.report('invalid-value', 'error', reader.valuePosition(pair), `'agents' takes ${AGENT_IDS.join(', ')}, not '${unknown}'.`);
    return undefined;
  }
  return names as AgentId[];
}

/** `usage.ledger`: a JSONL file beside the config, or a postgres:// URL whose password comes from the environment. */
function readLedger(reader: ConfigReader, pair: Pair, usage: UsageConfig): void {
  const ledger = reader.readString(pair, 'ledger');
  if (ledger === undefined) return;
  const position = reader.valuePosition(pair);
  if (/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/i.test(ledger)) {
    reader.report('invalid-value', 'error', position, `'ledger' must not hold a password: write postgres://user@host/db and set PGPASSWORD, or name the whole URL with env:VARIABLE.`);
    return;
  }
  if (!/^(postgres(ql)?:\/\/|env:)/i.test(ledger) && /^(\/|[A-Za-z]:[\\/])/.test(ledger)) {
    reader.report('invalid-value', 'error', position, `'ledger' is a file relative to the folder of this file, e.g. usage/ledger.jsonl.`);
    return;
  }
  usage.ledger = ledger;
  usage.ledgerPosition = position;
}

function readQuotas(reader: ConfigReader, pair: Pair, topWarnAt: number): UsageQuota[] {
  return readNamedList<Partial<UsageQuota>, UsageQuota>(reader, pair, {
    listKey: 'quotas',
    listShape: 'a list of quotas (each line starting with "- name:")',
    noun: 'Quota',
    itemShape: "a map with 'name', 'period' and a limit",
    keys: QUOTA_KEYS,
    duplicateRule: 'duplicate-quota',
    duplicateHint: '',
    required: [
      { anyOf: ['name'], message: "has no 'name'; the usage view and CLI show it by name." },
      { anyOf: ['period'], message: "has no 'period'; use day, week, month or block." },
      { anyOf: ['maxCost', 'maxTokens', 'maxCalls'], message: 'sets no limit; add maxCost, maxTokens or maxCalls.' },
    ],
    start: () => ({ warnAt: topWarnAt }),
    // Kept where the file has it, as the other keys are.
    named: (quota, name) => (quota.name = name),
    readField(key, field, quota) {
      switch (key) {
        case 'period': {
          const value = reader.resolve(field.value);
          const period = QUOTA_PERIODS.find((known) => isScalar(value) && value.value === known);
          if (period) quota.period = period;
          else reader.report('invalid-value', 'error', reader.valuePosition(field), `'period' must be one of ${QUOTA_PERIODS.join(', ')}, not ${describe(value)}.`);
          break;
        }
        case 'models':
        case 'users':
        case 'tags':
        case 'agents':
          quota[key] = reader.readStringList(field, key);
          break;
        case 'maxCost':
          quota.maxCost = reader.readNumber(field, key, USD);
          break;
        case 'maxTokens':
        case 'maxCalls':
          quota[key] = reader.readNumber(field, key, TOKEN_LIMIT);
          break;
        case 'warnAt':
          quota.warnAt = reader.readNumber(field, key, WARN_AT) ?? topWarnAt;
          break;
      }
    },
    finish({ fields: quota, name, positions, anchor, valid }) {
      if (!valid || name === undefined || quota.period === undefined) return undefined;
      return dropUndefined({ ...quota, name, period: quota.period, warnAt: quota.warnAt ?? topWarnAt, position: positions.name ?? anchor, positions }) as UsageQuota;
    },
  });
}

function readModels(reader: ConfigReader, pair: Pair): ModelOverride[] {
  const node = reader.resolve(pair.value);
  if (!isMap(node)) {
    reader.wrongType(pair, 'models', 'a map of model ids to their figures');
    return [];
  }
  const models: ModelOverride[] = [];
  for (const { key: id, pair: modelPair } of reader.entries(node, undefined, "in 'models'")) {
    const body = reader.resolve(modelPair.value);
    if (!isMap(body)) {
      reader.wrongType(modelPair, id, 'a map such as { contextWindow: 8192, tokenizer: cl100k_base }');
      continue;
    }
    const model: ModelOverride = { id };
    for (const { key, pair: field } of reader.entries(body, MODEL_KEYS, `in model '${id}'`)) {
      switch (key) {
        case 'name':
        case 'provider':
          model[key] = reader.readString(field, key);
          break;
        case 'aliases':
          model.aliases = reader.readStringList(field, key);
          break;
        case 'contextWindow':
        case 'maxInputTokens':
        case 'maxOutputTokens':
          model[key] = reader.readNumber(field, key, TOKEN_LIMIT);
          break;
        case 'inputPerMillion':
        case 'outputPerMillion':
        case 'cachedInputPerMillion':
          model[key] = reader.readNumber(field, key, USD);
          break;
        case 'tokenizer': {
          const value = reader.resolve(field.value);
          const tokenizer = TOKENIZER_IDS.find((known) => isScalar(value) && value.value === known);
          const text = isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
          if (tokenizer) {
            model.tokenizer = tokenizer;
          } else if (text !== undefined && text.startsWith('hf:') && !HF_TOKENIZER.test(text)) {
            reader.report('invalid-value', 'error', reader.valuePosition(field), `'${text}' is not hf:<org>/<repo> or hf:<org>/<repo>@<revision>.`);
          } else if (text !== undefined && isTokenizerFile(text)) {
            // Counted as the estimate until the file is read and converted (resolveCustomTokenizers).
            model.tokenizer = 'estimate';
            model.tokenizerFile = { spec: text, ...reader.valuePosition(field) };
          } else {
            const written = isScalar(value) ? String(value.value) : describe(value);
            const suggestion = closestName(written, TOKENIZER_IDS);
            const hint = suggestion ? `Did you mean '${suggestion}'?` : `Use one of: ${TOKENIZER_IDS.join(', ')}, a path to a tokenizer.json, tekken.json or tiktoken file, or hf:<org>/<repo>.`;
            reader.report('invalid-value', 'error', reader.valuePosition(field), `Unknown tokenizer '${written}'. ${hint}`);
          }
          break;
        }
      }
    }
    models.push(dropUndefined(model));
  }
  return models;
}

/** What a budget entry has read so far: its limits by key, the rest by name. */
interface BudgetFields {
  values: Partial<Record<string, number>>;
  files?: GlobPattern[];
  exclude: GlobPattern[];
  model?: string;
  warnAt: number;
  usageTags?: string[];
}

function readBudgets(reader: ConfigReader, pair: Pair, topWarnAt: number): Budget[] {
  return readNamedList<BudgetFields, Budget>(reader, pair, {
    listKey: 'budgets',
    listShape: 'a list of budgets (each line starting with "- name:")',
    noun: 'Budget',
    itemShape: "a map with 'name' and 'files'",
    keys: BUDGET_KEYS,
    duplicateRule: 'duplicate-budget',
    // Names identify budgets in reports and the tree; 'Support' and 'support ' would be confused.
    duplicateHint: '; reports would mix them up',
    required: [
      { anyOf: ['name'], message: "has no 'name'; reports and the budget view show it by name." },
      { anyOf: ['files'], message: `has no 'files'; add globs of its prompt files, e.g. files: ["prompts/support/**/*.md"].` },
    ],
    start: () => ({ values: {}, exclude: [], warnAt: topWarnAt }),
    readField(key, field, budget) {
      switch (key) {
        case 'files':
          budget.files = reader.readGlobs(field, key);
          break;
        case 'exclude':
          budget.exclude = reader.readGlobs(field, key) ?? [];
          break;
        case 'model':
          budget.model = reader.readString(field, key);
          if (budget.model !== undefined) reader.modelRefs.push({ name: budget.model, position: reader.valuePosition(field) });
          break;
        case 'warnAt':
          budget.warnAt = reader.readNumber(field, key, WARN_AT) ?? topWarnAt;
          break;
        case 'usageTags':
          budget.usageTags = reader.readStringList(field, key);
          break;
        case 'maxInputTokens':
        case 'maxTotalTokens':
          budget.values[key] = reader.readNumber(field, key, TOKEN_LIMIT);
          break;
        case 'expectedOutputTokens':
        case 'callsPerDay':
          budget.values[key] = reader.readNumber(field, key, TOKEN_COUNT);
          break;
        case 'maxCostPerCall':
        case 'maxMonthlyCost':
          budget.values[key] = reader.readNumber(field, key, USD);
          break;
      }
    },
    finish({ fields: budget, name, positions, anchor, valid }) {
      const { values } = budget;
      const monthly = positions.maxMonthlyCost;
      if (monthly && values.maxMonthlyCost !== undefined && values.callsPerDay === undefined) {
        reader.report('missing-key', 'error', monthly, `'maxMonthlyCost' needs 'callsPerDay' in the same budget to work out a month of calls.`);
        return undefined;
      }
      if (!valid || name === undefined || budget.files === undefined) return undefined;
      return dropUndefined({
        name,
        files: budget.files,
        exclude: budget.exclude,
        model: budget.model,
        maxInputTokens: values.maxInputTokens,
        maxTotalTokens: values.maxTotalTokens,
        expectedOutputTokens: values.expectedOutputTokens,
        maxCostPerCall: values.maxCostPerCall,
        callsPerDay: values.callsPerDay,
        maxMonthlyCost: values.maxMonthlyCost,
        warnAt: budget.warnAt,
        usageTags: budget.usageTags,
        position: positions.name ?? anchor,
        positions,
      });
    },
  });
}

/** How one list of named entries (`budgets`, `usage.quotas`) is read; readNamedList does the rest. */
interface NamedListSpec<Fields, Entry> {
  /** The list's key, as messages name it. */
  listKey: string;
  /** What the list must be, for the message when it is not a list. */
  listShape: string;
  /** How messages name one entry: 'Budget', 'Quota'. */
  noun: string;
  /** What an entry must be, for the message when it is not a map. */
  itemShape: string;
  keys: readonly string[];
  duplicateRule: Rule;
  /** Said after "<noun> name 'x' is already used on line N". */
  duplicateHint: string;
  /** Keys an entry must have (any one of `anyOf`), and what the message says after the entry's label. */
  required: readonly { anyOf: readonly string[]; message: string }[];
  /** A new entry's fields before any key is read (inherited defaults). */
  start(): Fields;
  /** Called with the entry's name once read. */
  named?(fields: Fields, name: string | undefined): void;
  /** Reads one key other than `name` into the fields, reporting what is wrong with it. */
  readField(key: string, field: Pair, fields: Fields): void;
  /** The entry, or undefined when it is invalid (`valid` false) or a check across its keys fails (reported here). */
  finish(entry: { fields: Fields; name: string | undefined; positions: Partial<Record<string, SourcePosition>>; anchor: SourcePosition; valid: boolean }): Entry | undefined;
}

/**
 * The one skeleton of a list of named maps: the list's and each entry's shape, unknown keys, a name
 * used twice (case and spaces aside), and missing keys, reported at the entry; `spec` reads the rest.
 */
function readNamedList<Fields, Entry>(reader: ConfigReader, pair: Pair, spec: NamedListSpec<Fields, Entry>): Entry[] {
  const node = reader.resolve(pair.value);
  if (!isSeq(node)) {
    reader.wrongType(pair, spec.listKey, spec.listShape);
    return [];
  }
  const entries: Entry[] = [];
  const seen = new Map<string, SourcePosition>();
  node.items.forEach((raw, index) => {
    const item = reader.resolve(raw);
    const itemPosition = reader.positionOf(raw as Node, reader.valuePosition(pair));
    if (!isMap(item)) {
      reader.report('invalid-type', 'error', itemPosition, `${spec.noun} ${index + 1} must be ${spec.itemShape}, not ${describe(item)}.`);
      return;
    }
    const pairs = reader.entries(item, spec.keys, `in ${spec.noun.toLowerCase()} ${index + 1}`);
    const positions: Partial<Record<string, SourcePosition>> = {};
    const fields = spec.start();
    let name: string | undefined;
    let valid = true;
    for (const { key, pair: field } of pairs) {
      positions[key] = reader.valuePosition(field);
      const before = reader.problems.length;
      if (key === 'name') {
        name = readEntryName(reader, field, seen, spec);
        spec.named?.(fields, name);
      } else {
        spec.readField(key, field, fields);
      }
      if (reader.problems.length > before) valid = false;
    }
    // Missing keys are reported at the entry's first key, so the squiggle sits on the entry itself.
    const anchor = pairs.length > 0 ? reader.keyPosition(pairs[0].pair) : itemPosition;
    const label = name !== undefined ? `${spec.noun} '${name}'` : `${spec.noun} ${index + 1}`;
    for (const required of spec.required) {
      if (pairs.some((entry) => required.anyOf.includes(entry.key))) continue;
      reader.report('missing-key', 'error', anchor, `${label} ${required.message}`);
      valid = false;
    }
    const entry = spec.finish({ fields, name, positions, anchor, valid });
    if (entry) entries.push(entry);
  });
  return entries;
}

/** An entry's `name`, reported when a name before it in the list is the same but for case and spaces. */
function readEntryName(reader: ConfigReader, field: Pair, seen: Map<string, SourcePosition>, spec: { noun: string; duplicateRule: Rule; duplicateHint: string }): string | undefined {
  const name = reader.readString(field, 'name');
  if (name === undefined) return undefined;
  const normalized = name.trim().toLowerCase();
  const first = seen.get(normalized);
  if (first) reader.report(spec.duplicateRule, 'error', reader.valuePosition(field), `${spec.noun} name '${name}' is already used on line ${first.line}${spec.duplicateHint}.`);
  else seen.set(normalized, reader.valuePosition(field));
  return name;
}

/** Models named by `defaultModel` and budgets must be in the catalog or in the file's own `models`. */
function checkModels(reader: ConfigReader, config: BudgetConfig, options: ParseBudgetConfigOptions): void {
  const local = new Map<string, string>();
  for (const model of config.models) {
    for (const name of [model.id, ...(model.aliases ?? [])]) local.set(name.toLowerCase(), model.id);
  }
  for (const ref of reader.modelRefs) {
    if (local.has(ref.name.toLowerCase())) continue;
    if (!options.isKnownModel) continue;
    const answer = options.isKnownModel(ref.name);
    if (answer === true) continue;
    const localSuggestion = closestName(ref.name, config.models.map((model) => model.id));
    const suggestions = [...(localSuggestion ? [localSuggestion] : []), ...answer].slice(0, 3);
    const hint = suggestions.length > 0 ? ` Did you mean ${orList(suggestions)}?` : ` Add it under 'models' with its context window and prices.`;
    reader.report('unknown-model', 'warning', ref.position, `Unknown model '${ref.name}'.${hint}`);
  }
}

/** Why a glob can never match a path relative to the config's folder, or undefined when it is fine. */
function globProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'A glob must not be empty';
  if (pattern.startsWith('/') || /^[A-Za-z]:[\\/]/.test(pattern)) return `Glob '${pattern}' is absolute; globs are relative to the folder of the config file`;
  if (pattern.startsWith('../')) return `Glob '${pattern}' leaves the folder of the config file; put the config higher up instead`;
  try {
    picomatch.makeRe(pattern, { dot: true });
  } catch {
    return `Glob '${pattern}' is not a valid pattern`;
  }
  return undefined;
}

function describe(node: unknown): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  const value = isScalar(node) ? node.value : node;
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'boolean') return `${value}`;
  if (typeof value === 'number') return `the number ${value}`;
  return 'a value of another kind';
}

function orList(items: readonly string[]): string {
  const quoted = items.map((item) => `'${item}'`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
