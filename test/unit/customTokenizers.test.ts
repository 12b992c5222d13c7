import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';
import type { BudgetConfig } from '../../src/core/config/budgetConfig';
import type { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import { isCustomTokenizer } from '../../src/core/tokenize/customVocabularies';
import { readConvertedCustomVocabulary, resolveCustomTokenizers } from '../../src/core/tokenize/sources/customTokenizerFiles';
import type { VocabularySources } from '../../src/core/tokenize/sources/vocabularyFiles';
import { loadTokenCounter } from '../../src/core/tokenize/tokenCounter';
import { describeVocabulary } from '../../src/core/tokenize/vocabularies';
import type { CustomTokenizerId } from '../../src/core/types';
import { loadGuardConfig } from '../../src/library/guardConfig';
import { runCliInProcess } from '../runCliInProcess';
import { syntheticTokenizerJson } from './syntheticTokenizer';
import { temporaryFolders } from './temporaryFolders';

const CORPUS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'corpus');
const O200K_RANKS = join(__dirname, '..', '..', '..', 'dist', 'o200k_base.ranks');

/** o200k_base as a tiktoken ranks file (`<base64 token> <rank>` per line), rebuilt from the shipped compact form. */
function o200kAsTiktokenFile(): string {
  const file = readFileSync(O200K_RANKS);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const patternLength = view.getUint32(4, true);
  const tableStart = ((8 + patternLength + 3) & ~3) + 8;
  const tokenCount = view.getUint32(tableStart - 8, true);
  const slotCount = view.getUint32(tableStart - 4, true);
  const lengthsStart = tableStart + slotCount * 4;
  let at = lengthsStart + tokenCount;
  const lines: string[] = [];
  for (let rank = 0; rank < tokenCount; rank++) {
    const length = file[lengthsStart + rank];
    if (length > 0) lines.push(`${Buffer.from(file.subarray(at, at + length)).toString('base64')} ${rank}`);
    at += length;
  }
  return lines.join('\n');
}

const tempDir = temporaryFolders('pb-customtok-');

/** Parses a config whose models name tokenizers, as written in prompt-budget.yaml. */
function parseModels(models: Record<string, string>): ReturnType<typeof parseBudgetConfig> {
  const lines = ['version: 1', 'models:', ...Object.entries(models).flatMap(([id, tokenizer]) => [`  ${id}:`, `    tokenizer: ${tokenizer}`])];
  return parseBudgetConfig('prompt-budget.yaml', `${lines.join('\n')}\n`, { isKnownModel: () => true });
}

function sourcesIn(dir: string, extra: Partial<VocabularySources> = {}): VocabularySources {
  return { folders: [], huggingFaceCache: undefined, cacheDir: join(dir, 'cache'), ...extra };
}

async function resolveIn(dir: string, models: Record<string, string>, extra: Partial<VocabularySources> = {}) {
  const parsed = parseModels(models);
  assert.ok(parsed.config, JSON.stringify(parsed.problems));
  return resolveCustomTokenizers(parsed.config, dir, 'prompt-budget.yaml', sourcesIn(dir, extra));
}

function tokenizerOf(config: BudgetConfig, id: string) {
  return config.models.find((model) => model.id === id)?.tokenizer;
}

describe('models.<id>.tokenizer names a file', () => {
  test('a path or hf: repository is read as a custom tokenizer, counted as the estimate until resolved', () => {
    const { config, problems } = parseModels({ 'acme-ft': './tokenizers/acme/tokenizer.json', 'kimi-ft': 'hf:moonshotai/Kimi-K2-Instruct@main', plain: 'qwen3' });
    assert.deepEqual(problems, []);
    const acme = config!.models.find((model) => model.id === 'acme-ft')!;
    assert.equal(acme.tokenizer, 'estimate');
    assert.deepEqual({ spec: acme.tokenizerFile?.spec, line: acme.tokenizerFile?.line, column: acme.tokenizerFile?.column }, { spec: './tokenizers/acme/tokenizer.json', line: 4, column: 16 });
    assert.equal(config!.models.find((model) => model.id === 'kimi-ft')!.tokenizerFile?.spec, 'hf:moonshotai/Kimi-K2-Instruct@main');
    assert.equal(config!.models.find((model) => model.id === 'plain')!.tokenizerFile, undefined);
  });

  test('a malformed hf: name and an unknown tokenizer id are errors on their line', () => {
    const { problems } = parseModels({ a: 'hf:just-a-name', b: 'qwen4' });
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.severity]),
      [
        [4, 'error'],
        [6, 'error'],
      ],
    );
    assert.equal(problems[0].message, "'hf:just-a-name' is not hf:<org>/<repo> or hf:<org>/<repo>@<revision>.");
    assert.match(problems[1].message, /^Unknown tokenizer 'qwen4'\. Did you mean/);
  });
});

describe('resolving custom tokenizers', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
    mkdirSync(join(dir, 'tok'));
    writeFileSync(join(dir, 'tok', 'tokenizer.json'), syntheticTokenizerJson());
  });

  test('a byte-level tokenizer.json counts exactly, by its merges and added tokens, under an id from its content', async () => {
    const { config, problems } = await resolveIn(dir, { 'acme-ft': './tok/tokenizer.json' });
    assert.deepEqual(problems, []);
    const id = tokenizerOf(config, 'acme-ft')!;
    const sha = createHash('sha256').update(syntheticTokenizerJson()).digest('hex');
    assert.equal(id, `custom:${sha.slice(0, 12)}`);
    const counter = await loadTokenCounter(id);
    assert.equal(counter.exact, true);
    // "hello" is one token, " hello" a space and "hello", "<|end|>" one token, "help" h, e, l, p merged to he, l, p.
    assert.equal(counter.count('hello hello<|end|>'), 4);
    assert.equal(counter.count('help'), 3);
    assert.equal(describeVocabulary(id), `custom tokenizer.json (./tok/tokenizer.json, sha256 ${sha.slice(0, 12)})`);
  });

  test('the conversion is kept in the cache folder by content hash and read back by another process', async () => {
    const { config } = await resolveIn(dir, { 'acme-ft': './tok/tokenizer.json' });
    const id = tokenizerOf(config, 'acme-ft') as CustomTokenizerId;
    assert.deepEqual(readdirSync(join(dir, 'cache')), [`custom-${id.slice('custom:'.length)}.ranks`]);
    assert.ok(await readConvertedCustomVocabulary(join(dir, 'cache'), id));
    assert.equal(await readConvertedCustomVocabulary(join(dir, 'cache'), 'custom:000000000000'), undefined);
  });

  test('a changed file gets a new id on the next resolve', async () => {
    const changed = tempDir();
    const file = join(changed, 'tokenizer.json');
    writeFileSync(file, syntheticTokenizerJson());
    const first = tokenizerOf((await resolveIn(changed, { m: file })).config, 'm');
    // Without its last merge (and token), "hello" is "hell" and "o".
    const json = JSON.parse(syntheticTokenizerJson()) as { model: { merges: string[]; vocab: Record<string, number> } };
    json.model.merges = json.model.merges.slice(0, 3);
    delete json.model.vocab.hello;
    writeFileSync(file, JSON.stringify(json, null, 1));
    const second = tokenizerOf((await resolveIn(changed, { m: file })).config, 'm');
    assert.ok(first && second && isCustomTokenizer(first) && isCustomTokenizer(second));
    assert.notEqual(first, second);
    assert.equal((await loadTokenCounter(second)).count('hello'), 2);
  });

  test('a tiktoken ranks file counts with o200k_base\'s pattern, exactly as the vocabulary it came from', async () => {
    const tiktokenDir = tempDir();
    writeFileSync(join(tiktokenDir, 'o200k.tiktoken'), o200kAsTiktokenFile());
    const { config, problems } = await resolveIn(tiktokenDir, { 'openai-ft': 'o200k.tiktoken' });
    assert.deepEqual(problems, []);
    const custom = await loadTokenCounter(tokenizerOf(config, 'openai-ft')!);
    const shipped = await loadTokenCounter('o200k_base');
    assert.equal(custom.exact, true);
    for (const name of readdirSync(CORPUS)) {
      const text = readFileSync(join(CORPUS, name), 'utf8');
      assert.equal(custom.count(text), shipped.count(text), name);
    }
    assert.match(describeVocabulary(custom.tokenizer), /^custom tiktoken \(o200k\.tiktoken, sha256 [0-9a-f]{12}\)$/);
  });

  test('an unsupported or missing file is a problem on the config line, and the model counts as the estimate', async () => {
    const bad = tempDir();
    writeFileSync(join(bad, 'wordpiece.json'), JSON.stringify({ added_tokens: [], normalizer: null, pre_tokenizer: null, model: { type: 'WordPiece', vocab: { a: 0 } } }));
    writeFileSync(join(bad, 'other.json'), '{"hello": 1}');
    const { config, problems } = await resolveIn(bad, { wp: 'wordpiece.json', other: './other.json', gone: './nowhere/tokenizer.json', hub: 'hf:acme/missing' });
    assert.deepEqual(
      problems.map((problem) => [problem.file, problem.line, problem.severity, problem.rule]),
      [
        ['prompt-budget.yaml', 4, 'error', 'tokenizer-file'],
        ['prompt-budget.yaml', 6, 'error', 'tokenizer-file'],
        ['prompt-budget.yaml', 8, 'error', 'tokenizer-file'],
        ['prompt-budget.yaml', 10, 'warning', 'tokenizer-file'],
      ],
    );
    assert.match(problems[0].message, /is a WordPiece tokenizer; only BPE tokenizers/);
    assert.match(problems[1].message, /neither a Hugging Face tokenizer\.json/);
    assert.match(problems[2].message, /there is no file/);
    assert.match(problems[3].message, /huggingface-cli download acme\/missing tokenizer\.json/);
    for (const id of ['wp', 'other', 'gone', 'hub']) assert.equal(tokenizerOf(config, id), 'estimate');
  });

  test('a file over the size cap is refused before it is read', async () => {
    const big = tempDir();
    writeFileSync(join(big, 'tokenizer.json'), Buffer.alloc(64 * 1024 * 1024 + 1, 32));
    const { problems } = await resolveIn(big, { m: './tokenizer.json' });
    assert.match(problems[0].message, /is 67108865 bytes, more than the 64 MB read/);
  });

  test('hf:org/repo is taken from the Hugging Face cache at its ref, as found (not verified)', async () => {
    const hub = tempDir();
    const commit = 'c'.repeat(40);
    const repoDir = join(hub, 'models--acme--tiny');
    mkdirSync(join(repoDir, 'refs'), { recursive: true });
    mkdirSync(join(repoDir, 'snapshots', commit), { recursive: true });
    writeFileSync(join(repoDir, 'refs', 'main'), commit);
    writeFileSync(join(repoDir, 'snapshots', commit, 'tokenizer.json'), syntheticTokenizerJson());
    const { config, problems } = await resolveIn(hub, { tiny: 'hf:acme/tiny' }, { huggingFaceCache: hub });
    assert.deepEqual(problems, []);
    const id = tokenizerOf(config, 'tiny')!;
    assert.equal((await loadTokenCounter(id)).count('hello'), 1);
    assert.match(describeVocabulary(id), /^custom tokenizer\.json \(hf:acme\/tiny@cccccccc tokenizer\.json, taken as found, sha256 [0-9a-f]{12}\)$/);
  });
});

describe('prompt-budget count with a custom tokenizer', () => {
  let dir: string;
  const savedCacheDir = process.env.PROMPT_BUDGET_CACHE_DIR;
  before(() => {
    dir = tempDir();
    process.env.PROMPT_BUDGET_CACHE_DIR = join(dir, 'cache');
    mkdirSync(join(dir, 'tokenizers'));
    writeFileSync(join(dir, 'tokenizers', 'tokenizer.json'), syntheticTokenizerJson());
    writeFileSync(join(dir, 'tokenizers', 'unigram.json'), JSON.stringify({ added_tokens: [], model: { type: 'Unigram', vocab: [] } }));
    writeFileSync(join(dir, 'prompt.txt'), 'hello hello hello');
  });
  after(() => {
    if (savedCacheDir === undefined) delete process.env.PROMPT_BUDGET_CACHE_DIR;
    else process.env.PROMPT_BUDGET_CACHE_DIR = savedCacheDir;
  });

  test('counts exactly with the file the config names, and says which file', async () => {
    writeFileSync(join(dir, 'prompt-budget.yaml'), 'version: 1\nmodels:\n  acme-ft:\n    contextWindow: 8192\n    tokenizer: ./tokenizers/tokenizer.json\n');
    const { code, stdout, stderr } = await runCliInProcess(['count', '--model', 'acme-ft', 'prompt.txt'], dir);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.match(stdout, /^prompt\.txt: 5 tokens \(exact, custom tokenizer\.json \(\.\/tokenizers\/tokenizer\.json, sha256 [0-9a-f]{12}\)\)/);
  });

  /** acme-ft resolves to the custom tokenizer file, which counts exactly (5 tokens, as the CLI counts). */
  async function assertAcmeFtCountsExactly(catalog: ModelCatalog): Promise<void> {
    const resolution = catalog.resolve('acme-ft');
    assert.ok('model' in resolution);
    const counter = await loadTokenCounter(resolution.model.tokenizer);
    assert.equal(counter.exact, true);
    assert.equal(counter.count('hello hello hello'), 5);
  }

  test("the library's guard resolves the same config to the same exact tokenizer", async () => {
    writeFileSync(join(dir, 'prompt-budget.yaml'), 'version: 1\nmodels:\n  acme-ft:\n    contextWindow: 8192\n    tokenizer: ./tokenizers/tokenizer.json\n');
    const { catalog } = await loadGuardConfig(dir, undefined);
    await assertAcmeFtCountsExactly(catalog);
  });

  test("the library's guard given a parsed config resolves its tokenizer file from cwd, as from a config file's folder", async () => {
    const parsed = parseBudgetConfig('prompt-budget.yaml', 'version: 1\nmodels:\n  acme-ft:\n    contextWindow: 8192\n    tokenizer: ./tokenizers/tokenizer.json\n');
    assert.ok(parsed.config, JSON.stringify(parsed.problems));
    const { catalog } = await loadGuardConfig(dir, parsed.config);
    await assertAcmeFtCountsExactly(catalog);
  });

  test('a tokenizer file of an unsupported kind is a problem naming the config file and line; the count is an estimate', async () => {
    writeFileSync(join(dir, 'prompt-budget.yaml'), 'version: 1\nmodels:\n  acme-ft:\n    contextWindow: 8192\n    tokenizer: tokenizers/unigram.json\n');
    const { code, stdout, stderr } = await runCliInProcess(['count', '--model', 'acme-ft', 'prompt.txt'], dir);
    assert.match(stderr, /^prompt-budget\.yaml:5:16: error: Tokenizer 'tokenizers\/unigram\.json' is a Unigram tokenizer; only BPE tokenizers .*'acme-ft' counts as an estimate \(≈\)\.$/m);
    assert.match(stdout, /^prompt\.txt: ≈\d+ tokens \(estimate/);
    assert.equal(code, 2);
  });
});
