import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { CountRequest, CountResponse } from '../../src/extension/worker/countProtocol';
import { DownloadBackoff } from '../../src/core/tokenize/sources/downloadBackoff';
import { tiktokenRanks } from '../../src/core/tokenize/tiktokenRanks';
import type { CliIo } from '../../src/cli/cliIo';
import { runCli } from '../../src/cli/runCli';
import { tokenizerForModel } from '../../src/core/catalog/tokenizerForModel';
import { readRegularFile } from '../../src/core/io/readRegularFile';
import { convertVocabulary } from '../../src/core/tokenize/convertVocabulary';
import { PieceTokenCounts } from '../../src/core/tokenize/pieceCounter';
import { RankTable } from '../../src/core/tokenize/rankTable';
import { DownloadRefused, downloadVocabulary } from '../../src/core/tokenize/sources/downloadVocabulary';
import { PINNED_VOCABULARIES, type PinnedVocabulary } from '../../src/core/tokenize/sources/pinnedVocabularies';
import { cachedFileName, findVocabulary } from '../../src/core/tokenize/sources/vocabularyFiles';
import { tekkenRanks } from '../../src/core/tokenize/tiktokenRanks';
import { tokenizerJsonRanks } from '../../src/core/tokenize/tokenizerJsonRanks';
import { forgetMissingVocabularies, loadTokenCounter, setFetchedRanksReader } from '../../src/core/tokenize/tokenCounter';
import { parseVocabularyHeader } from '../../src/core/tokenize/vocabularyHeader';
import { LLAMA3_SPLIT, syntheticTokenizerJson } from './syntheticTokenizer';
import { temporaryFolders } from './temporaryFolders';

const TOKENIZER_JSON = syntheticTokenizerJson();
const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

/** A pinned vocabulary for the synthetic file, published at org/<repo>@abc123. */
function pinnedSynthetic(repo = 'org/good', file = TOKENIZER_JSON): PinnedVocabulary {
  return { id: 'synthetic', label: 'Synthetic', licence: 'test', bytes: Buffer.byteLength(file), sha256: sha256(file), locations: [{ repo, commit: 'abc123', file: 'tokenizer.json' }], matchSpecialTokens: true };
}

const tempDir = temporaryFolders('pb-tokenizers-');

function piecesOf(pattern: string, text: string): string[] {
  const pieces: string[] = [];
  new PieceTokenCounts(pattern, () => 1).forEachPiece(text, (_, piece) => pieces.push(piece));
  return pieces;
}

describe('converting vocabulary files', () => {
  test('a byte-level tokenizer.json becomes a ranks file that counts its merges and its added token', async () => {
    const ranks = tokenizerJsonRanks(TOKENIZER_JSON, { source: 'test', sha256: sha256(TOKENIZER_JSON), matchSpecialTokens: true });
    const header = parseVocabularyHeader(new RankTable(ranks).pattern);
    assert.deepEqual(header?.specialTokens, ['<|end|>']);
    assert.deepEqual(header?.splits, [LLAMA3_SPLIT]);
    setFetchedRanksReader(async (id) => (id === 'glm45' ? ranks : undefined));
    const counter = await loadTokenCounter('glm45');
    assert.equal(counter.exact, true);
    // hello | " " hello (a space is no merge here) | <|end|>
    assert.equal(counter.count('hello hello<|end|>'), 4);
  });

  test('a tokenizer.json whose ids are not its merge order is refused, never counted by rank', () => {
    const shuffled = syntheticTokenizerJson(['l l', 'h e', 'he ll', 'hell o']);
    assert.throws(() => tokenizerJsonRanks(shuffled, { source: 'test', sha256: '', matchSpecialTokens: true }), /not the merge order/);
  });

  test('a tekken.json keeps its pattern, cuts its table to the vocabulary size and never matches special tokens', () => {
    const vocab = Array.from({ length: 258 }, (_, rank) => ({ rank, token_bytes: Buffer.from(rank < 256 ? [rank] : rank === 256 ? 'ab' : 'abc').toString('base64') }));
    const tekken = JSON.stringify({ config: { pattern: '\\s+|\\S+', default_vocab_size: 1257, default_num_special_tokens: 1000 }, vocab, special_tokens: [{ rank: 0, token_str: '<unk>' }] });
    const ranks = convertVocabulary(tekken, { source: 'test', sha256: 'x', matchSpecialTokens: true });
    const table = new RankTable(ranks);
    const bytes = new TextEncoder().encode('abc');
    assert.equal(table.rankOf(bytes, 0, 2), 256);
    // rank 257 (abc) is past 1257 - 1000 tokens: not in the table
    assert.ok(table.rankOf(bytes, 0, 3) > 257);
    assert.deepEqual(parseVocabularyHeader(table.pattern)?.specialTokens, []);
    assert.throws(() => tekkenRanks(JSON.stringify({ config: { pattern: 'x' } }), { source: 't', sha256: 'x', matchSpecialTokens: false }), /not a tekken.json/);
  });

  test('a tiktoken ranks file names its bad line', () => {
    const kimi = PINNED_VOCABULARIES.kimi_k2;
    assert.throws(() => convertVocabulary('YQ== 0\nnot a line\n', { source: 't', sha256: 'x', matchSpecialTokens: true }, kimi.tiktoken), /line 2 is not/);
    assert.throws(() => convertVocabulary('YQ== 0\n', { source: 't', sha256: 'x', matchSpecialTokens: true }), /does not carry its pre-tokenizer/);
  });
});

describe("Kimi K2's pre-tokenizer", () => {
  const pattern = PINNED_VOCABULARIES.kimi_k2.tiktoken!.pattern;
  // Expected pieces follow from the pattern: a Han run is its own piece ([\p{Han}]+ comes first and the
  // letter branches exclude Han), `\p{Han}` is the Script (U+3001 and U+30FC are not Han, U+3005 is),
  // contractions attach case-insensitively to the word before, digits go in threes. Checked with
  // tiktoken 0.14 on the same pattern.
  const cases: Array<[string, string[]]> = [
    ['中文English混合', ['中文', 'English', '混合']],
    ["I'M here, DON'T we'll 12345 北京市 Pascal", ["I'M", ' here', ',', " DON'T", " we'll", ' ', '123', '45', ' ', '北京市', ' Pascal']],
    ['中、文', ['中', '、', '文']],
    ['中々', ['中々']],
    ['カタカナー漢字', ['カタカナー', '漢字']],
    ['ÉCOLEécole', ['ÉCOLEécole']],
  ];
  for (const [text, expected] of cases) {
    test(`splits ${JSON.stringify(text)}`, () => assert.deepEqual(piecesOf(pattern, text), expected));
  }

  test('a tiktoken.model with its pattern counts a Han run and a word apart, special tokens as one', async () => {
    const lines = Array.from({ length: 256 }, (_, byte) => `${Buffer.from([byte]).toString('base64')} ${byte}`);
    const extra = ['中文', 'English', ' we'].map((token, i) => `${Buffer.from(token).toString('base64')} ${256 + i}`);
    const ranks = convertVocabulary([...lines, ...extra].join('\n'), { source: 't', sha256: 'x', matchSpecialTokens: true }, PINNED_VOCABULARIES.kimi_k2.tiktoken);
    setFetchedRanksReader(async (id) => (id === 'kimi_k2' ? ranks : undefined));
    const counter = await loadTokenCounter('kimi_k2');
    assert.equal(counter.exact, true);
    // Whole pieces that are tokens are one token each (tiktoken looks a piece up before merging).
    assert.equal(counter.count('中文English'), 2);
    assert.equal(counter.count('<|im_end|>'), 1);
  });
});

describe('where fetched vocabularies come from', () => {
  test('a model of a family not on this machine counts as the estimate; once a verified copy is there, exactly', async () => {
    setFetchedRanksReader(async () => undefined);
    const before = await loadTokenCounter('deepseek_v4');
    assert.equal(before.exact, false);
    assert.equal(before.tokenizer, 'estimate');
    const ranks = tokenizerJsonRanks(TOKENIZER_JSON, { source: 'test', sha256: 'x', matchSpecialTokens: false });
    setFetchedRanksReader(async (id) => (id === 'deepseek_v4' ? ranks : undefined));
    forgetMissingVocabularies();
    const afterPull = await loadTokenCounter('deepseek_v4');
    assert.equal(afterPull.exact, true);
    assert.equal(afterPull.tokenizer, 'deepseek_v4');
  });

  test("Gemini 3.1+ (Gemma 4's vocabulary) counts as the Gemini estimate until its SentencePiece tokenizer.json is here, then exactly", async () => {
    setFetchedRanksReader(async () => undefined);
    forgetMissingVocabularies();
    const before = await loadTokenCounter(tokenizerForModel('gemini-3.1-pro-preview'));
    assert.equal(before.exact, false);
    assert.equal(before.tokenizer, 'estimate-gemini', "the family's own estimate (±19 %), not the generic one");
    // A small tokenizer.json shaped like Gemma's: byte fallback, spaces as '▁'; convertVocabulary picks the SentencePiece engine.
    const vocab: Record<string, number> = { '<unk>': 0 };
    for (let byte = 0; byte < 256; byte++) vocab[`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`] = Object.keys(vocab).length;
    for (const piece of ['h', 'i', '▁', 'hi', '▁hi']) vocab[piece] = Object.keys(vocab).length;
    const gemmaLike = JSON.stringify({
      version: '1.0',
      added_tokens: [{ id: 0, content: '<unk>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
      normalizer: { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      pre_tokenizer: { type: 'Split', pattern: { String: ' ' }, behavior: 'MergedWithPrevious', invert: false },
      model: { type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: true, byte_fallback: true, ignore_merges: false, vocab, merges: [['h', 'i'], ['▁', 'hi']] },
    });
    const ranks = convertVocabulary(gemmaLike, { source: 'test', sha256: 'x', matchSpecialTokens: true });
    setFetchedRanksReader(async (id) => (id === 'gemma4' ? ranks : undefined));
    forgetMissingVocabularies();
    const exact = await loadTokenCounter('gemma4');
    assert.equal(exact.exact, true);
    // 'hi hi é': 'hi', '▁hi', '▁' and é as its two UTF-8 bytes (no piece for it).
    assert.equal(exact.count('hi hi é'), 5);
    setFetchedRanksReader(async () => undefined);
    forgetMissingVocabularies();
  });

  test('family rules send Kimi K2, GLM-4.5/4.6, Qwen 3.5/3.6 and DeepSeek V4 ids to their vocabularies', () => {
    assert.equal(tokenizerForModel('kimi-k2-0905-preview'), 'kimi_k2');
    assert.equal(tokenizerForModel('moonshotai/kimi-k2-thinking'), 'kimi_k2');
    assert.equal(tokenizerForModel('avian/moonshotai/kimi-k2.6'), 'estimate');
    assert.equal(tokenizerForModel('glm-4.5-air'), 'glm45');
    assert.equal(tokenizerForModel('z-ai/glm-4.6'), 'glm45');
    assert.equal(tokenizerForModel('qwen3.5-397b-a17b'), 'qwen35');
    assert.equal(tokenizerForModel('qwen3.5-plus'), 'estimate');
    assert.equal(tokenizerForModel('qwen3-8b'), 'qwen3');
    assert.equal(tokenizerForModel('deepseek-v4-pro'), 'deepseek_v4');
    assert.equal(tokenizerForModel('deepseek-chat'), 'deepseek_v3');
  });

  test("a file in the user's folder is found by its content under any name, converted once and then read from the cache", async () => {
    const folder = tempDir();
    const cacheDir = tempDir();
    writeFileSync(join(folder, 'notes.txt'), 'x'.repeat(100));
    writeFileSync(join(folder, 'my-vocab.bin'), TOKENIZER_JSON);
    const pinned = pinnedSynthetic();
    const found = await findVocabulary(pinned, { folders: [folder], huggingFaceCache: undefined, cacheDir });
    assert.equal(found?.place, 'folder');
    assert.equal(found?.path, join(folder, 'my-vocab.bin'));
    assert.deepEqual(readdirSync(cacheDir), [cachedFileName(pinned)]);
    const again = await findVocabulary(pinned, { folders: [], huggingFaceCache: undefined, cacheDir });
    assert.equal(again?.place, 'cache');
    // The editor reads the CLI's converted copies too, without writing there.
    const fromOther = await findVocabulary(pinned, { folders: [], huggingFaceCache: undefined, cacheDir: tempDir(), otherCacheDirs: [cacheDir] });
    assert.equal(fromOther?.path, join(cacheDir, cachedFileName(pinned)));
    // Same size, other bytes: not the pinned file.
    const forged = TOKENIZER_JSON.replace('"he"', '"eh"');
    const other = tempDir();
    writeFileSync(join(other, 'tokenizer.json'), forged);
    assert.equal(await findVocabulary(pinned, { folders: [other], huggingFaceCache: undefined, cacheDir: undefined }), undefined);
  });

  test("the Hugging Face cache's snapshot layout is read through its symlinks to blobs", async () => {
    const hub = tempDir();
    const repo = join(hub, 'models--org--good');
    mkdirSync(join(repo, 'blobs'), { recursive: true });
    mkdirSync(join(repo, 'snapshots', 'abc123'), { recursive: true });
    writeFileSync(join(repo, 'blobs', sha256(TOKENIZER_JSON)), TOKENIZER_JSON);
    symlinkSync(join('..', '..', 'blobs', sha256(TOKENIZER_JSON)), join(repo, 'snapshots', 'abc123', 'tokenizer.json'));
    const found = await findVocabulary(pinnedSynthetic(), { folders: [], huggingFaceCache: hub, cacheDir: undefined });
    assert.equal(found?.place, 'huggingface-cache');
    assert.match(found!.path, /snapshots\/abc123\/tokenizer\.json$/);
  });
});

describe('downloading a pinned vocabulary (a local server stands in for Hugging Face)', () => {
  let server: Server;
  let endpoint: string;
  const requests: string[] = [];
  const body = Buffer.from(TOKENIZER_JSON);

  before(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      const repo = (request.url ?? '').split('/')[2];
      if (repo === 'good') {
        response.writeHead(200, { 'content-length': body.length }).end(body);
      } else if (repo === 'gated') {
        // Like google/ repositories: only an account that accepted the terms, by its token.
        if (request.headers.authorization === 'Bearer hf_test') response.writeHead(200, { 'content-length': body.length }).end(body);
        else response.writeHead(401).end();
      } else if (repo === 'truncated') {
        response.writeHead(200, { 'content-length': body.length });
        response.write(body.subarray(0, 1000));
        setTimeout(() => response.socket?.destroy(), 20);
      } else if (repo === 'short') {
        // No length given, the body simply ends early.
        response.writeHead(200).end(body.subarray(0, body.length - 10));
      } else if (repo === 'wronghash') {
        response.writeHead(200, { 'content-length': body.length }).end(Buffer.from(TOKENIZER_JSON.replace('"he"', '"eh"')));
      } else if (repo === 'oversized') {
        // Chunked, no length: the cap stops the read.
        response.writeHead(200);
        response.write(body);
        response.end(Buffer.alloc(1 << 20, 32));
      } else if (repo === 'slow') {
        response.writeHead(200, { 'content-length': body.length });
        response.write(body.subarray(0, 10));
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const download = (repo: string, cacheDir: string, env: Record<string, string> = {}) =>
    downloadVocabulary(pinnedSynthetic(`org/${repo}`), { cacheDir, env: { HF_ENDPOINT: endpoint, ...env }, timeoutMs: 500 });

  test('a good file is fetched from the mirror, verified, converted and kept', async () => {
    const cacheDir = tempDir();
    const found = await download('good', cacheDir);
    assert.equal(found.place, 'download');
    assert.equal(requests.at(-1), '/org/good/resolve/abc123/tokenizer.json');
    assert.deepEqual(readdirSync(cacheDir), [cachedFileName(pinnedSynthetic('org/good'))]);
    assert.equal((await findVocabulary(pinnedSynthetic('org/good'), { folders: [], huggingFaceCache: undefined, cacheDir }))?.place, 'cache');
  });

  const failures: Array<[string, RegExp]> = [
    ['truncated', /terminated|socket|bytes received|truncated|other side closed/i],
    ['short', /bytes received, the pinned file has/],
    ['wronghash', /sha256 [0-9a-f]{64} is not the pinned/],
    ['oversized', /more than the pinned \d+ bytes; stopped reading/],
    ['slow', /no complete answer within 1 s/],
    ['missing', /HTTP 404/],
  ];
  for (const [repo, reason] of failures) {
    test(`a ${repo} answer is refused, leaves nothing behind and says why`, async () => {
      const cacheDir = tempDir();
      await assert.rejects(download(repo, cacheDir), (error: Error) => {
        assert.match(error.message, reason);
        return true;
      });
      assert.deepEqual(readdirSync(cacheDir), []);
    });
  }

  test("a gated repository is asked with HF_TOKEN, and without it the refusal says what to do; other repositories never get the token", async () => {
    const gated = { ...pinnedSynthetic('org/gated'), gated: true };
    await assert.rejects(downloadVocabulary(gated, { cacheDir: tempDir(), env: { HF_ENDPOINT: endpoint }, timeoutMs: 2000 }), /HTTP 401: the repository is gated; accept its terms on Hugging Face and set HF_TOKEN/);
    const found = await downloadVocabulary(gated, { cacheDir: tempDir(), env: { HF_ENDPOINT: endpoint, HF_TOKEN: 'hf_test' }, timeoutMs: 2000 });
    assert.equal(found.place, 'download');
    // Not gated: the token stays home, so the gated branch of the server refuses it.
    await assert.rejects(downloadVocabulary(pinnedSynthetic('org/gated'), { cacheDir: tempDir(), env: { HF_ENDPOINT: endpoint, HF_TOKEN: 'hf_test' }, timeoutMs: 2000 }), /HTTP 401$/);
  });

  test('with HF_HUB_OFFLINE=1 nothing is requested', async () => {
    const before = requests.length;
    await assert.rejects(download('good', tempDir(), { HF_HUB_OFFLINE: '1' }), DownloadRefused);
    assert.equal(requests.length, before);
  });
});

describe('prompt-budget tokenizers', () => {
  let server: Server;
  let endpoint: string;
  let requests = 0;

  before(async () => {
    server = createServer((_, response) => {
      requests++;
      response.writeHead(200).end('not the pinned file');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  async function cli(args: string[], env: Record<string, string> = {}, files: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const home = tempDir();
    for (const [name, text] of Object.entries(files)) writeFileSync(join(home, name), text);
    const io: CliIo = {
      cwd: home,
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      readFile: (path, maxBytes) => readRegularFile(join(home, path), maxBytes),
      listFiles: async () => [],
      env: { XDG_CACHE_HOME: join(home, 'cache'), HF_ENDPOINT: endpoint, ...env },
      home,
    };
    const code = await runCli(args, io);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }

  test('list shows the shipped vocabularies as exact and the others as estimated until pulled, with the command to pull', async () => {
    const { code, stdout } = await cli(['tokenizers', 'list', '--json']);
    assert.equal(code, 0);
    const rows = JSON.parse(stdout) as Array<{ id: string; tier: string; where: string }>;
    assert.equal(rows.find((row) => row.id === 'llama3')?.tier, 'exact, shipped');
    const kimi = rows.find((row) => row.id === 'kimi_k2');
    assert.equal(kimi?.tier, '≈ until pulled');
    assert.match(kimi!.where, /prompt-budget tokenizers pull kimi_k2/);
    const table = (await cli(['tokenizers', 'list'])).stdout.split('\n');
    assert.match(table[0], /^id\s+vocabulary\s+tier\s+where$/, 'a header names the columns');
    assert.match(table[1], /^o200k_base\s+o200k_base\s+exact, shipped\s+/);
    assert.equal(table.length, rows.length + 1, 'one line per vocabulary under the header');
  });

  test('count labels a Kimi K2 prompt an estimate and says how to make it exact', async () => {
    const { code, stdout } = await cli(['count', 'ask.txt', '--model', 'kimi-k2-0905-preview'], {}, { 'ask.txt': 'Summarise the ticket in one line.' });
    assert.equal(code, 0);
    assert.match(stdout, /^ask.txt: ≈\d+ tokens \(estimate, ±33 %; exact after `prompt-budget tokenizers pull kimi_k2`\)/);
  });

  test('models says a family not pulled is not exact', async () => {
    const { stdout } = await cli(['models', 'kimi-k2', '--json']);
    const models = (JSON.parse(stdout) as Array<{ id: string; tokenizer: string; exact: boolean }>).filter((model) => model.tokenizer === 'kimi_k2');
    assert.ok(models.length > 0);
    for (const model of models) assert.equal(model.exact, false, model.id);
  });

  test('pull with HF_HUB_OFFLINE=1 makes no request and says how else to get the file', async () => {
    const before = requests;
    const { code, stderr } = await cli(['tokenizers', 'pull', 'kimi_k2'], { HF_HUB_OFFLINE: '1' });
    assert.equal(code, 2);
    assert.match(stderr, /HF_HUB_OFFLINE is set, so nothing is downloaded; put moonshotai\/Kimi-K2-Instruct@fd1984e2 tiktoken.model in a --tokenizers folder/);
    assert.equal(requests, before);
  });

  test('pull refuses a mirror that serves other bytes, and a shipped family has nothing to pull', async () => {
    const { code, stderr } = await cli(['tokenizers', 'pull', 'glm45']);
    assert.equal(code, 2);
    assert.match(stderr, /could not download GLM-4.5's vocabulary:\n {2}http:\/\/127\.0\.0\.1:\d+\/zai-org\/GLM-4\.5\/resolve\/cbb2c7cf[0-9a-f]+\/tokenizer\.json: \d+ bytes received, the pinned file has 19970699/);
    const shipped = await cli(['tokenizers', 'pull', 'llama3']);
    assert.equal(shipped.code, 2);
    assert.match(shipped.stderr, /'llama3' ships with Prompt Budget; nothing to pull/);
  });
});

describe('the count worker and fetched vocabularies', () => {
  test('a Kimi K2 prompt counts as the estimate, then exactly once the editor says where the verified file is', async () => {
    const home = tempDir();
    const worker = new Worker(join(__dirname, '..', '..', '..', 'dist', 'promptWorker.js'), { env: { XDG_CACHE_HOME: join(home, 'cache'), HF_HUB_CACHE: join(home, 'hub') } });
    const counts: Array<Extract<CountResponse, { kind: 'counted' }>['count']> = [];
    const next = () =>
      new Promise<void>((resolvePromise, reject) => {
        worker.once('error', reject);
        worker.once('message', (response: CountResponse) => {
          if (response.kind === 'counted') counts.push(response.count);
          resolvePromise();
        });
      });
    try {
      let counted = next();
      worker.postMessage({ kind: 'open', uri: 'file:///a.txt', openId: 1, version: 1, fileName: '/a.txt', text: '中文English', tokenizer: 'kimi_k2' } satisfies CountRequest);
      await counted;
      assert.deepEqual([counts[0].tokenizer, counts[0].exact], ['estimate', false]);
      // A converted copy in the editor's storage, as a download leaves it (its header names the pinned sha256).
      const kimi = PINNED_VOCABULARIES.kimi_k2;
      const lines = [...Array.from({ length: 256 }, (_, byte) => `${Buffer.from([byte]).toString('base64')} ${byte}`), `${Buffer.from('中文').toString('base64')} 256`, `${Buffer.from('English').toString('base64')} 257`];
      const storage = join(home, 'storage');
      mkdirSync(storage);
      writeFileSync(join(storage, cachedFileName(kimi)), tiktokenRanks(lines.join('\n'), kimi.tiktoken!, { source: 'test', sha256: kimi.sha256, matchSpecialTokens: true }));
      counted = next();
      worker.postMessage({ kind: 'vocabularySources', folders: [], cacheDir: storage } satisfies CountRequest);
      await counted;
      assert.deepEqual([counts[1].tokenizer, counts[1].exact, counts[1].tokens], ['kimi_k2', true, 2]);
    } finally {
      await worker.terminate();
    }
  });

  test('a failed download is not tried again for a minute, then after twice as long, at most a day', () => {
    const backoff = new DownloadBackoff();
    assert.equal(backoff.mayTry('kimi_k2', 0), true);
    assert.equal(backoff.failed('kimi_k2', 0), 60_000);
    assert.equal(backoff.mayTry('kimi_k2', 59_999), false);
    assert.equal(backoff.mayTry('glm45', 1), true);
    assert.equal(backoff.failed('kimi_k2', 60_000), 180_000);
    for (let i = 0; i < 20; i++) backoff.failed('kimi_k2', 0);
    assert.equal(backoff.mayTry('kimi_k2', 86_400_000), true);
    backoff.succeeded('kimi_k2');
    assert.equal(backoff.mayTry('kimi_k2', 0), true);
  });
});
