// The CLI as a terminal user meets it: default sets, table widths, filters, help, and our own messages.
import { COMMAND_OPTIONS } from '../../src/cli/cliOptions';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { defaultCompareSet } from '../../src/core/catalog/compareDefaults';
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import { runCliInProcess } from '../runCliInProcess';

const repo = resolve(__dirname, '../../..');
const examples = resolve(repo, 'examples');
const cli = (args: string[], width?: number, cwd = repo) => runCliInProcess(args, cwd, width);
const PROMPT = 'test/fixtures/prompts/summarize.txt';

/** A name the catalog cannot pick a model for: sold by several resellers, made by none of them. */
function ambiguousName(catalog: ModelCatalog): string {
  for (const model of catalog.list()) {
    const name = model.id.split('/').pop()!;
    const resolution = catalog.resolve(name);
    if ('error' in resolution && /several providers/.test(resolution.error)) return name;
  }
  throw new Error('the price data has no ambiguous name');
}

describe('prompt-budget compare in a terminal', () => {
  test("compares the editor's default set unless told otherwise; --all compares every model that answers", async () => {
    const catalog = ModelCatalog.builtIn();
    const byDefault = JSON.parse((await cli(['compare', PROMPT, '--json'])).stdout) as { rows: { modelId: string }[] };
    assert.deepEqual(byDefault.rows.map((row) => row.modelId).sort(), defaultCompareSet(catalog).map((model) => model.id).sort());
    assert.ok(byDefault.rows.length >= 8 && byDefault.rows.length <= 12, `${byDefault.rows.length} models`);
    const all = JSON.parse((await cli(['compare', PROMPT, '--all', '--json'])).stdout) as { rows: unknown[] };
    assert.ok(all.rows.length > 500, `${all.rows.length} models with --all`);
    const text = await cli(['compare', PROMPT]);
    assert.equal(text.code, 0);
    assert.match(text.stderr, /the editor's default set; --all compares every model that writes output/);
    // The figures in that line are --all's row count and the catalog's, with the gap explained.
    const [, answering, total, left] = /\((\d+) of the catalog's (\d+): not the (\d+) input-only ones/.exec(text.stderr) ?? [];
    assert.equal(Number(answering), all.rows.length);
    assert.equal(Number(total), catalog.list().length);
    assert.equal(Number(left), catalog.list().length - all.rows.length);
    assert.ok(Number(left) > 0, 'some input-only models (embeddings) are in the catalog');
  });

  test('fits the table to the terminal, names the columns it left out, and keeps them all when there is room', async () => {
    for (const width of [80, 100]) {
      const { stdout, stderr } = await cli(['compare', PROMPT], width);
      for (const line of stdout.split('\n').slice(1)) assert.ok(line.length <= width, `${line.length} > ${width}: ${line}`);
      assert.match(stderr, new RegExp(`left out to fit ${width} columns: .*worst case per 1,000`));
    }
    const wide = await cli(['compare', PROMPT], 200);
    assert.match(wide.stdout.split('\n')[1], /^model id\s+tokens\s+input\s+expected per call\s+worst case\s+worst-case output tokens\s+worst case per 1,000 calls\s+context used$/);
    assert.doesNotMatch(wide.stderr, /left out/);
  });

  test('reports an ambiguous or unknown id in --models and compares the rest (exit 2)', async () => {
    const ambiguous = ambiguousName(ModelCatalog.builtIn());
    const { code, stdout, stderr } = await cli(['compare', PROMPT, '--models', `gpt-4o,${ambiguous},claude-sonnet-4,no-such-model`]);
    assert.equal(code, 2);
    assert.match(stderr, new RegExp(`Model '${ambiguous.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' is sold by several providers`));
    assert.match(stderr, /Unknown model 'no-such-model'/);
    const models = stdout.split('\n').slice(2).map((line) => line.split(/\s+/)[0]);
    assert.deepEqual(models.sort(), ['claude-sonnet-4', 'gpt-4o']);
  });

  test('shows the three figures with the labels of every surface, and context used as the input share', async () => {
    const { stdout } = await cli(['count', 'examples/prompts/support/agent.prompt.md']);
    assert.match(
      stdout,
      /^examples\/prompts\/support\/agent\.prompt\.md: 140 tokens \(exact, o200k_base\) · gpt-4o \(declared in file\) · input \$0\.00035 · expected per call \$0\.0034 \(300 output tok, budget 'Support agent'\) · worst case \$0\.16 \(16,384 output tok, declared max capped at the model's\) · context used 0\.1% of 128,000$/m,
    );
    const [row] = JSON.parse((await cli(['count', 'examples/prompts/support/agent.prompt.md', '--json'])).stdout) as Record<string, unknown>[];
    assert.equal(row.expectedOutputTokens, 300);
    assert.equal(row.contextUsed, 140 / 128_000);
    const compared = JSON.parse((await cli(['compare', 'examples/prompts/support/agent.prompt.md', '--models', 'gpt-4o', '--json'])).stdout) as { rows: Record<string, number>[] };
    // The same figures in compare as in count, for the same file and model.
    assert.equal(compared.rows[0].expectedCostPerCall, row.expectedCostPerCall);
    assert.equal(compared.rows[0].costPerCall, row.worstCaseCostPerCall);
    assert.equal(compared.rows[0].contextShare, row.contextUsed);
  });
});

describe('which model applies on the command line', () => {
  test("a budget's model wins over --model, as in the editor; --model applies to files no budget names a model for", async () => {
    const [budgeted] = JSON.parse((await cli(['count', 'prompts/summaries/weekly-digest.md', '--model', 'claude-sonnet-4', '--json'], undefined, examples)).stdout) as { model: string; modelSource: string }[];
    assert.deepEqual([budgeted.model, budgeted.modelSource], ['gpt-4.1-mini', 'budget']);
    const [free] = JSON.parse((await cli(['count', PROMPT, '--model', 'claude-sonnet-4', '--json'])).stdout) as { model: string; modelSource: string }[];
    assert.deepEqual([free.model, free.modelSource], ['claude-sonnet-4', 'cli']);
  });
});

describe('prompt-budget models in a terminal', () => {
  test('filters by provider, by a search term and to current models', async () => {
    const anthropic = JSON.parse((await cli(['models', '--provider', 'anthropic', '--json'])).stdout) as { provider: string }[];
    assert.ok(anthropic.length > 5);
    assert.ok(anthropic.every((model) => model.provider === 'anthropic'));
    const sonnet = JSON.parse((await cli(['models', 'SONNET', '--provider', 'anthropic', '--json'])).stdout) as { id: string }[];
    assert.ok(sonnet.length > 0 && sonnet.every((model) => /sonnet/i.test(model.id)), sonnet.map((model) => model.id).join(', '));
    const all = JSON.parse((await cli(['models', '--json'])).stdout) as { deprecated: boolean }[];
    const current = JSON.parse((await cli(['models', '--current', '--json'])).stdout) as { deprecated: boolean }[];
    assert.ok(all.some((model) => model.deprecated), 'the data marks some models deprecated');
    assert.equal(current.length, all.filter((model) => !model.deprecated).length);
    const text = await cli(['models', 'gpt-5.5', '--provider', 'openai']);
    assert.match(text.stderr, /\d+ of \d+ models from 1 provider;/);
  });

  test('fits the terminal: no line wider than COLUMNS, headers in words', async () => {
    const { stdout, stderr } = await cli(['models', '--provider', 'openai'], 100);
    const lines = stdout.split('\n');
    assert.match(lines[0], /^model\s+provider\s+context\s+max input\s+max output\s+input \$\/M\s+output \$\/M/);
    for (const line of lines) assert.ok(line.length <= 100, `${line.length}: ${line}`);
    assert.match(stderr, /left out to fit 100 columns: limits from, prices from, tokenizer/);
  });
});

describe('help and our own messages', () => {
  test('each command has its own --help, also as `help COMMAND`', async () => {
    for (const command of ['count', 'compare', 'models', 'prices', 'check', 'report', 'usage']) {
      const { code, stdout } = await cli([command, '--help']);
      assert.equal(code, 0, command);
      assert.match(stdout, new RegExp(`^Usage: prompt-budget ${command}`), command);
      assert.equal((await cli(['help', command])).stdout, stdout);
    }
    assert.match((await cli(['compare', '--help'])).stdout, /--all\s+every model/);
    assert.match((await cli(['--help'])).stdout, /'prompt-budget COMMAND --help' shows a command's options/);
  });

  test("an unknown option, a missing or an unwanted value get our message, naming the command, not Node's", async () => {
    const unknown = await cli(['compare', PROMPT, '--model-set', 'x']);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "prompt-budget compare: unknown option '--model-set'.\nRun 'prompt-budget compare --help' for its options.");
    const missing = await cli(['count', PROMPT, '--model']);
    assert.equal(missing.stderr, "prompt-budget count: --model needs a value.\nRun 'prompt-budget count --help' for its options.");
    const swallowed = await cli(['count', '--model', '--json', PROMPT]);
    assert.match(swallowed.stderr, /^prompt-budget count: --model needs a value\./);
    const unwanted = await cli(['check', '--json=yes']);
    assert.match(unwanted.stderr, /^prompt-budget check: --json takes no value\./);
    for (const result of [unknown, missing, swallowed, unwanted]) assert.doesNotMatch(result.stderr, /To specify a positional argument|ERR_PARSE_ARGS/);
  });

  test('an option the command does not read is refused, not ignored; each command\'s help lists what it reads', async () => {
    const ignored = await cli(['diff', '--count-with-api']);
    assert.equal(ignored.code, 2);
    assert.equal(ignored.stderr, "prompt-budget diff: --count-with-api is not an option of 'diff'.\nRun 'prompt-budget diff --help' for its options.");
    assert.equal((await cli(['count', PROMPT, '--agents'])).code, 2);
    for (const [command, options] of Object.entries(COMMAND_OPTIONS)) {
      const help = (await cli([command, '--help'])).stdout;
      for (const option of options) assert.match(help, new RegExp(`--${option}\\b`), `${command} --help names --${option}`);
    }
  });
});

describe('prompt-budget usage --format md', () => {
  test('prints the table alone, in words, to paste; the totals go to stderr', async () => {
    const { stdout, stderr } = await cli(['usage', '--by', 'model', '--until', '2026-12-02', '--format', 'md'], undefined, examples);
    const lines = stdout.split('\n');
    assert.ok(lines.length > 3);
    for (const line of lines) assert.match(line, /^\|.*\|$/, line);
    assert.match(lines[0], /^\| model \| calls \| input tokens \| cached input \| output tokens \| cost \|$/);
    assert.match(stderr, /record\(s\) from .*calls/);
  });
});
