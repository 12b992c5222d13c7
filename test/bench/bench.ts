// `npm run bench`: load time, throughput, per-edit latency and memory of the tokenize core
// against plain js-tiktoken, the tiktoken WASM reference and gpt-tokenizer, on one generated input.
// Each load and throughput figure comes from a fresh child process, so caches start cold and
// peak memory (maxRSS) belongs to that library alone.
import { execFileSync } from 'node:child_process';
import { mixedText, seededRandom } from './mixedText';

type Library = 'core' | 'js-tiktoken' | 'tiktoken-wasm' | 'gpt-tokenizer';
type Encoding = 'o200k_base' | 'cl100k_base';

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
async function runChild(library: Library, encoding: Encoding, size: number): Promise<ChildResult> {
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

async function loadLibrary(library: Library, encoding: Encoding): Promise<(text: string) => number> {
  switch (library) {
    case 'core': {
      const { loadTokenCounter } = await import('../../src/core/tokenize/tokenCounter');
      const counter = await loadTokenCounter(encoding);
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

function inChild(library: Library, encoding: Encoding, size: number): ChildResult {
  const output = execFileSync(process.execPath, [__filename, '--child', library, encoding, String(size)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output) as ChildResult;
}

/** Per-edit latency of DocumentTokenCounter on a 1 MB document, against recounting it whole. */
async function measureEdits(encoding: Encoding): Promise<{ p50: number; p95: number; max: number; recountMs: number; setTextMs: number; chunks: number }> {
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

function formatRow(cells: Array<string | number>, widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
}

async function main(): Promise<void> {
  const childIndex = process.argv.indexOf('--child');
  if (childIndex !== -1) {
    const [library, encoding, size] = process.argv.slice(childIndex + 1);
    process.stdout.write(JSON.stringify(await runChild(library as Library, encoding as Encoding, Number(size))));
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
  const memory = process.memoryUsage();
  console.log(`\nThis process (both encodings loaded, one 1 MB document each): heapUsed ${(memory.heapUsed / 1e6).toFixed(0)} MB, maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
