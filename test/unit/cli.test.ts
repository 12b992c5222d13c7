import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { get_encoding } from 'tiktoken';
import { listFilesBelow } from '../../src/cli/listFilesBelow';
import { runCliInProcess } from '../runCliInProcess';

const repo = resolve(__dirname, '../../..');
const fixtures = join(repo, 'test/fixtures');
const checkFolder = join(fixtures, 'check');

const cli = (args: string[], cwd = repo, width?: number) => runCliInProcess(args, cwd, width);

/** OpenAI's reference count (tiktoken WASM), with special-token literals counted as text. */
function referenceCount(text: string, encoding: 'o200k_base' | 'cl100k_base' = 'o200k_base'): number {
  const encoder = get_encoding(encoding);
  try {
    return encoder.encode(text, [], []).length;
  } finally {
    encoder.free();
  }
}

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'prompt-budget-cli-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('prompt-budget count', () => {
  test('counts a plain prompt exactly as OpenAI bills it, with its input cost on gpt-4o', async () => {
    const file = 'test/fixtures/prompts/summarize.txt';
    const text = await readFile(join(repo, file), 'utf8');
    const { code, stdout } = await cli(['count', file, '--json']);
    assert.equal(code, 0);
    const [row] = JSON.parse(stdout);
    assert.equal(row.file, file);
    assert.equal(row.model, 'gpt-4o');
    assert.equal(row.exact, true);
    assert.equal(row.tokens, referenceCount(text));
    // gpt-4o input is $2.50 per million tokens.
    assert.ok(Math.abs(row.inputCost - (row.tokens * 2.5) / 1e6) < 1e-12);
  });

  test('--json names the worst-case cost for what it is: input plus the declared max output', async () => {
    await writeFile(join(scratch, 'capped.prompt.md'), '---\nmodel: gpt-4o\nmaxOutputTokens: 500\n---\nLabel this ticket.\n');
    const { stdout } = await cli(['count', join(scratch, 'capped.prompt.md'), '--json']);
    const [row] = JSON.parse(stdout);
    assert.equal(row.costPerCall, undefined, "not to be confused with check's costPerCall (input plus expected output)");
    assert.equal(row.outputBasis, 'declared');
    assert.equal(row.outputTokens, 500);
    assert.ok(Math.abs(row.worstCaseCostPerCall - (row.inputCost + row.outputCost)) < 1e-12);
    assert.ok(Math.abs(row.outputCost - (row.outputTokens * 10) / 1e6) < 1e-12);
  });

  test('says the worst case is unknown, in text and as null in --json, when no max output is known', async () => {
    const folder = join(scratch, 'no-max-output');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'prompt-budget.yaml'), 'models:\n  house-model:\n    contextWindow: 100000\n    inputPerMillion: 2\n    outputPerMillion: 8\n    tokenizer: o200k_base\n');
    await writeFile(join(folder, 'ask.txt'), 'Label this ticket.\n');
    const [row] = JSON.parse((await cli(['count', 'ask.txt', '--model', 'house-model', '--json'], folder)).stdout);
    assert.equal(row.outputBasis, 'none');
    assert.ok(row.inputCost > 0);
    assert.deepEqual([row.outputCost, row.worstCaseCostPerCall], [null, null], 'not the input cost passed off as the worst case');
    const text = (await cli(['count', 'ask.txt', '--model', 'house-model'], folder)).stdout;
    assert.match(text, /input \$0\.\d+ · worst case unknown \(no max output known\)/);

    const { rows } = JSON.parse((await cli(['compare', 'ask.txt', '--models', 'house-model,gpt-4o', '--json'], folder)).stdout);
    assert.deepEqual(rows.map((entry: { modelId: string }) => entry.modelId), ['gpt-4o', 'house-model'], 'the unknown worst case sorts after the known one');
    assert.deepEqual([rows[1].costPerCall, rows[1].outputCost], [null, null]);
    const table = (await cli(['compare', 'ask.txt', '--models', 'house-model,gpt-4o'], folder, 200)).stdout;
    assert.match(table.split('\n').find((line) => line.startsWith('house-model'))!, /\$0\.\d+\s+n\/a\s+unknown\s+n\/a\s+unknown\s/);
  });

  test('uses the model a file declares, and --model for files that declare none', async () => {
    const { stdout } = await cli(['count', 'test/fixtures/prompts/support-agent.prompt.md', 'test/fixtures/prompts/summarize.txt', '--model', 'gpt-4.1', '--json']);
    const [declared, fallback] = JSON.parse(stdout);
    assert.equal(declared.model, 'gpt-4o');
    assert.equal(declared.modelSource, 'file');
    assert.equal(fallback.model, 'gpt-4.1');
    assert.equal(fallback.modelSource, 'cli');
  });

  test('labels counts for models without a public tokenizer as estimates (≈)', async () => {
    const { code, stdout } = await cli(['count', 'test/fixtures/prompts/summarize.txt', '--model', 'claude-sonnet-4']);
    assert.equal(code, 0);
    assert.match(stdout, /≈[\d,]+ tokens \(estimate, ±\d+ %\)/);
    assert.match(stdout, /· context used ≈<?\d+\.\d% of 200,000/, 'the share of the window is an estimate too');
    const json = JSON.parse((await cli(['count', 'test/fixtures/prompts/summarize.txt', '--model', 'claude-sonnet-4', '--json'])).stdout);
    assert.equal(json[0].exact, false);
  });

  test('rejects an unknown --model with the closest ids, exit 2', async () => {
    const { code, stderr } = await cli(['count', 'test/fixtures/prompts/summarize.txt', '--model', 'gpt4o']);
    assert.equal(code, 2);
    assert.match(stderr, /Unknown model 'gpt4o'\. Closest: gpt-4o/);
  });

  test('names a missing, a binary and a non-UTF-8 file in one line each, counts the rest, exits 2', async () => {
    await writeFile(join(scratch, 'image.prompt.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    await writeFile(join(scratch, 'latin1.txt'), Buffer.concat([Buffer.from('first line\nsecond '), Buffer.from([0xe9, 0x74, 0xe9])]));
    const missing = join(scratch, 'missing.txt');
    const { code, stdout, stderr } = await cli(['count', missing, join(scratch, 'image.prompt.md'), join(scratch, 'latin1.txt'), 'test/fixtures/prompts/summarize.txt']);
    assert.equal(code, 2);
    const lines = stderr.split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[0], `${missing}: no such file`);
    assert.match(lines[1], /image\.prompt\.md:1:1: error: .*binary file/);
    assert.match(lines[2], /latin1\.txt:2:8: error: .*not valid UTF-8/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.match(stdout, /summarize\.txt: \d+ tokens/);
  });

  test('reports malformed frontmatter at its line and column and still counts the file', async () => {
    const { code, stdout } = await cli(['count', 'test/fixtures/prompts/broken-frontmatter.prompt.md']);
    assert.equal(code, 2);
    assert.match(stdout, /broken-frontmatter\.prompt\.md:\d+:\d+: error: Frontmatter/);
    assert.match(stdout, /broken-frontmatter\.prompt\.md: \d+ tokens/);
  });

  test('drops a UTF-8 BOM and counts `<|endoftext|>` as plain text', async () => {
    const text = 'Summarise this.<|endoftext|> Then stop.\n';
    await writeFile(join(scratch, 'bom.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const { code, stdout } = await cli(['count', join(scratch, 'bom.txt'), '--json']);
    assert.equal(code, 0);
    assert.equal(JSON.parse(stdout)[0].tokens, referenceCount(text));
  });
});

describe('prompt-budget compare and models', () => {
  test('compares one prompt across models, cheapest first, with estimates marked', async () => {
    const { code, stdout } = await cli(['compare', 'test/fixtures/prompts/summarize.txt', '--models', 'gpt-4o,gpt-4o-mini,claude-sonnet-4', '--json']);
    assert.equal(code, 0);
    const { rows } = JSON.parse(stdout);
    assert.deepEqual(rows.map((row: { modelId: string }) => row.modelId), ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4']);
    assert.equal(rows.find((row: { modelId: string }) => row.modelId === 'claude-sonnet-4').exact, false);
    const text = (await cli(['compare', 'test/fixtures/prompts/summarize.txt', '--models', 'gpt-4o,claude-sonnet-4'], repo, 200)).stdout;
    assert.match(text, /claude-sonnet-4\s+≈\d+/);
    const claude = text.split('\n').find((line) => line.startsWith('claude-sonnet-4'));
    // The same figures as Compare Models: input, expected per call (none set), worst case from the model's max, context used.
    assert.match(claude!, /≈23 \(±\d+ %\)\s+≈\$0\.000069\s+n\/a\s+≈\$0\.96\s+64,000\s+≈\$960\.\d+\s+≈<0\.1%$/);
    // Every column lines up on the right: each cell ends where its header does.
    const [, header, ...tableLines] = text.split('\n').filter(Boolean);
    for (const title of ['expected per call', 'worst case', 'worst-case output tokens', 'context used']) {
      const end = header.indexOf(title) + title.length;
      for (const line of tableLines) assert.match(line.slice(0, end), /\S$/, `'${title}' is ragged in: ${line}`);
    }
  });

  test('lists the catalog with limits, prices and where each comes from, with dates', async () => {
    const { code, stdout } = await cli(['models'], repo, 300);
    assert.match(stdout, /^gpt-5 +openai +400,000 +272,000 +128,000 /m);
    assert.equal(code, 0);
    const [header, ...lines] = stdout.split('\n');
    assert.match(header, /prices from\s+limits from\s+status$/);
    const gpt4o = lines.find((line) => line.startsWith('gpt-4o '));
    assert.ok(gpt4o, 'gpt-4o listed');
    assert.match(gpt4o!, /128,000\s+window\s+16,384\s+\$2\.50\s+\$10\.00\s+o200k_base\s+OpenAI price \d{4}-\d\d-\d\d\s+OpenAI model docs \d{4}-\d\d$/);
    // A limit no source gives reads 'unknown', never a guess.
    assert.match(lines.find((line) => line.startsWith('grok-4.6 '))!, /^grok-4\.6\s+x-ai\s+500,000\s+window\s+unknown\s/);
  });

  test('--json lists every priced text model: hundreds, from at least ten providers, with limits or null and their sources', async () => {
    const { code, stdout } = await cli(['models', '--json']);
    assert.equal(code, 0);
    const models = JSON.parse(stdout) as {
      id: string;
      provider: string;
      deprecated: boolean;
      limits: Record<string, { value: number; source: string; asOf: string } | null>;
      prices: { source: string; asOf: string };
    }[];
    assert.ok(models.length >= 500, `${models.length} models`);
    assert.ok(new Set(models.map((entry) => entry.provider)).size >= 10);
    const gpt5 = models.find((entry) => entry.id === 'gpt-5')!;
    assert.deepEqual(gpt5.limits.maxOutputTokens, {
      value: 128_000,
      source: 'OpenAI model docs (context window, max output tokens)',
      asOf: '2025-11',
      url: 'https://platform.openai.com/docs/models',
    });
    const opus = models.find((entry) => entry.id === 'claude-opus-4-6')!;
    assert.equal(opus.limits.maxOutputTokens?.value, 128_000);
    assert.equal(opus.limits.maxOutputTokens?.asOf, '2026-12');
    assert.equal(opus.limits.contextWindow?.value, 1_000_000);
    assert.match(opus.prices.source, /^Anthropic price/);
    assert.ok(models.some((entry) => entry.deprecated));
  });
});

describe('prompt-budget check and report', () => {
  test('enforces prompt-budget.yaml: exit 1 when a budget is over, problems as file:line:column', async () => {
    const { code, stdout } = await cli(['check', 'test/fixtures/check']);
    assert.equal(code, 1);
    assert.match(stdout, /^test\/fixtures\/check\/prompt-budget\.yaml:19:21: error: Budget 'Support agent' costs \$[\d.]+ a month/m);
    assert.match(stdout, /^test\/fixtures\/check\/prompt-budget\.yaml:21:37: warning: Glob 'prompts\/archive\/\*\*' of budget 'Summaries' matches no file\./m);
    assert.match(stdout, /^test\/fixtures\/check\/prompts\/summaries\/weekly\.prompt\.md:3:18: error: Max output of 30 tokens is over tiny-local's limit of 20\./m);
    assert.match(stdout, /✗ Support agent \(2 files\)/);
    assert.match(stdout, /^\d+ prompt files, 2 budgets: 1 over, \d+ errors?, \d+ warnings?$/m);
    assert.doesNotMatch(stdout, /\(s\)/);
  });

  test('--format json has the documented shape', async () => {
    const { code, stdout } = await cli(['check', '--format', 'json'], checkFolder);
    assert.equal(code, 1);
    const json = JSON.parse(stdout);
    const support = json.budgets.find((budget: { name: string }) => budget.name === 'Support agent');
    assert.deepEqual(Object.keys(support).sort(), ['costPerCall', 'exact', 'files', 'monthlyCost', 'name', 'status', 'tokens']);
    assert.deepEqual(support.files, ['prompts/support/agent.prompt.md', 'prompts/support/short.md']);
    assert.equal(support.status, 'over');
    const agent = await readFile(join(checkFolder, 'prompts/support/agent.prompt.md'), 'utf8');
    assert.equal(support.tokens, referenceCount(agent.slice(agent.indexOf('---\n', 4) + 4)));
    for (const problem of json.problems) assert.deepEqual(Object.keys(problem).sort(), ['column', 'file', 'line', 'message', 'rule', 'severity']);
  });

  test('--format sarif is SARIF 2.1.0 with rules and regions', async () => {
    const { stdout } = await cli(['check', 'test/fixtures/check', '--format', 'sarif']);
    const sarif = JSON.parse(stdout);
    assert.equal(sarif.version, '2.1.0');
    const monthly = sarif.runs[0].results.find((result: { ruleId: string }) => result.ruleId === 'budget-monthly-cost');
    assert.equal(monthly.level, 'error');
    assert.deepEqual(
      { line: monthly.locations[0].physicalLocation.region.startLine, column: monthly.locations[0].physicalLocation.region.startColumn },
      { line: 19, column: 21 },
    );
  });

  test('checking a subfolder names its unreadable files once, relative to where the command runs', async () => {
    const parent = await mkdtemp(join(scratch, 'parent-'));
    await mkdir(join(parent, 'sub'));
    await writeFile(join(parent, 'sub/bad.prompt.md'), new Uint8Array([0x00, 0x01, 0x62]));
    const { code, stdout } = await cli(['check', 'sub'], parent);
    assert.equal(code, 2, 'an unreadable input is exit 2, not 1 (over a limit)');
    assert.match(stdout, /^sub\/bad\.prompt\.md:1:1: error: sub\/bad\.prompt\.md is a binary file/m);
  });

  test('exits 2, in every format, on a binary, a non-UTF-8 or a broken chat JSON prompt; 0 once they are gone', async () => {
    const folder = await mkdtemp(join(scratch, 'unusable-'));
    await writeFile(join(folder, 'prompt-budget.yaml'), 'budgets:\n  - name: All\n    files: ["prompts/**"]\n    maxInputTokens: 1000\n');
    await mkdir(join(folder, 'prompts'));
    await writeFile(join(folder, 'prompts/fine.txt'), 'Label this ticket.\n');
    assert.equal((await cli(['check'], folder)).code, 0);
    const cases: [string, string | Uint8Array, RegExp][] = [
      ['image.prompt.md', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), /image\.prompt\.md:1:1: error: .*binary file/],
      ['latin1.txt', Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('\n')]), /latin1\.txt:1:4: error: .*not valid UTF-8/],
      ['chat.json', '[{"role": "user", "content": ', /chat\.json:1:\d+: error: /],
    ];
    for (const [name, content, problem] of cases) {
      const path = join(folder, 'prompts', name);
      await writeFile(path, content);
      const text = await cli(['check'], folder);
      assert.equal(text.code, 2, `${name}: ${text.stdout}`);
      assert.match(text.stdout, problem);
      for (const format of ['json', 'sarif']) assert.equal((await cli(['check', '--format', format], folder)).code, 2, `${name} with --format ${format}`);
      await rm(path);
    }
  });

  test('a broken config is exit 2 with the file, line and column of each problem', async () => {
    const folder = await mkdtemp(join(scratch, 'broken-'));
    await writeFile(join(folder, 'prompt-budget.yaml'), 'version: 1\nbudgets:\n  - name: A\n    files: ["**/*.md"]\n    maxInputToken: 10\n    maxCostPerCall: -1\n');
    const { code, stdout, stderr } = await cli(['check', folder]);
    assert.equal(code, 2);
    assert.match(stdout, /prompt-budget\.yaml:5:5: warning: Unknown key 'maxInputToken'\. Did you mean 'maxInputTokens'\?/);
    assert.match(stdout, /prompt-budget\.yaml:6:21: error: .*maxCostPerCall/);
    // Each problem once: not on stderr as well as in the check's list.
    assert.equal(`${stdout}\n${stderr}`.match(/maxCostPerCall/g)?.length, 1);
    assert.equal(`${stdout}\n${stderr}`.match(/Unknown key 'maxInputToken'/g)?.length, 1);
  });

  test('report --format csv escapes cells that a spreadsheet would run as formulas', async () => {
    const folder = await mkdtemp(join(scratch, 'csv-'));
    await writeFile(join(folder, 'prompt-budget.yaml'), 'version: 1\nbudgets:\n  - name: "=HYPERLINK(\\"x\\")"\n    files: ["*.prompt.md"]\n');
    await writeFile(join(folder, 'a.prompt.md'), 'Hello there.\n');
    const { code, stdout } = await cli(['report', folder, '--format', 'csv']);
    assert.equal(code, 0);
    assert.match(stdout, /^budget,"'=HYPERLINK\(""x""\)",/m);
    assert.doesNotMatch(stdout, /^[^,\n]*,=/m);
  });
});

describe('the files check walks', () => {
  test('follows links, but lists each real file once: under its real path, not again through a link to it or its folder', async () => {
    const root = join(scratch, 'links');
    await mkdir(join(root, 'shared'), { recursive: true });
    await mkdir(join(root, 'prompts'), { recursive: true });
    await mkdir(join(root, 'node_modules/pkg'), { recursive: true });
    await writeFile(join(root, 'shared/base.prompt.md'), 'Be brief.\n');
    await writeFile(join(root, 'node_modules/pkg/readme.prompt.md'), 'Not a team prompt.\n');
    await symlink(join(root, 'shared/base.prompt.md'), join(root, 'prompts/linked.prompt.md'));
    await symlink(join(root, 'shared'), join(root, 'prompts/shared-folder'));
    await symlink(join(root, 'missing.md'), join(root, 'prompts/dangling.prompt.md'));
    await symlink(root, join(root, 'shared/loop'));
    assert.deepEqual(await listFilesBelow(root), ['shared/base.prompt.md']);
    // A file outside the folder is listed once, under the link with the fewest links in its path.
    const outside = join(scratch, 'outside');
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'external.prompt.md'), 'From elsewhere.\n');
    await symlink(outside, join(root, 'prompts/outside'));
    await symlink(outside, join(root, 'shared/outside-again'));
    await symlink(join(root, 'prompts'), join(root, 'shared/prompts-again'));
    assert.deepEqual(await listFilesBelow(root), ['prompts/outside/external.prompt.md', 'shared/base.prompt.md']);
  });

  test('folders that link to each other are walked once each, not once per path (which is exponential)', async () => {
    const root = join(scratch, 'link-maze');
    const levels = 30;
    for (let level = 0; level < levels; level++) {
      await mkdir(join(root, `d${level}`), { recursive: true });
      await writeFile(join(root, `d${level}`, `p${level}.prompt.md`), `Prompt ${level}.\n`);
    }
    // Two links from each level to the next (and one back to the first): 2^30 paths through 30 folders.
    for (let level = 0; level + 1 < levels; level++) {
      await symlink(join(root, `d${level + 1}`), join(root, `d${level}`, 'a'));
      await symlink(join(root, `d${level + 1}`), join(root, `d${level}`, 'b'));
      await symlink(join(root, 'd0'), join(root, `d${level}`, 'top'));
    }
    const files = await listFilesBelow(root);
    assert.equal(files.length, levels);
    assert.ok(files.every((file) => /^d\d+\/p\d+\.prompt\.md$/.test(file)), 'each under its real path');

    await writeFile(join(root, 'prompt-budget.yaml'), 'version: 1\nbudgets:\n  - name: all\n    files: ["**/*.prompt.md"]\n');
    const { code, stdout } = await cli(['check', root, '--format', 'json']);
    assert.equal(code, 0);
    const [budget] = JSON.parse(stdout).budgets;
    assert.equal(budget.files.length, levels, 'the budget sums each real file once');
  });
});

describe('prompt-budget usage', () => {
  test('--help and --version exit 0; bad usage exits 2 with a hint', async () => {
    assert.equal((await cli(['--help'])).code, 0);
    assert.match((await cli(['--version'])).stdout, /^\d+\.\d+\.\d+$/);
    const unknown = await cli(['counts', 'x']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'counts'/);
    const badFlag = await cli(['count', '--nope', 'x']);
    assert.equal(badFlag.code, 2);
    assert.equal((await cli(['count'])).code, 2);
  });

  test('the bundled bin sets its exit code and counts a 100 MB file in a 1 GB heap', async () => {
    const bin = join(repo, 'dist/cli.js');
    const block = 'Translate the customer message below into French, keeping the tone.\n    indented code line = 42;\n// a comment line\n\nCJK 你好世界 and emoji 🙂 with numbers 1234567890.\n';
    const copies = Math.ceil((100 * 1024 * 1024) / Buffer.byteLength(block));
    const big = join(scratch, 'big.txt');
    await writeFile(big, block.repeat(copies));
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--max-old-space-size=1024', bin, 'count', big, '--json'], { maxBuffer: 1 << 20 });
    // Each copy ends in a newline before a non-blank line, so the whole counts as the sum of copies.
    assert.equal(JSON.parse(stdout)[0].tokens, referenceCount(block) * copies);
    await assert.rejects(run(process.execPath, [bin, 'count', join(scratch, 'nope.txt')]), (error: { code: number }) => error.code === 2);
  });
});
