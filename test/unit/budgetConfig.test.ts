import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  BUDGET_KEYS,
  MODEL_KEYS,
  parseBudgetConfig,
  TOKENIZER_IDS,
  TOP_LEVEL_KEYS,
} from '../../src/core/config/parseBudgetConfig';
import { CONFIG_FILE_NAMES, findConfigFile } from '../../src/core/config/findConfigFile';
import { parseConfigSource } from '../../src/core/config/readBudgetConfig';
import { decodePromptText } from '../../src/core/io/decodePromptText';
import { starterConfig } from '../../src/core/config/starterConfig';
import type { Problem } from '../../src/core/types';

const root = path.resolve(__dirname, '../../..');
const fixture = (name: string): string => fs.readFileSync(path.join(root, 'test/fixtures/budgets', name), 'utf8');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'media/prompt-budget.schema.json'), 'utf8')) as JsonSchema;

const CATALOG = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5'];
const isKnownModel = (name: string): string[] | true =>
  CATALOG.includes(name.toLowerCase()) ? true : CATALOG.filter((id) => id.replace(/-/g, '').startsWith(name.toLowerCase().replace(/-/g, '').slice(0, 4)));

/** The problem of one rule, asserting there is exactly one. */
function only(problems: Problem[], rule: string): Problem {
  const matching = problems.filter((problem) => problem.rule === rule);
  assert.equal(matching.length, 1, `expected one '${rule}' problem, got ${JSON.stringify(problems, null, 1)}`);
  return matching[0];
}

function at(problem: Problem): string {
  return `${problem.line}:${problem.column}-${problem.endLine}:${problem.endColumn}`;
}

describe('parseBudgetConfig', () => {
  test('reads the README example into budgets, models and defaults', () => {
    const { config, problems } = parseBudgetConfig('prompt-budget.yaml', fixture('brief-example.yaml'), { isKnownModel });
    assert.deepEqual(problems, []);
    assert.ok(config);
    assert.equal(config.defaultModel, 'gpt-4o');
    assert.equal(config.warnAt, 0.8);
    assert.deepEqual(config.models, [
      { id: 'local-llama', contextWindow: 8192, maxOutputTokens: 2048, inputPerMillion: 0, outputPerMillion: 0, tokenizer: 'cl100k_base' },
    ]);
    const [support] = config.budgets;
    assert.equal(support.name, 'Support agent');
    assert.equal(support.model, 'gpt-4o-mini');
    assert.deepEqual(
      [support.maxInputTokens, support.expectedOutputTokens, support.maxCostPerCall, support.callsPerDay, support.maxMonthlyCost, support.warnAt],
      [2000, 400, 0.01, 5000, 50, 0.8],
    );
    assert.deepEqual(support.files.map((glob) => glob.pattern), ['prompts/support/**/*.md']);
    // The glob keeps its position (inside the flow list, quotes included) for "matches no file" warnings.
    assert.deepEqual(support.files[0].position, { line: 13, column: 13, endLine: 13, endColumn: 38 });
    assert.deepEqual(support.position, { line: 12, column: 11, endLine: 12, endColumn: 24 });
    assert.deepEqual(support.positions.maxMonthlyCost, { line: 19, column: 21, endLine: 19, endColumn: 23 });
  });

  test('reads the extended keys: files, ignore, exclude, aliases, an input cap, cached prices, per-budget warnAt, a single glob string', () => {
    const { config, problems } = parseBudgetConfig('prompt-budget.yaml', fixture('valid.yaml'), { isKnownModel });
    assert.deepEqual(problems, []);
    assert.ok(config);
    assert.deepEqual(config.files.map((glob) => glob.pattern), ['prompts/**/*.md', '**/*.prompty']);
    assert.deepEqual(config.ignore.map((glob) => glob.pattern), ['prompts/drafts/**']);
    assert.deepEqual(config.models[0].aliases, ['llama-local']);
    assert.equal(config.models[0].provider, 'ollama');
    assert.equal(config.models[0].maxInputTokens, 6144);
    assert.deepEqual(config.models[1], { id: 'gpt-4o', cachedInputPerMillion: 1.25 });
    const [support, nightly] = config.budgets;
    assert.deepEqual(support.exclude.map((glob) => glob.pattern), ['prompts/support/**/*.test.md']);
    assert.equal(support.maxTotalTokens, 2400);
    assert.equal(nightly.warnAt, 0.9);
    assert.deepEqual(nightly.files.map((glob) => glob.pattern), ['prompts/summaries/*.md']);
    // 'llama-local' is an alias of a model defined in the same file, so it is known without the catalog.
    assert.equal(nightly.model, 'llama-local');
  });

  test('points at each mistake with its exact line and column, and withholds the config', () => {
    const { config, problems } = parseBudgetConfig('prompt-budget.yaml', fixture('errors.yaml'), { isKnownModel });
    assert.equal(config, undefined);
    const summary = problems.map((problem) => `${at(problem)} ${problem.severity} ${problem.rule}`);
    assert.deepEqual(summary, [
      '2:9-2:12 error invalid-value', // warnAt: 1.5
      '5:20-5:25 error invalid-value', // contextWindow: -8192
      '6:16-6:22 error invalid-value', // tokenizer: cl100k
      '10:21-10:27 error invalid-type', // maxInputTokens: "2000"
      '11:21-11:26 error invalid-value', // maxCostPerCall: -0.01
      '12:5-12:10 error missing-key', // a budget without name, at its first key
      '13:11-13:24 error duplicate-budget', // the second 'Support agent'
      '15:5-15:9 error missing-key', // 'No files' has no files
      '16:21-16:23 error missing-key', // maxMonthlyCost without callsPerDay
    ]);
    assert.match(problems[0].message, /'warnAt' must be above 0 and at most 1/);
    assert.equal(problems[1].message, "'contextWindow' cannot be negative.");
    assert.equal(problems[2].message, "Unknown tokenizer 'cl100k'. Use one of: o200k_base, cl100k_base, llama3, qwen3, deepseek_v3, tekken, gemma3, estimate, estimate-gemini, estimate-claude, estimate-claude-4.7, kimi_k2, glm45, qwen35, deepseek_v4, gemma4, a path to a tokenizer.json, tekken.json or tiktoken file, or hf:<org>/<repo>.");
    assert.equal(problems[3].message, "'maxInputTokens' must be a number, not the string '2000'.");
    assert.equal(problems[6].message, "Budget name 'Support agent' is already used on line 8; reports would mix them up.");
    assert.ok(problems.every((problem) => problem.file === 'prompt-budget.yaml'));
  });

  test('suggests the closest key for a typo and keeps the config in force (warning)', () => {
    const { config, problems } = parseBudgetConfig('prompt-budget.yaml', fixture('typos.yaml'), { isKnownModel });
    assert.ok(config, 'warnings leave the config in force');
    const typo = only(problems, 'unknown-key');
    assert.equal(typo.message, "Unknown key 'maxInputToken'. Did you mean 'maxInputTokens'?");
    assert.equal(typo.severity, 'warning');
    assert.equal(at(typo), '6:5-6:18');
    assert.equal(config.budgets[0].maxInputTokens, undefined);
  });

  test('warns about unknown models with the suggestions of the catalog callback', () => {
    const { config, problems } = parseBudgetConfig('prompt-budget.yaml', fixture('typos.yaml'), { isKnownModel });
    assert.ok(config);
    const unknown = only(problems, 'unknown-model');
    assert.equal(unknown.message, "Unknown model 'gpt4o'. Did you mean 'gpt-4o' or 'gpt-4o-mini'?");
    assert.equal(unknown.severity, 'warning');
    assert.equal(at(unknown), '2:15-2:20');
  });

  test('without a catalog callback, model names are not checked', () => {
    const { problems } = parseBudgetConfig('prompt-budget.yaml', 'defaultModel: anything-goes\n');
    assert.deepEqual(problems, []);
  });

  test('an unknown model with no close match says how to add it', () => {
    const { problems } = parseBudgetConfig('c.yaml', 'defaultModel: zzz\n', { isKnownModel: () => [] });
    assert.equal(only(problems, 'unknown-model').message, "Unknown model 'zzz'. Add it under 'models' with its context window and prices.");
  });

  test('reports YAML syntax errors at their position and returns no config', () => {
    const { config, problems } = parseBudgetConfig('prompt-budget.yaml', fixture('syntax-error.yaml'));
    assert.equal(config, undefined);
    assert.ok(problems.length >= 1);
    assert.ok(problems.every((problem) => problem.rule === 'yaml-syntax' && problem.severity === 'error'));
    assert.equal(problems[0].line, 5);
    assert.equal(problems[0].column, 5);
    assert.doesNotMatch(problems[0].message, /\n/);
  });

  test('a duplicate key is a syntax error at the second key', () => {
    const { config, problems } = parseBudgetConfig('c.yaml', 'warnAt: 0.5\nwarnAt: 0.6\n');
    assert.equal(config, undefined);
    const duplicate = only(problems, 'yaml-syntax');
    assert.equal(duplicate.message, "Duplicate key 'warnAt'.");
    assert.equal(at(duplicate), '2:1-2:7');
  });

  test('a top-level key typo gets a suggestion too', () => {
    const { problems } = parseBudgetConfig('c.yaml', 'version: 1\nbudget:\n  - name: x\n');
    const typo = only(problems, 'unknown-key');
    assert.equal(typo.message, "Unknown key 'budget'. Did you mean 'budgets'?");
    assert.equal(at(typo), '2:1-2:7');
  });

  test('keys inside a model entry are checked against model keys', () => {
    const { problems } = parseBudgetConfig('c.yaml', 'models:\n  my-model:\n    contextwindow: 8192\n');
    const typo = only(problems, 'unknown-key');
    assert.equal(typo.message, "Unknown key 'contextwindow'. Did you mean 'contextWindow'?");
    assert.equal(at(typo), '3:5-3:18');
  });

  test('positions ignore a BOM and work with CRLF line endings', () => {
    const text = '\uFEFFversion: 1\r\nbudgets:\r\n  - name: A\r\n    files: "a.md"\r\n    maxInputTokens: -1\r\n';
    const problem = only(parseBudgetConfig('c.yaml', text).problems, 'invalid-value');
    assert.equal(at(problem), '5:21-5:23');
  });

  test('rejects wrong types with what was found', () => {
    const cases: [string, string, string][] = [
      ['warnAt: high\n', '1:9-1:13', "'warnAt' must be a number, not the string 'high'."],
      ['budgets:\n  name: x\n', '2:3-3:1', `'budgets' must be a list of budgets (each line starting with "- name:"), not a map.`],
      ['budgets:\n  - name: x\n    files: 3\n', '3:12-3:13', "'files' must be a glob or a list of globs, not the number 3."],
      ['budgets:\n  - name: x\n    files: [a.md, 7]\n', '3:19-3:20', "Each glob in 'files' must be a string, not the number 7."],
      ['budgets:\n  - name: x\n    files: a.md\n    maxInputTokens:\n', '4:5-4:19', "'maxInputTokens' must be a number, not empty."],
      ['models:\n  m:\n    aliases: m2\n', '3:14-3:16', "'aliases' must be a list of strings, not the string 'm2'."],
      ['version: "1"\n', '1:10-1:13', "'version' must be the number 1, not the string '1'."],
      ['- a\n- b\n', '1:1-3:1', "The config must be a map of keys such as 'budgets' and 'models', not a list."],
    ];
    for (const [text, position, message] of cases) {
      const { config, problems } = parseBudgetConfig('c.yaml', text);
      assert.equal(config, undefined, text);
      assert.equal(problems.length, 1, `${text}: ${JSON.stringify(problems)}`);
      assert.equal(problems[0].rule, 'invalid-type', text);
      assert.equal(problems[0].message, message, text);
      assert.equal(at(problems[0]), position, text);
    }
  });

  test('rejects out-of-range values: zero windows, fractional tokens, bad globs, warnAt 0, other versions', () => {
    const cases: [string, string, string, string][] = [
      ['models:\n  m:\n    contextWindow: 0\n', 'invalid-value', '3:20-3:21', "'contextWindow' must be greater than 0."],
      ['budgets:\n  - name: x\n    files: a.md\n    maxInputTokens: 10.5\n', 'invalid-value', '4:21-4:25', "'maxInputTokens' must be a whole number."],
      ['budgets:\n  - name: x\n    files: /abs/*.md\n', 'invalid-value', '3:12-3:21', "Glob '/abs/*.md' is absolute; globs are relative to the folder of the config file (in 'files')"],
      ['budgets:\n  - name: x\n    files: ["../up/*.md"]\n', 'invalid-value', '3:13-3:25', "Glob '../up/*.md' leaves the folder of the config file; put the config higher up instead (in 'files')"],
      ['budgets:\n  - name: x\n    files: []\n', 'invalid-value', '3:12-3:14', "'files' needs at least one glob."],
      ['warnAt: 0\n', 'invalid-value', '1:9-1:10', "'warnAt' must be above 0 and at most 1, e.g. 0.8 to warn at 80% of a limit."],
      ['version: 2\n', 'unsupported-version', '1:10-1:11', 'Unsupported config version 2; this version of Prompt Budget reads version 1.'],
    ];
    for (const [text, rule, position, message] of cases) {
      const { config, problems } = parseBudgetConfig('c.yaml', text);
      assert.equal(config, undefined, text);
      assert.equal(problems.length, 1, `${text}: ${JSON.stringify(problems)}`);
      assert.equal(problems[0].rule, rule, text);
      assert.equal(problems[0].message, message, text);
      assert.equal(at(problems[0]), position, text);
    }
  });

  test('warnAt of exactly 1 and limits of 0 are allowed', () => {
    const { config, problems } = parseBudgetConfig('c.yaml', 'warnAt: 1\nbudgets:\n  - name: Free\n    files: a.md\n    maxCostPerCall: 0\n');
    assert.deepEqual(problems, []);
    assert.equal(config?.budgets[0].maxCostPerCall, 0);
    assert.equal(config?.budgets[0].warnAt, 1);
  });

  test('a budget inherits the top-level warnAt even when it is written after the budgets', () => {
    const { config } = parseBudgetConfig('c.yaml', 'budgets:\n  - name: A\n    files: a.md\nwarnAt: 0.5\n');
    assert.equal(config?.budgets[0].warnAt, 0.5);
  });

  test('YAML anchors and aliases are read as the values they name', () => {
    const text = 'budgets:\n  - name: A\n    files: &shared ["a/*.md"]\n    maxInputTokens: &limit 100\n  - name: B\n    files: *shared\n    maxInputTokens: *limit\n';
    const { config, problems } = parseBudgetConfig('c.yaml', text);
    assert.deepEqual(problems, []);
    assert.deepEqual(config?.budgets[1].files.map((glob) => glob.pattern), ['a/*.md']);
    assert.equal(config?.budgets[1].maxInputTokens, 100);
  });

  test('an empty file is a config with no budgets', () => {
    for (const text of ['', '# only a comment\n', '\uFEFF']) {
      const { config, problems } = parseBudgetConfig('c.yaml', text);
      assert.deepEqual(problems, []);
      assert.deepEqual(config?.budgets, []);
      assert.equal(config?.warnAt, 0.8);
    }
  });

  test('never throws, whatever the input', () => {
    const inputs = ['{', ']]]', 'budgets: [[[', ':\n:', '- - - -', '? [a]\n: b', 'models: { [1]: 2 }', 'a: !!binary x', '\t\tx: 1', 'budgets:\n  - *nope\n'];
    for (const text of inputs) {
      const result = parseBudgetConfig('c.yaml', text);
      assert.ok(Array.isArray(result.problems), text);
      for (const problem of result.problems) {
        assert.ok(problem.line >= 1 && problem.column >= 1, `${text}: ${JSON.stringify(problem)}`);
      }
    }
  });

  test('a binary or non-UTF-8 config is "not read" (a prompt is "not counted"), at the bad byte, with no config', () => {
    const binary = parseConfigSource('prompt-budget.yaml', new Uint8Array([0x76, 0x3a, 0x00, 0x31]), undefined);
    assert.equal(binary.config, undefined);
    assert.deepEqual(binary.problems.map((problem) => [problem.rule, problem.message]), [
      ['binary-file', 'prompt-budget.yaml is a binary file (it contains NUL bytes); not read.'],
    ]);
    const latin1 = parseConfigSource('prompt-budget.yaml', new Uint8Array([...Buffer.from('version: 1\n# caf'), 0xe9, 0x0a]), undefined);
    assert.deepEqual(latin1.problems.map((problem) => [problem.line, problem.column, problem.message]), [
      [2, 6, 'prompt-budget.yaml is not valid UTF-8; not read. Save it as UTF-8.'],
    ]);
    const prompt = decodePromptText('notes.txt', new Uint8Array([0x00]));
    assert.ok('problem' in prompt && prompt.problem.message.endsWith('; not counted.'));
  });
});

describe('findConfigFile', () => {
  // A folder as the probe sees it: reading a name that is absent rejects, as fs.readFile and workspace.fs.stat do.
  const folder = (names: string[]) => async (name: string) => {
    if (!names.includes(name)) throw Object.assign(new Error(`${name}: not found`), { code: 'ENOENT' });
    return `contents of ${name}`;
  };

  test('prefers prompt-budget.yaml, then .yml, then the hidden file', async () => {
    assert.deepEqual(CONFIG_FILE_NAMES, ['prompt-budget.yaml', 'prompt-budget.yml', '.prompt-budget.yaml']);
    assert.equal((await findConfigFile(folder(['.prompt-budget.yaml', 'prompt-budget.yml', 'README.md'])))?.name, 'prompt-budget.yml');
    assert.deepEqual(await findConfigFile(folder(['.prompt-budget.yaml', 'prompt-budget.yaml'])), {
      name: 'prompt-budget.yaml',
      found: 'contents of prompt-budget.yaml',
    });
    assert.equal((await findConfigFile(folder(['.prompt-budget.yaml'])))?.name, '.prompt-budget.yaml');
  });

  test('matches names exactly, and finds nothing in a folder without a config', async () => {
    assert.equal(await findConfigFile(folder(['Prompt-Budget.yaml', 'budget.yaml'])), undefined);
    // A probe may also say "absent" by returning undefined.
    assert.equal(await findConfigFile(async () => undefined), undefined);
  });
});

describe('starterConfig', () => {
  test('parses with zero problems and has one budget', () => {
    const { config, problems } = parseBudgetConfig('prompt-budget.yaml', starterConfig(), { isKnownModel });
    assert.deepEqual(problems, []);
    assert.equal(config?.budgets.length, 1);
    assert.equal(config?.defaultModel, 'gpt-4o-mini');
  });

  test('writes the given model and globs safely quoted', () => {
    const text = starterConfig({ defaultModel: 'claude-sonnet-4-5', files: ['.github/prompts/**/*.prompt.md', 'a "quoted": dir/*.md'] });
    const { config, problems } = parseBudgetConfig('prompt-budget.yaml', text, { isKnownModel });
    assert.deepEqual(problems, []);
    assert.equal(config?.defaultModel, 'claude-sonnet-4-5');
    assert.deepEqual(config?.budgets[0].files.map((glob) => glob.pattern), ['.github/prompts/**/*.prompt.md', 'a "quoted": dir/*.md']);
  });

  test('is valid against the JSON schema', () => {
    assert.deepEqual(validate(schema, parseYaml(starterConfig())), []);
  });
});

describe('JSON schema (media/prompt-budget.schema.json)', () => {
  test('is draft-07 and accepts the valid examples', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    for (const name of ['brief-example.yaml', 'valid.yaml']) {
      assert.deepEqual(validate(schema, parseYaml(fixture(name))), [], name);
    }
  });

  test('has exactly the keys the parser accepts, at every level', () => {
    const budget = resolveRef(schema, schema.properties?.budgets?.items);
    const model = resolveRef(schema, schema.properties?.models?.additionalProperties);
    assert.deepEqual(Object.keys(schema.properties ?? {}).sort(), [...TOP_LEVEL_KEYS].sort());
    assert.deepEqual(Object.keys(budget.properties ?? {}).sort(), [...BUDGET_KEYS].sort());
    assert.deepEqual(Object.keys(model.properties ?? {}).sort(), [...MODEL_KEYS].sort());
    assert.deepEqual(budget.required, ['name', 'files']);
    assert.deepEqual(resolveRef(schema, model.properties?.tokenizer).anyOf?.[0].enum, [...TOKENIZER_IDS]);
  });

  test('describes every property and closes every object', () => {
    const seen: string[] = [];
    walk(schema, '#', (node, where) => {
      if (node.type === 'object' && typeof node.additionalProperties !== 'object') {
        assert.equal(node.additionalProperties, false, `${where} must set additionalProperties: false`);
      }
      for (const [key, property] of Object.entries(node.properties ?? {})) {
        assert.ok(property.description, `${where}/properties/${key} needs a description`);
        seen.push(key);
      }
    });
    assert.ok(seen.length >= TOP_LEVEL_KEYS.length + BUDGET_KEYS.length + MODEL_KEYS.length);
  });

  test('agrees with the parser on what is an error, snippet by snippet', () => {
    const snippets = [
      fixture('brief-example.yaml'),
      fixture('valid.yaml'),
      fixture('typos.yaml'),
      'warnAt: 1.5\n',
      'warnAt: 0\n',
      'version: 2\n',
      'budgets:\n  - files: a.md\n',
      'budgets:\n  - name: A\n',
      'budgets:\n  - name: A\n    files: []\n',
      'budgets:\n  - name: A\n    files: /abs.md\n',
      'budgets:\n  - name: A\n    files: a.md\n    maxInputTokens: -1\n',
      'budgets:\n  - name: A\n    files: a.md\n    maxInputTokens: 1.5\n',
      'budgets:\n  - name: A\n    files: a.md\n    maxMonthlyCost: 5\n',
      'budgets:\n  - name: A\n    files: a.md\n    maxMonthlyCost: 5\n    callsPerDay: 10\n',
      'budgets:\n  - name: A\n    files: a.md\n    exclude: ["b.md"]\n    warnAt: 0.95\n',
      'models:\n  m:\n    tokenizer: p50k_base\n',
      'models:\n  m:\n    tokenizer: ./tokenizers/acme/tokenizer.json\n',
      'models:\n  m:\n    tokenizer: o200k.tiktoken\n',
      'models:\n  m:\n    tokenizer: hf:acme/tiny@main\n',
      'models:\n  m:\n    tokenizer: hf:acme\n',
      'models:\n  m:\n    tokenizer: hf:acme/tiny/extra\n',
      'models:\n  m:\n    inputPerMillion: -1\n',
      'models:\n  m:\n    aliases: [x, y]\n    name: M\n',
      'models:\n  m: 5\n',
    ];
    for (const text of snippets) {
      const parsed = parseBudgetConfig('c.yaml', text, { isKnownModel });
      // Unknown models and duplicate names need knowledge a schema does not have.
      const parserRejects = parsed.problems.some((problem) => !['unknown-model', 'duplicate-budget'].includes(problem.rule));
      const schemaErrors = validate(schema, parseYaml(text));
      assert.equal(schemaErrors.length > 0, parserRejects, `${JSON.stringify(text)}\nparser: ${JSON.stringify(parsed.problems)}\nschema: ${schemaErrors.join('; ')}`);
    }
  });
});

// A small draft-07 validator covering the keywords the schema uses, so the test needs no extra dependency.
interface JsonSchema {
  $schema?: string;
  $ref?: string;
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  dependencies?: Record<string, string[]>;
  items?: JsonSchema;
  minItems?: number;
  enum?: unknown[];
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
  not?: JsonSchema;
  definitions?: Record<string, JsonSchema>;
}

function resolveRef(rootSchema: JsonSchema, node: JsonSchema | boolean | undefined): JsonSchema {
  assert.ok(node && typeof node === 'object', 'missing schema node');
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/definitions/', '');
  const target = rootSchema.definitions?.[name];
  assert.ok(target, `unresolved ${node.$ref}`);
  return resolveRef(rootSchema, target);
}

function walk(node: JsonSchema, where: string, visit: (node: JsonSchema, where: string) => void): void {
  visit(node, where);
  for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${where}/properties/${key}`, visit);
  for (const [key, child] of Object.entries(node.definitions ?? {})) walk(child, `${where}/definitions/${key}`, visit);
  if (node.items) walk(node.items, `${where}/items`, visit);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${where}/additionalProperties`, visit);
  node.anyOf?.forEach((child, index) => walk(child, `${where}/anyOf/${index}`, visit));
}

function validate(node: JsonSchema, value: unknown, where = '$'): string[] {
  const s = resolveRef(schema, node);
  const errors: string[] = [];
  const typeOf = (v: unknown): string =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v;
  if (s.type) {
    const actual = typeOf(value);
    const ok = actual === s.type || (s.type === 'number' && actual === 'integer');
    if (!ok) return [`${where}: expected ${s.type}, got ${actual}`];
  }
  if (s.enum && !s.enum.includes(value)) errors.push(`${where}: not in enum`);
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${where}: below minimum`);
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) errors.push(`${where}: not above exclusiveMinimum`);
    if (s.maximum !== undefined && value > s.maximum) errors.push(`${where}: above maximum`);
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) errors.push(`${where}: too short`);
    if (s.pattern !== undefined && !new RegExp(s.pattern).test(value)) errors.push(`${where}: pattern`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) errors.push(`${where}: too few items`);
    if (s.items) value.forEach((item, index) => errors.push(...validate(s.items as JsonSchema, item, `${where}[${index}]`)));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in record)) errors.push(`${where}: missing ${key}`);
    for (const [key, needs] of Object.entries(s.dependencies ?? {})) {
      if (key in record) for (const need of needs) if (!(need in record)) errors.push(`${where}: ${key} needs ${need}`);
    }
    for (const [key, child] of Object.entries(record)) {
      const property = s.properties?.[key];
      if (property) errors.push(...validate(property, child, `${where}.${key}`));
      else if (s.additionalProperties === false) errors.push(`${where}: unknown ${key}`);
      else if (typeof s.additionalProperties === 'object') errors.push(...validate(s.additionalProperties, child, `${where}.${key}`));
    }
  }
  if (s.anyOf && !s.anyOf.some((option) => validate(option, value, where).length === 0)) errors.push(`${where}: matches no anyOf option`);
  if (s.not && validate(s.not, value, where).length === 0) errors.push(`${where}: matches a forbidden schema`);
  return errors;
}
