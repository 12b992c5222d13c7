// Property tests over the usage log readers: whatever bytes a log holds (every format, cut, mutated,
// split into any chunks), a read finishes without throwing, keeps every good record, and reports every
// line it skips with its file and line. A fixed number of runs keeps the time bounded.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { readUsageFile } from '../../src/core/usage/readUsageFile';
import { UsageLedger } from '../../src/core/usage/usageLedger';

const fixtures = resolve(__dirname, '../../../test/fixtures/usage');
const FIXTURES = readdirSync(fixtures).map((name) => ({ name, text: readFileSync(join(fixtures, name), 'utf8') }));
// FUZZ_RUNS and FUZZ_SEED explore further than the fixed runs of `npm test`.
const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 150), seed: Number(process.env.FUZZ_SEED ?? 17) };

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function readAll(file: string, data: string | Uint8Array, chunkSize: number): Promise<UsageLedger> {
  const ledger = new UsageLedger();
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  await readUsageFile(file, chunksOf(bytes, Math.max(1, chunkSize)), ledger);
  return ledger;
}

/** Every problem names the file and a line that exists (0 or 1 for the whole file); anything skipped is reported. */
function assertReported(ledger: UsageLedger, file: string, lineCount: number): void {
  const problems = ledger.allProblems();
  for (const problem of problems) {
    assert.equal(problem.file, file);
    assert.ok(Number.isInteger(problem.line) && problem.line >= 0 && problem.line <= Math.max(1, lineCount), `line ${problem.line} of ${lineCount}`);
  }
  if (ledger.skipped > ledger.duplicates) assert.ok(problems.length > 0, 'lines were skipped without a problem');
  for (const bucket of ledger.buckets.values()) {
    for (const figure of [bucket.inputTokens, bucket.outputTokens, bucket.calls, bucket.cost]) assert.ok(Number.isFinite(figure));
    assert.match(bucket.day, /^20\d\d-\d\d-\d\d$/);
  }
}

const chatRecord = (index: number, input: number, output: number) =>
  JSON.stringify({ id: `chatcmpl-${index}`, object: 'chat.completion', created: 1762164000 + index, model: 'gpt-4o-2024-08-06', usage: { prompt_tokens: input, completion_tokens: output } });
const liteLlmRecord = (index: number, input: number, output: number) =>
  JSON.stringify({ request_id: `lite-${index}`, spend: 0.001, prompt_tokens: input, completion_tokens: output, startTime: '2025-11-03 10:00:00', model: 'gpt-4o-mini', custom_llm_provider: 'openai' });

/** A line as a log may hold it: whole, or cut at its start (`tail -c`) or its end (a write cut short). */
const jsonlLine = fc.record({
  format: fc.constantFrom(chatRecord, liteLlmRecord),
  input: fc.integer({ min: 0, max: 1_000_000 }),
  output: fc.integer({ min: 0, max: 100_000 }),
  cut: fc.option(fc.record({ atStart: fc.boolean(), share: fc.double({ min: 0.01, max: 0.99, noNaN: true }) }), { freq: 3 }),
});

describe('usage log readers under random input', () => {
  test('JSON Lines with cut lines anywhere (the first included): every whole record counted, every cut line reported at its line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonlLine, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 300 }), async (specs, chunkSize) => {
        const cutLines: number[] = [];
        const lines = specs.map((spec, index) => {
          const whole = spec.format(index, spec.input, spec.output);
          if (!spec.cut) return whole;
          cutLines.push(index + 1);
          const at = Math.min(whole.length - 1, Math.max(1, Math.round(whole.length * spec.cut.share)));
          return spec.cut.atStart ? whole.slice(at) : whole.slice(0, at);
        });
        fc.pre(cutLines.length < lines.length);
        const ledger = await readAll('app.jsonl', lines.join('\n'), chunkSize);
        assert.equal(ledger.records, lines.length - cutLines.length);
        assert.deepEqual(
          ledger.problems.map((problem) => problem.line),
          cutLines,
        );
        assertReported(ledger, 'app.jsonl', lines.length);
      }),
      RUNS,
    );
  });

  test('CSV with stray quotes: each costs its own row, every other row is counted', async () => {
    const row = fc.record({ input: fc.integer({ min: 0, max: 1_000_000 }), stray: fc.option(fc.integer({ min: 0, max: 4 }), { freq: 8 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 500 }), async (rows, chunkSize) => {
        const strayLines: number[] = [];
        const lines = ['start_time,num_model_requests,model,input_tokens,output_tokens'];
        rows.forEach((spec, index) => {
          const fields = [String(1762128000 + index), '1', 'gpt-4o', String(spec.input), '10'];
          if (spec.stray !== null) {
            fields[spec.stray] = `"${fields[spec.stray]}`;
            strayLines.push(index + 2);
          }
          lines.push(fields.join(','));
        });
        const ledger = await readAll('export.csv', lines.join('\n'), chunkSize);
        assert.equal(ledger.records, rows.length - strayLines.length);
        assert.deepEqual(
          ledger.problems.map((problem) => problem.line),
          strayLines,
        );
        assertReported(ledger, 'export.csv', lines.length);
      }),
      RUNS,
    );
  });

  test('every fixture format, mutated (slices cut out, random text with control characters put in): no throw, every problem at a real line', async () => {
    const mutation = fc.record({ at: fc.nat(), length: fc.nat({ max: 200 }), insert: fc.string({ unit: 'binary', maxLength: 40 }) });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FIXTURES), fc.array(mutation, { maxLength: 4 }), fc.integer({ min: 1, max: 200 }), async (fixture, mutations, chunkSize) => {
        let text = fixture.text;
        for (const { at, length, insert } of mutations) {
          const start = at % (text.length + 1);
          text = text.slice(0, start) + insert + text.slice(start + length);
        }
        const ledger = await readAll(fixture.name, text, chunkSize);
        assertReported(ledger, fixture.name, text.split('\n').length);
      }),
      RUNS,
    );
  });

  test('records of every format with one value replaced by any JSON value: no throw, figures finite, days well formed', async () => {
    const records = FIXTURES.filter((fixture) => fixture.name.endsWith('.jsonl') || fixture.name.endsWith('.json'))
      .flatMap((fixture) => (fixture.name.endsWith('.json') ? [fixture.text] : fixture.text.split('\n')))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as unknown];
        } catch {
          return []; // malformed.jsonl's bad lines
        }
      });
    const replacement = fc.oneof(fc.jsonValue(), fc.constantFrom('0x1A', '1e308', '-1', '2026', '2025-02-30', 'Infinity', '', 2 ** 53 + 2, 1e308, -5, 0.5));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...records), fc.array(fc.tuple(fc.nat(), replacement), { minLength: 1, maxLength: 3 }), async (record, edits) => {
        const copy = structuredClone(record);
        for (const [pick, value] of edits) {
          const paths = leafPaths(copy);
          if (paths.length === 0) break;
          const path = paths[pick % paths.length];
          let parent = copy as Record<string, unknown>;
          for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
          parent[path[path.length - 1]] = value;
        }
        const ledger = await readAll('edited.jsonl', JSON.stringify(copy), 4096);
        assertReported(ledger, 'edited.jsonl', 1);
      }),
      RUNS,
    );
  });

  test('random bytes under every log extension: no throw, every problem at a real line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('a.jsonl', 'a.json', 'a.csv', 'a.log'), fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 64 }), async (file, bytes, chunkSize) => {
        const ledger = await readAll(file, bytes, chunkSize);
        let lines = 1;
        for (const byte of bytes) if (byte === 0x0a) lines++;
        assertReported(ledger, file, lines);
      }),
      RUNS,
    );
  });
});

/** Paths to every value below `value` (object keys and array indexes). */
function leafPaths(value: unknown, path: string[] = [], out: string[][] = []): string[][] {
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      out.push([...path, key]);
      leafPaths(inner, [...path, key], out);
    }
  }
  return out;
}
