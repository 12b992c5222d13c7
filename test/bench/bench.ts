// `npm run bench`: load time, throughput, per-edit latency and memory of the tokenize core
// against plain js-tiktoken, the tiktoken WASM reference and gpt-tokenizer, on one generated input.
// Each load and throughput figure comes from a fresh child process, so caches start cold and
// peak memory (maxRSS) belongs to that library alone.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { mixedText, seededRandom } from './mixedText';

const DIST = resolve(__dirname, '../../../dist');

type Library = 'core' | 'js-tiktoken' | 'tiktoken-wasm' | 'gpt-tokenizer';
type Encoding = 'o200k_base' | 'cl100k_base';
/** What the core alone counts with: OpenAI's encodings and the open families' vocabularies. */
type CoreEncoding = Encoding | 'llama3' | 'qwen3' | 'deepseek_v3' | 'tekken' | 'gemma3';
const OPEN_VOCABULARIES: CoreEncoding[] = ['llama3', 'qwen3', 'deepseek_v3', 'tekken', 'gemma3'];

interface ChildResult {
  loadMs: number;
  tokens: number;
  /** First count in the process (cold piece memo for the core). */
  coldMs: number;
  /** Second count of the same text (warm memo for the core; the others have no memo to warm). */
  warmMs: number;
  maxRssMb: number;
}

const SIZES = [1_000_000, 4_000_000];
const EDITS = 2000;

/** Runs inside a child: load one library, count the text twice, report timings and memory. */
async function runChild(library: Library, encoding: CoreEncoding, size: number): Promise<ChildResult> {
  const text = mixedText(size);
  let started = performance.now();
  const count = await loadLibrary(library, encoding);
  const loadMs = performance.now() - started;
  started = performance.now();
  const tokens = count(text);
  const coldMs = performance.now() - started;
  started = performance.now();
  count(text);
  const warmMs = performance.now() - started;
  return { loadMs, tokens, coldMs, warmMs, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function loadLibrary(library: Library, coreEncoding: CoreEncoding): Promise<(text: string) => number> {
  const encoding = coreEncoding as Encoding;
  switch (library) {
    case 'core': {
      const { loadTokenCounter } = await import('../../src/core/tokenize/tokenCounter');
      const counter = await loadTokenCounter(coreEncoding);
      return (text) => counter.count(text);
    }
    case 'js-tiktoken': {
      const { Tiktoken } = await import('js-tiktoken/lite');
      const ranks = encoding === 'o200k_base' ? (await import('js-tiktoken/ranks/o200k_base')).default : (await import('js-tiktoken/ranks/cl100k_base')).default;
      const encoder = new Tiktoken(ranks);
      return (text) => encoder.encode(text, [], []).length;
    }
    case 'tiktoken-wasm': {
      const { get_encoding } = await import('tiktoken');
      const encoder = get_encoding(encoding);
      return (text) => encoder.encode(text, [], []).length;
    }
    case 'gpt-tokenizer': {
      // gpt-tokenizer's package.json "exports" map is not read by this project's module resolution.
      const module = (await import(require.resolve(`gpt-tokenizer/cjs/encoding/${encoding}`))) as { countTokens(text: string): number };
      return (text) => module.countTokens(text);
    }
  }
}

function inChild(library: Library, encoding: CoreEncoding, size: number): ChildResult {
  const output = execFileSync(process.execPath, [__filename, '--child', library, encoding, String(size)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output) as ChildResult;
}

/** Per-edit latency of DocumentTokenCounter on a 1 MB document, against recounting it whole. */
async function measureEdits(encoding: CoreEncoding): Promise<{ p50: number; p95: number; max: number; recountMs: number; setTextMs: number; chunks: number }> {
  const { loadTokenCounter } = await import('../../src/core/tokenize/tokenCounter');
  const { DocumentTokenCounter, countLargeText } = await import('../../src/core/tokenize/documentCounter');
  const counter = await loadTokenCounter(encoding);
  const text = mixedText(1_000_000);
  let started = performance.now();
  const document = new DocumentTokenCounter(counter, text);
  const setTextMs = performance.now() - started;
  const random = seededRandom(7);
  const letters = 'etaoin shrdlu\n;{}1東🙂';
  const latencies: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const offset = Math.floor(random() * document.length);
    // Two in three edits type a character, one in three deletes one, as typing does.
    const deleting = random() < 1 / 3 && offset < document.length;
    const inserted = deleting ? '' : letters[Math.floor(random() * letters.length)];
    started = performance.now();
    document.applyEdit(offset, deleting ? 1 : 0, inserted);
    latencies.push(performance.now() - started);
  }
  const finalText = document.getText();
  if (document.total !== counter.count(finalText)) throw new Error('incremental total drifted from a full count');
  started = performance.now();
  countLargeText(counter, finalText);
  const recountMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: at(0.5), p95: at(0.95), max: latencies[latencies.length - 1], recountMs, setTextMs, chunks: document.chunkCount };
}

/**
 * What the count worker does per keystroke in a 1 MB `.prompt.md` of about 700 sections: apply the
 * edit (LivePromptCount.applyChanges), produce the parse and counts (result), and copy them as the
 * message to the extension host does (structuredClone). Checked against a fresh parse and count.
 */
async function measureLiveEdits(): Promise<{ p50: number; p95: number; max: number; openMs: number; messageKb: number }> {
  const { loadTokenCounter } = await import('../../src/core/tokenize/tokenCounter');
  const { LivePromptCount } = await import('../../src/core/count/livePromptCount');
  const { parsePrompt } = await import('../../src/core/prompts/parsePrompt');
  const { countPrompt } = await import('../../src/core/prompts/countPrompt');
  const counter = await loadTokenCounter('o200k_base');
  const text = `---\nmodel: gpt-4o\n---\n${mixedText(1_000_000)}`;
  let started = performance.now();
  const live = new LivePromptCount('big.prompt.md', text, counter);
  live.result();
  const openMs = performance.now() - started;
  const random = seededRandom(11);
  const letters = 'etaoin shrdlu\n#`{}$1東';
  const latencies: number[] = [];
  let length = text.length;
  let messageKb = 0;
  for (let i = 0; i < EDITS; i++) {
    const offset = 30 + Math.floor(random() * (length - 30));
    const deleting = random() < 1 / 3 && offset < length;
    const inserted = deleting ? '' : letters[Math.floor(random() * letters.length)];
    started = performance.now();
    live.applyChanges([{ offset, deletedLength: deleting ? 1 : 0, text: inserted }]);
    const message = structuredClone(live.result());
    latencies.push(performance.now() - started);
    length += inserted.length - (deleting ? 1 : 0);
    messageKb = JSON.stringify(message).length / 1024;
  }
  const finalText = live.currentText;
  const fresh = countPrompt(parsePrompt('big.prompt.md', finalText), counter);
  const { count } = live.result();
  if (count.tokens !== fresh.tokens || count.segmentTokens.join() !== fresh.segmentTokens.join()) throw new Error('live counts drifted from a fresh count');
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: at(0.5), p95: at(0.95), max: latencies[latencies.length - 1], openMs, messageKb };
}

async function printLiveEdits(): Promise<void> {
  const edits = await measureLiveEdits();
  console.log(
    `\nThe count worker's step per keystroke, 1 MB .prompt.md (o200k_base, ${EDITS} random edits; parse, counts and message): ` +
      `p50 ${edits.p50.toFixed(2)} ms, p95 ${edits.p95.toFixed(2)} ms, max ${edits.max.toFixed(1)} ms; ` +
      `opening it ${edits.openMs.toFixed(0)} ms; message ${edits.messageKb.toFixed(0)} KB as JSON`,
  );
}

type WorkerReply = { kind: string; id?: number; error?: string; count?: { tokens: number }; counts?: { byTokenizer: Record<string, { tokens: number }> } };

/**
 * Runs inside a child: starts the built prompt worker (dist/promptWorker.js) as the extension does,
 * and times its first answers: the worker and bundle alone, then each encoding's first count (its
 * ranks load), then a 1 MB document opened as an editor would. RSS is the whole child's.
 */
async function runWorkerChild(): Promise<Record<string, number>> {
  const rssBefore = process.memoryUsage().rss;
  let started = performance.now();
  const worker = new Worker(join(DIST, 'promptWorker.js'));
  const replies = new Map<number, (reply: WorkerReply) => void>();
  let counted: ((reply: WorkerReply) => void) | undefined;
  worker.on('message', (reply: WorkerReply) => {
    if (reply.kind === 'reply' && reply.id !== undefined) replies.get(reply.id)?.(reply);
    if (reply.kind === 'counted') counted?.(reply);
  });
  let nextId = 1;
  const countText = (tokenizers: string[]) =>
    new Promise<WorkerReply>((done) => {
      const id = nextId++;
      replies.set(id, done);
      worker.postMessage({ kind: 'countText', id, fileName: 'hello.txt', text: 'Hello, world', tokenizers });
    });
  await countText([]);
  const workerReadyMs = performance.now() - started;
  started = performance.now();
  await countText(['o200k_base']);
  const o200kReadyMs = performance.now() - started;
  started = performance.now();
  await countText(['cl100k_base']);
  const cl100kReadyMs = performance.now() - started;
  const text = mixedText(1_000_000);
  started = performance.now();
  const first = await new Promise<WorkerReply>((done) => {
    counted = done;
    worker.postMessage({ kind: 'open', uri: 'file:///big.md', openId: 1, version: 1, fileName: '/big.md', text, tokenizer: 'o200k_base' });
  });
  const openMs = performance.now() - started;
  const rssMb = (process.memoryUsage().rss - rssBefore) / 1e6;
  await worker.terminate();
  return { workerReadyMs, o200kReadyMs, cl100kReadyMs, openMs, tokens: first.count?.tokens ?? -1, rssMb };
}

/** Runs inside a child: counts 1 MB of one repeated character, cold, with the core. */
async function runRepeatChild(): Promise<Record<string, number>> {
  const [character, length, encoding] = process.argv.slice(process.argv.indexOf('--repeat-child') + 1);
  const { loadTokenCounter } = await import('../../src/core/tokenize/tokenCounter');
  const counter = await loadTokenCounter(encoding as Encoding);
  const text = character.repeat(Number(length));
  const started = performance.now();
  const tokens = counter.count(text);
  return { ms: performance.now() - started, tokens, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Median wall time of running `node args` `runs` times, and the last run's stdout. */
function timeNode(args: string[], runs = 5): { ms: number; stdout: string } {
  const times: number[] = [];
  let stdout = '';
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    stdout = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], stdout };
}

/** Encoder cold start in the built worker, and the CLI's whole-process times against bare node and tiktoken WASM. */
async function measureStartup(): Promise<void> {
  console.log('\nBuilt prompt worker (dist/promptWorker.js) in a fresh process; median of 3');
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, [__filename, '--worker-child'], { encoding: 'utf8' })) as Record<string, number>);
  const median = (key: string) => runs.map((run) => run[key]).sort((a, b) => a - b)[1];
  console.log(`  worker started, bundle loaded: ${median('workerReadyMs').toFixed(0)} ms`);
  console.log(`  o200k_base ready (ranks loaded, first count): ${median('o200kReadyMs').toFixed(0)} ms; cl100k_base: ${median('cl100kReadyMs').toFixed(0)} ms`);
  console.log(`  1 MB document opened, first exact count: ${median('openMs').toFixed(0)} ms (${runs[0].tokens} tokens)`);
  console.log(`  RSS added by the worker with both encodings and the 1 MB document: ${median('rssMb').toFixed(0)} MB`);

  const folder = mkdtempSync(join(tmpdir(), 'prompt-budget-bench-'));
  try {
    const small = join(folder, 'small.prompt.md');
    writeFileSync(small, `---\nmodel: gpt-4o\n---\n${mixedText(6_000, 3)}`);
    const large = join(folder, 'large.txt');
    const largeText = mixedText(900_000, 5);
    writeFileSync(large, largeText);
    const cli = join(DIST, 'cli.js');
    const bare = timeNode(['-e', '0']);
    const smallRun = timeNode([cli, 'count', small]);
    console.log('\nCLI, whole process, median of 5');
    console.log(`  bare node: ${bare.ms.toFixed(0)} ms; count a 6 KB prompt: ${smallRun.ms.toFixed(0)} ms (${(smallRun.ms / bare.ms).toFixed(1)}x bare node)`);
    const cliLarge = timeNode([cli, 'count', large, '--json']);
    const tiktokenScript = `const { get_encoding } = require(${JSON.stringify(require.resolve('tiktoken'))}); const text = require('node:fs').readFileSync(${JSON.stringify(large)}, 'utf8'); process.stdout.write(String(get_encoding('o200k_base').encode(text, [], []).length));`;
    const wasmLarge = timeNode(['-e', tiktokenScript]);
    const cliTokens = (JSON.parse(cliLarge.stdout) as Array<{ tokens: number }>)[0].tokens;
    const agree = cliTokens === Number(wasmLarge.stdout) ? 'same count' : `MISMATCH: ${cliTokens} vs ${wasmLarge.stdout}`;
    console.log(`  count a 900 KB file: ${cliLarge.ms.toFixed(0)} ms; tiktoken WASM (load + encode): ${wasmLarge.ms.toFixed(0)} ms (${(cliLarge.ms / wasmLarge.ms).toFixed(2)}x; ${agree})`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** One line of 1 MB of one repeated character: the byte-pair merge must stay near-linear. */
function measureRuns(): void {
  console.log('\n1 MB of one repeated character, cold core in a fresh process (o200k_base)');
  const inputs: Array<[string, string]> = [['a', 'a'], ['spaces', ' '], ['digits', '7'], ['CJK 東', '東']];
  for (const [label, character] of inputs) {
    const run = JSON.parse(execFileSync(process.execPath, [__filename, '--repeat-child', character, String(1_000_000), 'o200k_base'], { encoding: 'utf8' })) as Record<string, number>;
    console.log(`  ${label.padEnd(8)} ${run.ms.toFixed(0).padStart(6)} ms  ${String(run.tokens).padStart(9)} tokens  maxRSS ${run.maxRssMb.toFixed(0)} MB`);
  }
  console.log('  (tiktoken, WASM or JS, is quadratic here: 100,000 characters take it 7-65 s. The unit tests check these runs');
  console.log('   against it at 5,000-20,000 characters, and the heap merge token by token on random long pieces.)');
}

/** Each open family's vocabulary: load, cold and warm throughput and memory in a fresh process, and per-keystroke latency on 1 MB. */
async function measureVocabularies(): Promise<void> {
  console.log('\nOpen vocabularies (core only, 1 MB mixed text; load = read and index the ranks, fresh process)');
  const widths = [14, 10, 12, 12, 11, 12, 12];
  console.log(formatRow(['vocabulary', 'load ms', 'cold MB/s', 'warm MB/s', 'maxRSS MB', 'edit p50 ms', 'edit p95 ms'], widths));
  // `--vocabularies gemma3 …` measures only those named.
  const named = OPEN_VOCABULARIES.filter((vocabulary) => process.argv.includes(vocabulary));
  for (const vocabulary of named.length > 0 ? named : OPEN_VOCABULARIES) {
    const result = inChild('core', vocabulary, 1_000_000);
    const edits = await measureEdits(vocabulary);
    console.log(
      formatRow(
        [vocabulary, result.loadMs.toFixed(0), (1 / (result.coldMs / 1000)).toFixed(2), (1 / (result.warmMs / 1000)).toFixed(2), result.maxRssMb.toFixed(0), edits.p50.toFixed(3), edits.p95.toFixed(3)],
        widths,
      ),
    );
  }
  console.log('"edit" is DocumentTokenCounter on a 1 MB document, 2000 random one-character edits, as for o200k_base above.');
}

function formatRow(cells: Array<string | number>, widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
}

async function main(): Promise<void> {
  if (process.argv.includes('--worker-child')) {
    process.stdout.write(JSON.stringify(await runWorkerChild()));
    return;
  }
  if (process.argv.includes('--repeat-child')) {
    process.stdout.write(JSON.stringify(await runRepeatChild()));
    return;
  }
  const childIndex = process.argv.indexOf('--child');
  if (childIndex !== -1) {
    const [library, encoding, size] = process.argv.slice(childIndex + 1);
    process.stdout.write(JSON.stringify(await runChild(library as Library, encoding as CoreEncoding, Number(size))));
    return;
  }
  if (process.argv.includes('--live')) {
    // `node out/test/bench/bench.js --live`: only the worker's step per keystroke.
    await printLiveEdits();
    return;
  }
  if (process.argv.includes('--vocabularies')) {
    // `node out/test/bench/bench.js --vocabularies`: only the open families' vocabularies.
    await measureVocabularies();
    return;
  }
  if (process.argv.includes('--startup')) {
    // `node out/test/bench/bench.js --startup`: only the cold-start, CLI and repeated-character sections.
    await measureStartup();
    measureRuns();
    return;
  }
  const libraries: Library[] = ['core', 'js-tiktoken', 'tiktoken-wasm', 'gpt-tokenizer'];
  const encodings: Encoding[] = ['o200k_base', 'cl100k_base'];
  console.log(`Prompt Budget tokenize benchmark — Node ${process.version}, ${process.platform}/${process.arch}`);
  console.log('Input: deterministic mixed text (prose, code, Markdown, CJK/emoji, numbers), seed 1.\n');

  const widths = [28, 10, 12, 10, 12, 10, 11];
  console.log(formatRow(['library / encoding / size', 'load ms', 'cold MB/s', 'cold ms', 'warm MB/s', 'warm ms', 'maxRSS MB'], widths));
  const tokensBySize = new Map<string, number>();
  for (const encoding of encodings) {
    for (const size of SIZES) {
      for (const library of libraries) {
        const result = inChild(library, encoding, size);
        const key = `${encoding}/${size}`;
        const expected = tokensBySize.get(key) ?? result.tokens;
        tokensBySize.set(key, expected);
        const mark = result.tokens === expected ? '' : ` (MISMATCH: ${result.tokens} vs ${expected})`;
        const mb = size / 1e6;
        console.log(
          formatRow(
            [`${library} ${encoding} ${mb} MB`, result.loadMs.toFixed(0), (mb / (result.coldMs / 1000)).toFixed(2), result.coldMs.toFixed(0), (mb / (result.warmMs / 1000)).toFixed(2), result.warmMs.toFixed(0), result.maxRssMb.toFixed(0)],
            widths,
          ) + mark,
        );
      }
    }
  }
  console.log('\n"cold" is the first count in a fresh process (the core\'s piece memo empty), "warm" the second.');
  console.log('Token counts of all libraries agree unless a row says MISMATCH.\n');

  console.log(`DocumentTokenCounter on a 1 MB document: ${EDITS} random one-character edits`);
  const editWidths = [14, 10, 10, 10, 14, 12, 8];
  console.log(formatRow(['encoding', 'p50 ms', 'p95 ms', 'max ms', 'recount ms', 'setText ms', 'chunks'], editWidths));
  for (const encoding of encodings) {
    const edits = await measureEdits(encoding);
    console.log(
      formatRow([encoding, edits.p50.toFixed(3), edits.p95.toFixed(3), edits.max.toFixed(2), edits.recountMs.toFixed(1), edits.setTextMs.toFixed(1), edits.chunks], editWidths),
    );
  }
  console.log('"recount" is countLargeText over the whole edited text (warm memo); "setText" the first chunked count.');
  await measureVocabularies();
  await printLiveEdits();
  await measureStartup();
  measureRuns();
  const memory = process.memoryUsage();
  console.log(`\nThis process (both encodings loaded, one 1 MB document each): heapUsed ${(memory.heapUsed / 1e6).toFixed(0)} MB, maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
