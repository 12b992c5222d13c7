import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { calcPrice } from '@pydantic/genai-prices';
import { collectUsage } from '../../src/core/usage/collectUsage';
import { evaluateQuotas, globToRegExp, periodAround } from '../../src/core/usage/evaluateQuotas';
import { readLines } from '../../src/core/usage/readLines';
import { readUsageFile } from '../../src/core/usage/readUsageFile';
import { ResponseIdSet } from '../../src/core/usage/responseIdSet';
import { groupUsage, isoWeek } from '../../src/core/usage/summarizeUsage';
import { UsageLedger } from '../../src/core/usage/usageLedger';
import { usageReport } from '../../src/core/usage/usageReport';

const fixtures = resolve(__dirname, '../../../test/fixtures/usage');
const NOW = Date.parse('2025-11-05T12:00:00Z');

async function readFixture(...names: string[]) {
  const files = names.map((name) => join(fixtures, name));
  const collected = await collectUsage(files, (file, offset) => createReadStream(file, { start: offset }));
  // By snapshot: the model id each record carries, dated snapshots apart.
  return { ...collected, report: usageReport(collected.ledger, { by: ['snapshot'], now: NOW }) };
}

/** The price package's own figure for one call, to check costs against. */
function packagePrice(model: string, providerId: string, at: string, usage: Record<string, number>): number {
  const result = calcPrice(usage, model, { providerId, timestamp: new Date(at) });
  assert.ok(result, `price data for ${model}`);
  return result.total_price;
}

function* chunksOf(text: string, size: number): Generator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function* asAsync(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

describe('usage formats', () => {
  test('OpenAI chat completions: whole input with cached reads, output with reasoning, the same id counted once', async () => {
    const { report } = await readFixture('openai-chat.jsonl');
    assert.equal(report.records, 2);
    assert.equal(report.skipped, 1, 'the repeated chatcmpl id');
    const [gpt4o, o4mini] = report.groups;
    assert.deepEqual(
      { model: gpt4o.snapshot, calls: gpt4o.calls, inputTokens: gpt4o.inputTokens, cachedInputTokens: gpt4o.cachedInputTokens, outputTokens: gpt4o.outputTokens },
      { model: 'gpt-4o-2024-08-06', calls: 1, inputTokens: 1200, cachedInputTokens: 1024, outputTokens: 300 },
    );
    assert.equal(o4mini.outputTokens, 900, 'completion_tokens already hold the 640 reasoning tokens');
    // gpt-4o on 2025-11-03: $2.50/M input, $1.25/M cached, $10/M output.
    assert.ok(Math.abs((gpt4o.cost as number) - (176 * 2.5 + 1024 * 1.25 + 300 * 10) / 1e6) < 1e-12);
    assert.equal(report.from, '2025-11-03T10:00:00.000Z');
    assert.equal(report.to, '2025-11-03T11:00:00.000Z');
  });

  test('never keeps message contents', async () => {
    const { ledger } = await readFixture('openai-chat.jsonl', 'openai-responses.jsonl', 'anthropic-messages.jsonl', 'gemini.jsonl');
    const kept = JSON.stringify([...ledger.buckets.values()]);
    assert.doesNotMatch(kept, /SECRET-REPLY-TEXT|hidden/);
  });

  test('OpenAI Responses: created_at, metadata user and tags, cached and reasoning tokens', async () => {
    const { ledger } = await readFixture('openai-responses.jsonl');
    const [bucket] = ledger.buckets.values();
    assert.equal(bucket.day, '2025-11-04');
    assert.equal(bucket.user, 'alice');
    assert.deepEqual(bucket.tags, ['support', 'triage']);
    assert.equal(bucket.inputTokens, 2000);
    assert.equal(bucket.cachedInputTokens, 1500);
    assert.equal(bucket.outputTokens, 800);
    const expected = packagePrice('gpt-5-2025-08-07', 'openai', '2025-11-04T10:00:00Z', { input_tokens: 2000, cache_read_tokens: 1500, output_tokens: 800 });
    assert.ok(Math.abs(bucket.cost - expected) < 1e-12, `${bucket.cost} vs ${expected}`);
  });

  test('OpenAI Batch output: the response body is counted, a failed request is skipped', async () => {
    const { report } = await readFixture('openai-batch.jsonl');
    assert.equal(report.records, 1);
    assert.equal(report.groups[0].snapshot, 'gpt-4o-mini-2024-07-18');
    assert.equal(report.groups[0].inputTokens, 100);
    assert.equal(report.skipped, 1);
  });

  test('OpenAI Usage API page: a bucket counts num_model_requests calls; empty buckets are no problem', async () => {
    const { report, ledger } = await readFixture('openai-usage-page.json');
    assert.equal(report.totals.calls, 40);
    assert.equal(report.totals.inputTokens, 50000);
    assert.equal(report.totals.cachedInputTokens, 20000);
    assert.deepEqual(report.problems, []);
    const [bucket] = ledger.buckets.values();
    assert.equal(bucket.user, 'user-bob');
    assert.deepEqual(bucket.tags, ['project:proj_support']);
    // 40 calls of the mean size, at gpt-4o-mini's flat price.
    const expected = packagePrice('gpt-4o-mini', 'openai', '2025-11-03T00:00:00Z', { input_tokens: 50000, cache_read_tokens: 20000, output_tokens: 12000 });
    assert.ok(Math.abs(bucket.cost - expected) < 1e-12);
  });

  test('OpenAI usage CSV export: numbers written as 10.0, empty buckets left out', async () => {
    const { report } = await readFixture('openai-usage-export.csv');
    assert.equal(report.records, 2);
    assert.equal(report.totals.calls, 12);
    assert.equal(report.totals.inputTokens, 21000);
    assert.equal(report.totals.outputTokens, 4200);
    assert.deepEqual(report.problems, []);
  });

  test('Anthropic messages in an app log line: input is uncached + cache writes + cache reads', async () => {
    const { ledger } = await readFixture('anthropic-messages.jsonl');
    const [bucket] = ledger.buckets.values();
    assert.deepEqual(
      { provider: bucket.provider, user: bucket.user, tags: bucket.tags, day: bucket.day },
      { provider: 'anthropic', user: 'carol', tags: ['summaries'], day: '2025-11-03' },
    );
    assert.equal(bucket.inputTokens, 100 + 2000 + 8000);
    assert.equal(bucket.cachedInputTokens, 8000);
    assert.equal(bucket.cacheWriteTokens, 2000);
    // Sonnet 4.5: $3/M input, $3.75/M cache writes, $0.30/M cache reads, $15/M output.
    assert.ok(Math.abs(bucket.cost - (100 * 3 + 2000 * 3.75 + 8000 * 0.3 + 500 * 15) / 1e6) < 1e-12);
  });

  test('Anthropic usage report and console CSV: tokens by cache kind, no call count', async () => {
    const report = (await readFixture('anthropic-usage-report.json')).report;
    assert.equal(report.totals.inputTokens, 10000 + 3000 + 30000);
    assert.equal(report.totals.cachedInputTokens, 30000);
    assert.equal(report.totals.calls, 0);
    const csv = (await readFixture('anthropic-console.csv')).report;
    assert.equal(csv.totals.inputTokens, 4000 + 1000 + 15000);
    assert.equal(csv.totals.outputTokens, 3000);
    assert.equal(csv.groups[0].snapshot, 'claude-sonnet-4-5-20250929');
  });

  test('Gemini: thoughts count as output, cached content as cached input', async () => {
    const { ledger } = await readFixture('gemini.jsonl');
    const [bucket] = ledger.buckets.values();
    assert.equal(bucket.provider, 'google');
    assert.equal(bucket.model, 'gemini-2.5-flash');
    assert.equal(bucket.user, 'dave');
    assert.equal(bucket.inputTokens, 1000);
    assert.equal(bucket.cachedInputTokens, 400);
    assert.equal(bucket.outputTokens, 200 + 300);
  });

  test('OpenTelemetry: GenAI spans with string or number ints and deprecated names; other spans ignored', async () => {
    const { report, ledger } = await readFixture('otel.jsonl');
    assert.equal(report.records, 2);
    assert.deepEqual(report.problems, []);
    const buckets = [...ledger.buckets.values()].sort((a, b) => a.model.localeCompare(b.model));
    assert.deepEqual(
      buckets.map((b) => [b.provider, b.model, b.user, b.inputTokens, b.cachedInputTokens, b.outputTokens]),
      [
        ['anthropic', 'claude-haiku-4-5', 'frank', 300, 0, 40],
        ['openai', 'gpt-4o-mini-2024-07-18', 'erin', 800, 200, 150],
      ],
    );
  });

  test("LiteLLM spend logs: the record's spend is its cost; provider from the model prefix; tags as JSON text", async () => {
    const { ledger } = await readFixture('litellm-spend.jsonl');
    const buckets = [...ledger.buckets.values()].sort((a, b) => a.day.localeCompare(b.day));
    assert.equal(buckets[0].cost, 0.00123);
    assert.equal(buckets[0].recordCostRecords, 1);
    assert.equal(buckets[0].cachedInputTokens, 1000);
    assert.deepEqual(buckets[0].tags, ['support']);
    assert.equal(buckets[0].day, '2025-11-03');
    assert.deepEqual([buckets[1].provider, buckets[1].model, buckets[1].tags, buckets[1].cost], ['anthropic', 'claude-sonnet-4-5', ['summaries'], 0.5]);
  });

  test('Langfuse observations: cached input added back, cost from costDetails, provider from the model', async () => {
    const { ledger } = await readFixture('langfuse.jsonl');
    const [bucket] = ledger.buckets.values();
    assert.deepEqual([bucket.provider, bucket.user, bucket.inputTokens, bucket.cachedInputTokens, bucket.cost], ['openai', 'grace', 1000, 700, 0.0032]);
  });

  test('Helicone exports: cost_usd is the cost, provider lowercased', async () => {
    const { ledger } = await readFixture('helicone.jsonl');
    const [bucket] = ledger.buckets.values();
    assert.deepEqual([bucket.provider, bucket.model, bucket.user, bucket.tags, bucket.cost], ['openai', 'gpt-4o-mini', 'heidi', ['support'], 0.00012]);
  });
});

describe('pricing at the record\'s time', () => {
  const message = (id: string, input: number, time: string, model = 'claude-sonnet-4-5-20250929') => ({
    timestamp: time,
    response: { id, type: 'message', model, usage: { input_tokens: input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1000 } },
  });

  test('a long prompt is priced at the tier it falls in, as the price package prices it', () => {
    const ledger = new UsageLedger();
    ledger.addValue('log.jsonl', 1, message('msg_short', 100_000, '2025-11-03T10:00:00Z'));
    ledger.addValue('log.jsonl', 2, message('msg_long', 300_000, '2025-11-04T10:00:00Z'));
    const [short, long] = [...ledger.buckets.values()];
    assert.ok(Math.abs(short.cost - packagePrice('claude-sonnet-4-5-20250929', 'anthropic', '2025-11-03T10:00:00Z', { input_tokens: 100_000, output_tokens: 1000 })) < 1e-12);
    // Above 200k input tokens Sonnet 4.5 costs $6/M input and $22.50/M output.
    assert.ok(Math.abs(long.cost - (300_000 * 6 + 1000 * 22.5) / 1e6) < 1e-12, String(long.cost));
  });

  test('a price that changes with the time of day (DeepSeek off-peak) follows each call', () => {
    const ledger = new UsageLedger();
    for (const [id, time] of [['a', '2025-11-03T10:00:00Z'], ['b', '2025-11-03T20:00:00Z']]) {
      ledger.addValue('log.jsonl', 1, { id: `chatcmpl-${id}`, object: 'chat.completion', created: Date.parse(time) / 1000, model: 'deepseek-chat', usage: { prompt_tokens: 1000, completion_tokens: 1000 } });
    }
    const total = [...ledger.buckets.values()].reduce((sum, bucket) => sum + bucket.cost, 0);
    const [peak, offPeak] = ['2025-11-03T10:00:00Z', '2025-11-03T20:00:00Z'].map((at) => packagePrice('deepseek-chat', 'deepseek', at, { input_tokens: 1000, output_tokens: 1000 }));
    assert.ok(offPeak < peak, 'the price data has an off-peak price');
    assert.ok(Math.abs(total - (peak + offPeak)) < 1e-12, `${total} vs ${peak + offPeak}`);
    // The response had OpenAI's shape, but the model is DeepSeek's.
    assert.deepEqual([...new Set([...ledger.buckets.values()].map((bucket) => bucket.provider))], ['deepseek']);
  });
});

describe('malformed input', () => {
  test('bad lines become file:line problems; the rest is still counted; an unknown model has tokens but no cost', async () => {
    const { report } = await readFixture('malformed.jsonl');
    assert.equal(report.records, 2);
    const file = join(fixtures, 'malformed.jsonl');
    const byLine = new Map(report.problems.map((problem) => [problem.line, problem]));
    assert.match(byLine.get(2)!.message, /not valid JSON/);
    assert.match(byLine.get(3)!.message, /no token usage/);
    assert.match(byLine.get(4)!.message, /no 'model'/);
    assert.match(byLine.get(5)!.message, /no time/);
    assert.match(byLine.get(6)!.message, /non-negative/);
    assert.ok(report.problems.every((problem) => problem.file === file));
    assert.equal(report.totals.unpricedRecords, 1);
    const local = report.groups.find((group) => group.snapshot === 'my-local-llama')!;
    assert.equal(local.cost, null);
    assert.equal(local.inputTokens, 10);
  });

  test('a CSV row with the wrong number of fields is a problem at its line', async () => {
    const ledger = new UsageLedger();
    const csv = 'start_time,num_model_requests,model,input_tokens,output_tokens\n1762128000,1,gpt-4o,10,5\n1762128000,1,gpt-4o\n';
    await readUsageFile('x.csv', asAsync(chunksOf(csv, 7)), ledger);
    assert.equal(ledger.records, 1);
    assert.deepEqual(ledger.problems, [{ file: 'x.csv', line: 3, message: 'expected 5 fields as in the header, found 3' }]);
  });

  test('an unreadable file is a problem, not a crash', async () => {
    const { unreadable, report } = await readFixture('does-not-exist.jsonl');
    assert.equal(unreadable.length, 1);
    assert.match(report.problems[0].message, /no such file/);
  });
});

describe('streaming and appended reads', () => {
  test('lines split across chunks of any size, CRLF and a BOM are read the same', async () => {
    const text = '\uFEFF{"a":1}\r\n{"b":"é😀"}\n\n{"c":3}';
    for (const size of [1, 2, 3, 5, 64]) {
      const lines = [];
      for await (const line of readLines(asAsync(chunksOf(text, size)))) lines.push([line.text, line.line, line.terminated]);
      assert.deepEqual(lines, [
        ['{"a":1}', 1, true],
        ['{"b":"é😀"}', 2, true],
        ['', 3, true],
        ['{"c":3}', 4, false],
      ]);
    }
  });

  test('byte offsets stay exact with multi-byte characters and invalid UTF-8, whatever the chunk size', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"a":"é"}\n{"b":"😀"}\r\n'), 0x7b, 0xff, 0x7d, 0x0a, ...new TextEncoder().encode('{"c":"ü"}\nlast')]);
    const breaks = [...bytes.keys()].filter((index) => bytes[index] === 0x0a).map((index) => index + 1);
    for (const size of [1, 4, 9, 1024]) {
      const chunks = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
      const lines = [];
      for await (const line of readLines(asAsync(chunks))) lines.push(line);
      assert.deepEqual(lines.map((line) => line.end), [...breaks, bytes.length], `chunks of ${size}`);
      assert.deepEqual(lines.map((line) => line.text), ['{"a":"é"}', '{"b":"😀"}', '{\uFFFD}', '{"c":"ü"}', 'last']);
    }
  });

  test('a growing log is read from the appended bytes only, and a half-written line waits', async () => {
    const first = await readFile(join(fixtures, 'openai-chat.jsonl'), 'utf8');
    const lines = first.split('\n');
    const ledger = new UsageLedger();
    const partial = `${lines[0]}\n${lines[1].slice(0, 40)}`;
    const state = await readUsageFile('log.jsonl', asAsync(chunksOf(partial, 100)), ledger, undefined, { complete: false });
    assert.equal(ledger.records, 1);
    assert.equal(state.offset, Buffer.byteLength(`${lines[0]}\n`));
    assert.equal(state.line, 2);
    // The writer finishes the line; only the bytes from `state.offset` on are passed.
    const rest = Buffer.from(`${lines[0]}\n${lines[1]}\n`).subarray(state.offset);
    const next = await readUsageFile('log.jsonl', asAsync([rest]), ledger, state, { complete: false });
    assert.equal(ledger.records, 2);
    assert.deepEqual(ledger.problems, []);
    assert.equal(next.line, 3);
  });

  test('response ids are remembered across millions without false repeats', () => {
    const ids = new ResponseIdSet();
    for (let i = 0; i < 200_000; i++) assert.equal(ids.add(`chatcmpl-${i}`), true);
    assert.equal(ids.add('chatcmpl-123'), false);
    assert.equal(ids.size, 200_000);
  });
});

describe('grouping and quotas', () => {
  test('groups by day, week, month, user, tag and budget; a record with two tags counts in both', async () => {
    const { ledger } = await readFixture('openai-responses.jsonl', 'anthropic-messages.jsonl', 'litellm-spend.jsonl');
    const byTag = groupUsage(ledger.buckets.values(), ['tag']);
    assert.deepEqual(byTag.map((group) => [group.keys.tag, group.calls]), [
      ['summaries', 2],
      ['support', 2],
      ['triage', 1],
    ]);
    const byBudget = groupUsage(ledger.buckets.values(), ['budget'], [{ name: 'Support', usageTags: ['support', 'triage'] }]);
    assert.deepEqual(byBudget.map((group) => [group.keys.budget, group.calls]), [
      ['(no budget)', 2],
      ['Support', 2],
    ]);
    const byDayUser = groupUsage(ledger.buckets.values(), ['day', 'user']);
    assert.deepEqual(byDayUser.map((group) => [group.keys.day, group.keys.user]), [
      ['2025-11-03', 'alice'],
      ['2025-11-03', 'carol'],
      ['2025-11-04', 'alice'],
      ['2025-11-04', 'bob'],
    ]);
    assert.deepEqual(groupUsage(ledger.buckets.values(), ['month']).map((group) => group.keys.month), ['2025-11']);
  });

  test('ISO weeks and quota periods in UTC', () => {
    assert.equal(isoWeek('2025-11-03'), '2025-W45');
    assert.equal(isoWeek('2021-01-03'), '2020-W53');
    assert.equal(isoWeek('2024-12-30'), '2025-W01');
    const week = periodAround('week', Date.parse('2025-11-05T12:00:00Z'));
    assert.equal(new Date(week.start).toISOString(), '2025-11-03T00:00:00.000Z');
    const month = periodAround('month', Date.parse('2025-11-05T12:00:00Z'));
    assert.equal(new Date(month.end).toISOString(), '2025-12-01T00:00:00.000Z');
  });

  test('a quota filters by model and tag globs, warns at warnAt, is over past its limit, and forecasts the period', async () => {
    const { ledger } = await readFixture('openai-chat.jsonl', 'litellm-spend.jsonl', 'openai-responses.jsonl');
    const now = Date.parse('2025-11-06T00:00:00Z'); // Thursday 00:00: 3 of 7 days of the week gone
    const [cost, calls] = evaluateQuotas(ledger.buckets.values(), [{ name: 'support', period: 'week', tags: ['supp*'], maxCalls: 3, maxCost: 0.001, warnAt: 0.6 }], now);
    assert.deepEqual([calls.metric, calls.used, calls.status, calls.periodStart, calls.periodEnd], ['calls', 2, 'warning', '2025-11-03', '2025-11-10']);
    assert.ok(Math.abs(calls.forecast - (2 * 7) / 3) < 1e-9);
    assert.equal(cost.status, 'over');
    const [models] = evaluateQuotas(ledger.buckets.values(), [{ name: 'minis', period: 'day', models: ['gpt-4o-mini*', 'o4-*'], maxCalls: 10, warnAt: 0.8 }], Date.parse('2025-11-03T12:00:00Z'));
    assert.deepEqual([models.used, models.status], [2, 'ok']);
    assert.equal(globToRegExp('openai/*').test('openai/gpt-4o'), true);
  });
});
