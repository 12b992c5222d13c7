import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import type { CliIo } from '../../src/cli/cliIo';
import { runCli } from '../../src/cli/runCli';
import { readRegularFile } from '../../src/core/io/readRegularFile';
import {
  compareCountedModels,
  compareModels,
  describeDownloadsToExact,
  describeOutputBasis,
  describeSources,
  formatComparisonRow,
  sortComparisonRows,
  type ModelComparisonRow,
} from '../../src/core/count/compareModels';
import { comparisonTable } from '../../src/core/count/comparisonTable';
import { evaluateCountedPrompt } from '../../src/core/count/analyzePrompt';
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import { toCsv } from '../../src/core/report/toCsv';
import { toMarkdownTable } from '../../src/core/report/toMarkdownTable';
import { parsePrompt } from '../../src/core/prompts/parsePrompt';
import { loadTokenCounter } from '../../src/core/tokenize/tokenCounter';
import type { ModelInfo, PromptCount, TokenizerId } from '../../src/core/types';

function model(id: string, fields: Partial<ModelInfo>): ModelInfo {
  return { id, name: id, provider: 'test', aliases: [], tokenizer: 'o200k_base', sources: {}, origin: 'settings', ...fields };
}

const exactCount: PromptCount = { tokens: 1_000, exact: true, tokenizer: 'o200k_base', segmentTokens: [1_000], overheadTokens: 0 };
const estimatedCount: PromptCount = { tokens: 1_200, exact: false, tokenizer: 'estimate', segmentTokens: [1_200], overheadTokens: 0 };
const countFor = (tokenizer: TokenizerId): PromptCount => (tokenizer === 'estimate' ? estimatedCount : exactCount);

const bigOutput = model('big-output', {
  name: 'Big Output',
  contextWindow: 128_000,
  maxOutputTokens: 16_000,
  pricing: { inputPerMillion: 2, outputPerMillion: 10 },
  sources: { prices: { source: 'price list', asOf: '2025-10-01' }, limits: { source: 'model docs', asOf: '2025-11' } },
});
const smallWindow = model('small-window', {
  name: 'Small Window',
  contextWindow: 4_000,
  maxOutputTokens: 4_000,
  pricing: { inputPerMillion: 1, outputPerMillion: 1 },
  sources: { prices: { source: 'price list', asOf: '2025-10-01' } },
});
const estimated = model('estimated', { name: 'Estimated', tokenizer: 'estimate', contextWindow: 200_000, maxOutputTokens: 8_000, pricing: { inputPerMillion: 3, outputPerMillion: 15 } });
const unpriced = model('unpriced', { name: 'Unpriced', contextWindow: 32_000 });

const noDeclaration = parsePrompt('plain.prompt.md', 'Summarise the ticket.');
const declared500 = parsePrompt('declared.prompt.md', '---\nmaxTokens: 500\n---\nSummarise the ticket.');
const declared20k = parsePrompt('declared.prompt.md', '---\nmaxTokens: 20000\n---\nSummarise the ticket.');

function row(rows: ModelComparisonRow[], id: string): ModelComparisonRow {
  const found = rows.find((candidate) => candidate.modelId === id);
  assert.ok(found, `no row for ${id}`);
  return found;
}

describe('compareCountedModels', () => {
  test("names the provider's endpoint for a row its API counted, without the local estimate's spread", () => {
    const fromProvider = { provider: 'xAI', endpoint: "xAI's tokenize-text API", url: 'http://127.0.0.1/v1/tokenize-text', countedAt: '2026-12-03T12:00:00Z', framing: 'estimated' as const, localTokens: 1_200, localExact: false };
    const [counted] = compareCountedModels(noDeclaration, [estimated], () => ({ ...estimatedCount, tokens: 1_100, fromProvider }));
    const shown = formatComparisonRow(counted);
    assert.equal(shown.tokens, '≈1,100 (framing estimated)');
    assert.equal(shown.counting, 'xAI');
    assert.match(shown.countingSource, /^xAI's tokenize-text API \(the messages; the chat framing is our estimate\)$/);
    const [local] = compareCountedModels(noDeclaration, [estimated], countFor);
    assert.match(formatComparisonRow(local).tokens, /^≈1,200 \(±\d+ %\)$/);
  });

  test("prices worst-case output at each model's max output when the prompt declares none", () => {
    const rows = compareCountedModels(noDeclaration, [bigOutput], countFor);
    const big = row(rows, 'big-output');
    assert.equal(big.outputTokens, 16_000);
    assert.equal(big.outputBasis, 'model-max');
    assert.equal(big.inputCost, (1_000 * 2) / 1e6);
    assert.equal(big.outputCost, (16_000 * 10) / 1e6);
    assert.equal(big.costPerCall, (1_000 * 2 + 16_000 * 10) / 1e6);
    // Context used is the input's share, as in the status bar and `count`; the worst case is beside it.
    assert.equal(big.contextShare, 1_000 / 128_000);
    assert.equal(big.worstCaseShare, 17_000 / 128_000);
  });

  test('prices the expected output of the prompt\'s budget as "expected per call", beside the worst case', () => {
    const [big] = compareCountedModels(noDeclaration, [bigOutput], countFor, 300);
    assert.equal(big.expectedOutputTokens, 300);
    assert.equal(big.expectedCostPerCall, (1_000 * 2 + 300 * 10) / 1e6);
    assert.equal(formatComparisonRow(big).expectedCostPerCall, '$0.005');
    // The panel prints the expected output as the host formats it, digits grouped.
    const [large] = compareCountedModels(noDeclaration, [bigOutput], countFor, 12_000);
    assert.equal(formatComparisonRow(large).expectedOutputTokens, '12,000');
    const [none] = compareCountedModels(noDeclaration, [bigOutput], countFor);
    assert.deepEqual([none.expectedOutputTokens, none.expectedCostPerCall, formatComparisonRow(none).expectedCostPerCall, formatComparisonRow(none).expectedOutputTokens], [null, null, 'n/a', 'n/a']);
  });

  test("uses the declared max output, capped at the model's own max", () => {
    const small = compareCountedModels(declared500, [bigOutput], countFor);
    assert.deepEqual([small[0].outputTokens, small[0].outputBasis], [500, 'declared']);
    const capped = compareCountedModels(declared20k, [bigOutput, smallWindow], countFor);
    assert.deepEqual(
      capped.map((entry) => [entry.modelId, entry.outputTokens, entry.outputBasis]),
      [
        ['big-output', 16_000, 'declared'],
        ['small-window', 4_000, 'declared'],
      ],
    );
  });

  test('shows when input plus worst-case output does not fit the context window, and when the input alone does not', () => {
    const [small] = compareCountedModels(noDeclaration, [smallWindow], countFor);
    assert.equal(small.contextShare, 1_000 / 4_000);
    assert.equal(small.worstCaseShare, 5_000 / 4_000);
    const shown = formatComparisonRow(small);
    assert.deepEqual([shown.context, shown.over, shown.worstCaseContext], ['25.0%', false, '125.0% (over)']);
    const tiny = model('tiny-window', { contextWindow: 800, maxOutputTokens: 100, pricing: { inputPerMillion: 1, outputPerMillion: 1 } });
    const over = formatComparisonRow(compareCountedModels(noDeclaration, [tiny], countFor)[0]);
    assert.deepEqual([over.context, over.over], ['125.0% (over)', true]);
  });

  test('says a context window no source gives is unknown, with no share', () => {
    const [noWindow] = compareCountedModels(noDeclaration, [model('no-window', { maxOutputTokens: 1_000, pricing: { inputPerMillion: 1, outputPerMillion: 2 } })], countFor);
    assert.equal(noWindow.contextShare, null);
    const shown = formatComparisonRow(noWindow);
    assert.deepEqual([shown.contextWindow, shown.context, shown.over], ['unknown', 'window unknown', false]);
  });

  test('leaves the costs of a model without a price empty, not zero', () => {
    const [none] = compareCountedModels(noDeclaration, [unpriced], countFor);
    assert.deepEqual([none.inputCost, none.outputCost, none.costPerCall], [null, null, null]);
    assert.equal(none.outputBasis, 'none');
    const shown = formatComparisonRow(none);
    assert.deepEqual([shown.inputCost, shown.costPerCall, shown.perThousandCalls, shown.outputTokens], ['n/a', 'n/a', 'n/a', 'n/a']);
  });

  test('says the worst case of a priced model with no known max output is unknown, not its input cost', () => {
    const noMaxOutput = model('no-max-output', { contextWindow: 128_000, pricing: { inputPerMillion: 2, outputPerMillion: 8 } });
    const [row] = compareCountedModels(noDeclaration, [noMaxOutput], countFor, 500);
    assert.equal(row.outputBasis, 'none');
    assert.equal(row.inputCost, 0.002);
    assert.deepEqual([row.outputCost, row.costPerCall, row.worstCaseShare], [null, null, null]);
    // The expected cost does not depend on the max output, so it stays.
    assert.equal(row.expectedCostPerCall, 0.006);
    const shown = formatComparisonRow(row);
    assert.deepEqual(
      [shown.inputCost, shown.outputTokens, shown.outputCost, shown.costPerCall, shown.perThousandCalls, shown.worstCaseContext],
      ['$0.002', 'n/a', 'unknown', 'unknown', 'unknown', 'unknown'],
    );
    // A declared max output makes it known again.
    const [declared] = compareCountedModels(declared500, [noMaxOutput], countFor);
    assert.deepEqual([declared.outputBasis, declared.costPerCall], ['declared', 0.006]);
  });

  test('marks estimated tokens and the costs that depend on them with ≈', () => {
    const [approx] = compareCountedModels(noDeclaration, [estimated], countFor);
    assert.equal(approx.exact, false);
    const shown = formatComparisonRow(approx);
    assert.equal(shown.tokens, '≈1,200 (±33 %)');
    assert.equal(shown.counting, 'estimate');
    assert.match(shown.countingSource, /o200k_base × 1\.2/);
    assert.equal(shown.inputCost, '≈$0.0036');
    assert.equal(shown.outputCost, '$0.12');
    assert.equal(shown.costPerCall, '≈$0.12');
    assert.equal(shown.perThousandCalls, '≈$123.60');
    // 1,200 / 200,000 of the window, from an estimated count; with the worst-case output (1,200 + 8,000).
    assert.equal(shown.context, '≈0.6%');
    assert.equal(shown.worstCaseContext, '≈4.6%');
  });

  test('never shows a share under the window as 100%', () => {
    const nearlyFull = model('nearly-full', { contextWindow: 1_000_400, maxOutputTokens: 999_000, pricing: { inputPerMillion: 1, outputPerMillion: 1 } });
    const [row] = compareCountedModels(noDeclaration, [nearlyFull], countFor);
    assert.ok(row.worstCaseShare! < 1);
    assert.equal(formatComparisonRow(row).worstCaseContext, '99.9%');
  });

  test('agrees with the editor on the worst case of a model that produces no output', () => {
    const embedding = model('embedding', { contextWindow: 8_192, maxOutputTokens: 0, pricing: { inputPerMillion: 0.02, outputPerMillion: 0 } });
    const [row] = compareCountedModels(noDeclaration, [embedding], countFor);
    const analysis = evaluateCountedPrompt('plain.prompt.md', noDeclaration, { name: 'embedding', source: 'cli', model: embedding, suggestions: [] }, exactCount, {
      catalog: ModelCatalog.builtIn(),
      fallbackModel: 'embedding',
      fallbackSource: 'cli',
      warnAt: 0.8,
    });
    assert.deepEqual([row.outputTokens, row.outputBasis], [0, 'model-max']);
    assert.deepEqual([analysis.worstCase?.outputTokens, analysis.worstCase?.outputBasis], [row.outputTokens, row.outputBasis]);
  });
});

describe('compareModels (the CLI path)', () => {
  test('counts with each tokenizer once and agrees with tiktoken for GPT-4o', async () => {
    const text = 'You are a support agent for Acme Cloud. Be brief, friendly and precise.\n';
    const parsed = parsePrompt('agent.txt', text);
    const loaded: TokenizerId[] = [];
    const rows = await compareModels(parsed, [bigOutput, smallWindow, estimated], async (tokenizer) => {
      loaded.push(tokenizer);
      return loadTokenCounter(tokenizer);
    });
    assert.deepEqual(loaded.sort(), ['estimate', 'o200k_base']);
    const expected = getEncoding('o200k_base').encode(text).length;
    assert.equal(row(rows, 'big-output').tokens, expected);
    assert.equal(row(rows, 'small-window').tokens, expected);
    assert.equal(row(rows, 'estimated').exact, false);
  });
});

describe('sortComparisonRows', () => {
  const rows = compareCountedModels(noDeclaration, [bigOutput, unpriced, smallWindow, estimated], countFor);
  const ids = (sorted: ModelComparisonRow[]) => sorted.map((entry) => entry.modelId);

  test('puts the cheapest call first and models without a price last', () => {
    assert.deepEqual(ids(sortComparisonRows(rows)), ['small-window', 'estimated', 'big-output', 'unpriced']);
  });

  test('keeps models without a price last when sorted most expensive first', () => {
    assert.deepEqual(ids(sortComparisonRows(rows, 'costPerCall', 'descending')), ['big-output', 'estimated', 'small-window', 'unpriced']);
  });

  test('sorts by name, tokens and context use; ties fall back to the model id', () => {
    assert.deepEqual(ids(sortComparisonRows(rows, 'model', 'descending')), ['unpriced', 'small-window', 'estimated', 'big-output']);
    assert.deepEqual(ids(sortComparisonRows(rows, 'tokens')), ['big-output', 'small-window', 'unpriced', 'estimated']);
    assert.deepEqual(ids(sortComparisonRows(rows, 'contextShare', 'descending')), ['small-window', 'unpriced', 'big-output', 'estimated']);
  });

  test('puts a priced model with an unknown worst case after every known one, before none', () => {
    const noMaxOutput = model('cheap-no-max-output', { contextWindow: 128_000, pricing: { inputPerMillion: 0.01, outputPerMillion: 0.01 } });
    const withUnknown = compareCountedModels(noDeclaration, [bigOutput, noMaxOutput, smallWindow], countFor);
    assert.deepEqual(ids(sortComparisonRows(withUnknown)), ['small-window', 'big-output', 'cheap-no-max-output']);
    assert.deepEqual(ids(sortComparisonRows(withUnknown, 'costPerCall', 'descending')), ['big-output', 'small-window', 'cheap-no-max-output']);
    assert.deepEqual(ids(sortComparisonRows(withUnknown, 'inputCost')), ['cheap-no-max-output', 'small-window', 'big-output']);
  });

  test('does not reorder the rows it is given', () => {
    const before = ids(rows);
    sortComparisonRows(rows, 'model');
    assert.deepEqual(ids(rows), before);
  });
});

describe('comparison table, CSV and Markdown', () => {
  const injected = model('=HYPERLINK("http://evil.example","x")', {
    name: '=HYPERLINK("http://evil.example","x")',
    provider: '@local',
    contextWindow: 8_192,
    maxOutputTokens: 1_000,
    pricing: { inputPerMillion: 0, outputPerMillion: 0 },
  });

  test('writes CSV with raw numbers, empty cells for unknowns, and formula-like names defused', () => {
    const rows = sortComparisonRows(compareCountedModels(noDeclaration, [injected, unpriced, bigOutput], countFor));
    const table = comparisonTable(rows, 'raw');
    const lines = toCsv([table.headers, ...table.rows]).split('\r\n');
    assert.equal(
      lines[0],
      'model,model id,provider,tokens,exact,input (USD),expected output tokens,expected per call (USD),worst-case output tokens,output basis,worst-case output cost (USD),worst case (USD),"worst case per 1,000 calls (USD)",context window,context used',
    );
    assert.equal(lines[1], `"'=HYPERLINK(""http://evil.example"",""x"")","'=HYPERLINK(""http://evil.example"",""x"")",'@local,1000,true,0,,,1000,model-max,0,0,0,8192,0.1220703125`);
    assert.equal(lines[2], 'Big Output,big-output,test,1000,true,0.002,,,16000,model-max,0.16,0.162,162,128000,0.0078125');
    assert.equal(lines[3], 'Unpriced,unpriced,test,1000,true,,,,0,none,,,,32000,0.03125');
    assert.equal(lines[4], '');
  });

  test('writes Markdown with the figures people read and pipes escaped', () => {
    const piped = model('a|b', { name: 'A | B', contextWindow: 8_000, maxOutputTokens: 1_000, pricing: { inputPerMillion: 1, outputPerMillion: 2 } });
    const rows = compareCountedModels(noDeclaration, [piped, estimated], countFor);
    const table = comparisonTable(rows, 'display');
    const markdown = toMarkdownTable(table.headers, table.rows);
    assert.match(markdown, /^\| A \\\| B \| a\\\|b \| test \| 1,000 \| yes \| \$0\.001 \| n\/a \| n\/a \| 1,000 \| model-max \| \$0\.002 \| \$0\.003 \| \$3\.00 \| 8,000 \| 12\.5% \|$/m);
    assert.match(markdown, /^\| Estimated \| estimated \| test \| ≈1,200 \(±33 %\) \| estimate \| ≈\$0\.0036 \|/m);
  });
});

describe('the comparison in a terminal', () => {
  test('shows a subset of the exported columns, with their labels and their cells', () => {
    const rows = sortComparisonRows(compareCountedModels(noDeclaration, [estimated, bigOutput, unpriced], countFor, 300));
    const exported = comparisonTable(rows, 'display');
    const terminal = comparisonTable(rows, 'terminal');
    // The three figures of every surface, then context used; units are in the cells, not the labels.
    assert.deepEqual(terminal.headers, ['model id', 'tokens', 'input', 'expected per call', 'worst case', 'worst-case output tokens', 'worst case per 1,000 calls', 'context used']);
    terminal.headers.forEach((label, column) => {
      const at = exported.headers.findIndex((header) => header === label || header === `${label} (USD)`);
      assert.ok(at >= 0, `'${label}' is not an exported column`);
      assert.deepEqual(terminal.rows.map((cells) => cells[column]), exported.rows.map((cells) => cells[at]), label);
      assert.equal(terminal.align[column], exported.align[at], label);
    });
    assert.deepEqual(terminal.rows.find((cells) => cells[0] === 'big-output'), ['big-output', '1,000', '$0.002', '$0.005', '$0.16', '16,000', '$162.00', '0.8%']);
    // A narrow terminal drops per 1,000 first, then the worst-case output, then expected per call.
    assert.deepEqual(terminal.optional.map((column) => terminal.headers[column]), ['worst case per 1,000 calls', 'worst-case output tokens', 'expected per call']);
  });
});

describe('notes under the comparison', () => {
  test('says which output the worst case assumes', () => {
    const rows = compareCountedModels(declared20k, [bigOutput, smallWindow], countFor);
    assert.equal(describeOutputBasis(rows, 20_000), "Worst-case output: the prompt's declared max output of 20,000 tokens, capped at the model's max output where that is lower.");
    assert.equal(describeOutputBasis(rows, undefined), "Worst-case output: each model's max output (the prompt declares none).");
    const withUnknown = compareCountedModels(noDeclaration, [bigOutput, model('no-max-output', { pricing: { inputPerMillion: 1, outputPerMillion: 1 } })], countFor);
    assert.equal(
      describeOutputBasis(withUnknown, undefined),
      "Worst-case output: each model's max output (the prompt declares none). No source gives a max output for no-max-output: their worst case is unknown.",
    );
  });

  test('names each distinct source of prices and limits once, with its date', () => {
    const rows = compareCountedModels(noDeclaration, [bigOutput, smallWindow, unpriced], countFor);
    assert.deepEqual(describeSources(rows), ['Prices: price list, as of 2025-10-01', 'Limits: model docs, as of 2025-11']);
    const configured = model('negotiated', { pricing: { inputPerMillion: 1, outputPerMillion: 1 }, sources: { prices: { source: 'User settings override', asOf: 'as configured' } } });
    const withOverride = compareCountedModels(noDeclaration, [bigOutput, configured], countFor);
    assert.deepEqual(describeSources(withOverride)[0], 'Prices: price list, as of 2025-10-01; User settings override (as configured)');
  });
});

describe('estimates that become exact after a download', () => {
  const kimi = model('kimi-k2-0905-preview', { name: 'Kimi K2', tokenizer: 'kimi_k2', pricing: { inputPerMillion: 0.6, outputPerMillion: 2.5 } });
  const gemini = model('gemini-3.1-pro-preview', { name: 'Gemini 3.1 Pro', tokenizer: 'gemma4' });
  const geminiEstimate: PromptCount = { ...estimatedCount, tokenizer: 'estimate-gemini' };
  // The counts a machine without the Kimi K2 and Gemma 4 files makes: each family's stand-in estimate.
  const standIns = (_tokenizer: TokenizerId, counted: ModelInfo): PromptCount => (counted.tokenizer === 'gemma4' ? geminiEstimate : estimatedCount);

  test('say so in the CLI\'s words (as `count` does) and in the editor\'s, on the row and in the note', () => {
    const rows = compareCountedModels(noDeclaration, [kimi, gemini, estimated], standIns);
    assert.equal(row(rows, 'kimi-k2-0905-preview').vocabularyToPull, 'kimi_k2');
    assert.equal(row(rows, 'gemini-3.1-pro-preview').vocabularyToPull, 'gemma4');
    // A model with no published tokenizer has nothing to download.
    assert.equal(row(rows, 'estimated').vocabularyToPull, undefined);
    assert.equal(formatComparisonRow(row(rows, 'estimated')).counting, 'estimate');

    const cli = formatComparisonRow(row(rows, 'kimi-k2-0905-preview'));
    assert.equal(cli.counting, 'estimate; exact after `prompt-budget tokenizers pull kimi_k2`');
    assert.match(cli.tokens, /^≈1,200 \(±33 %\)$/);
    const editor = formatComparisonRow(row(rows, 'kimi-k2-0905-preview'), 'editor');
    assert.equal(editor.counting, 'estimate; exact after Prompt Budget: Download Tokenizer… (Kimi K2)');
    assert.match(editor.countingSource, /; exact after Prompt Budget: Download Tokenizer… \(Kimi K2\)$/);
    assert.deepEqual(describeDownloadsToExact(rows, 'cli'), [
      '≈ kimi-k2-0905-preview: exact after `prompt-budget tokenizers pull kimi_k2`',
      '≈ gemini-3.1-pro-preview: exact after `prompt-budget tokenizers pull gemma4`',
    ]);
  });

  test('say nothing once the vocabulary is here and counted exactly', () => {
    const rows = compareCountedModels(noDeclaration, [kimi], () => ({ ...exactCount, tokenizer: 'kimi_k2' }));
    assert.equal(rows[0].vocabularyToPull, undefined);
    assert.deepEqual(describeDownloadsToExact(rows, 'editor'), []);
  });

  test('`prompt-budget compare` prints how to make them exact under its table', async () => {
    const home = mkdtempSync(join(tmpdir(), 'prompt-budget-compare-'));
    try {
      writeFileSync(join(home, 'ask.txt'), 'Summarise the ticket in one line.');
      const out: string[] = [];
      const io: CliIo = {
        cwd: home,
        stdout: (text) => out.push(text),
        stderr: () => undefined,
        readFile: (path, maxBytes) => readRegularFile(join(home, path), maxBytes),
        listFiles: async () => [],
        // No converted copy, no Hugging Face cache, no download: the Kimi K2 file is not on this machine.
        env: { XDG_CACHE_HOME: join(home, 'cache'), HF_HUB_CACHE: join(home, 'hf'), HF_HUB_OFFLINE: '1' },
        home,
      };
      assert.equal(await runCli(['compare', 'ask.txt', '--models', 'kimi-k2-0905-preview,gpt-4o'], io), 0);
      const stdout = out.join('\n');
      assert.match(stdout, /^≈ kimi-k2-0905-preview: exact after `prompt-budget tokenizers pull kimi_k2`$/m);
      assert.doesNotMatch(stdout, /gpt-4o: exact after/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
