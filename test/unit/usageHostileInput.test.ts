// Hostile and broken usage logs (issue 17): no silent loss, no wrong number, nothing reaches a
// terminal raw. Logs are read from memory; the CLI runs in-process over a scratch folder.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { toCsv } from '../../src/core/report/toCsv';
import { toMarkdownTable } from '../../src/core/report/toMarkdownTable';
import { escapeTerminalText } from '../../src/core/report/escapeTerminalText';
import { parseUsageDate } from '../../src/core/usage/parseUsageDate';
import { readUsageFile } from '../../src/core/usage/readUsageFile';
import { UsageLedger } from '../../src/core/usage/usageLedger';
import { usageReport } from '../../src/core/usage/usageReport';
import { num, toTime } from '../../src/core/usage/usageValues';
import { runCliInProcess } from '../runCliInProcess';

const NOW = Date.parse('2025-11-05T12:00:00Z');

/** One OpenAI chat completion log line. */
function chatLine(id: number, usage: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: `chatcmpl-${id}`,
    object: 'chat.completion',
    created: 1762164000 + id,
    model: 'gpt-4o-2024-08-06',
    usage: { prompt_tokens: 100, completion_tokens: 10, ...usage },
    ...extra,
  });
}

async function* chunks(data: string | Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function read(file: string, data: string | Uint8Array, size?: number) {
  const ledger = new UsageLedger();
  await readUsageFile(file, chunks(data, size), ledger);
  return { ledger, report: usageReport(ledger, { by: ['model'], now: NOW }) };
}

describe('JSON Lines whose first line was cut off', () => {
  test('a cut-off first line is one problem at line 1; every record after it is counted', async () => {
    const whole = [chatLine(1), chatLine(2), chatLine(3), chatLine(4)].join('\n');
    // `tail -c` keeps the end of line 1; a half-copied file keeps its start.
    for (const cut of [whole.slice(40), whole.slice(0, 30) + '\n' + whole.slice(whole.indexOf('\n') + 1)]) {
      const { ledger, report } = await read('app.jsonl', cut);
      assert.equal(report.records, 3);
      assert.deepEqual(
        ledger.problems.map((problem) => problem.line),
        [1],
      );
    }
  });

  test('a JSON document whose first line is a bare brace is still read whole', async () => {
    const pretty = JSON.stringify({ object: 'page', has_more: false, data: [] }, null, 2);
    const { ledger } = await read('page.json', pretty);
    assert.deepEqual(ledger.problems, []);
  });

  test('JSON Lines behind a first line of `{` alone: read line by line once the document does not parse', async () => {
    const { ledger, report } = await read('app.jsonl', ['{', chatLine(1), chatLine(2)].join('\n'));
    assert.equal(report.records, 2);
    assert.deepEqual(
      ledger.problems.map((problem) => problem.line),
      [1],
    );
  });

  test('a document with a record on a line of its own is still a document', async () => {
    const page = `{"object": "page", "has_more": false, "data": [\n{"start_time": 1762128000, "results": [{"num_model_requests": 2, "model": "gpt-4o", "input_tokens": 20, "output_tokens": 2}]}\n]}`;
    const { ledger, report } = await read('page.json', page);
    assert.deepEqual(ledger.problems, []);
    assert.equal(report.totals.calls, 2);
  });

  test('a broken pretty-printed document is one problem at the line where it breaks, not one per line', async () => {
    const { ledger } = await read('page.json', '{\n  "object": "page",\n  "data": [\n    1 2\n  ]\n}');
    assert.equal(ledger.problems.length, 1);
    assert.equal(ledger.problems[0].line, 4);
  });
});

describe('CSV columns in any case', () => {
  test('a LiteLLM export with camelCase headers (startTime) keeps every row', async () => {
    const csv = [
      'request_id,startTime,endTime,model,custom_llm_provider,spend,prompt_tokens,completion_tokens,total_tokens',
      'r1,2025-11-03 10:00:00,2025-11-03 10:00:01,gpt-4o-mini,openai,0.01,100,10,110',
      'r2,2025-11-03 11:00:00,2025-11-03 11:00:01,gpt-4o-mini,openai,0.02,200,20,220',
    ].join('\n');
    const { ledger, report } = await read('spend.csv', csv);
    assert.deepEqual(ledger.problems, []);
    assert.equal(report.records, 2);
    assert.equal(report.totals.cost, 0.03);
    assert.equal(report.from, '2025-11-03T10:00:00.000Z');
  });

  test('upper-case headers of an OpenAI usage export are read too', async () => {
    const csv = ['START_TIME,NUM_MODEL_REQUESTS,MODEL,INPUT_TOKENS,OUTPUT_TOKENS', '1762128000,3,gpt-4o,300,30'].join('\n');
    const { report } = await read('export.csv', csv);
    assert.equal(report.totals.calls, 3);
    assert.equal(report.totals.inputTokens, 300);
  });
});

describe('implausible and malformed figures', () => {
  test('overflowing, unsafe and non-integer counts are rejected on their line; sums stay finite and JSON has no null for them', async () => {
    const lines = [
      chatLine(1),
      chatLine(2, { prompt_tokens: 1e308 }),
      chatLine(3, { completion_tokens: 2 ** 53 }),
      '{"request_id":"x","spend":1e308,"prompt_tokens":10,"completion_tokens":1,"startTime":"2025-11-03T10:00:00Z","model":"gpt-4o"}',
      '{"request_id":"y","spend":"0x10","prompt_tokens":10,"completion_tokens":1,"startTime":"2025-11-03T10:00:00Z","model":"gpt-4o"}',
      '{"request_id":"z","spend":0.1,"prompt_tokens":"0x1A","completion_tokens":1,"startTime":"2025-11-03T10:00:00Z","model":"gpt-4o"}',
      '{"request_id":"w","spend":0.1,"prompt_tokens":"12.5","completion_tokens":1,"startTime":"2025-11-03T10:00:00Z","model":"gpt-4o"}',
      '{"request_id":"v","spend":0.1,"prompt_tokens":1e999,"completion_tokens":1,"startTime":"2025-11-03T10:00:00Z","model":"gpt-4o"}',
    ];
    const { ledger, report } = await read('app.jsonl', lines.join('\n'));
    assert.equal(report.records, 1);
    assert.deepEqual(
      ledger.problems.map((problem) => problem.line),
      [2, 3, 4, 5, 6, 7, 8],
    );
    assert.match(ledger.problems[2].message, /cost .*not plausible/);
    assert.match(ledger.problems[3].message, /rejected the cost: not a decimal number/);
    assert.match(ledger.problems[4].message, /rejected inputTokens: not a decimal number/);
    assert.match(ledger.problems[5].message, /whole numbers/);
    assert.ok(Number.isFinite(report.totals.inputTokens) && Number.isFinite(report.totals.cost ?? 0));
    assert.doesNotMatch(JSON.stringify(report), /null/);
  });

  test('numbers are decimal text only', () => {
    assert.equal(num('10.0'), 10);
    assert.equal(num(' 42 '), 42);
    assert.equal(num(''), undefined);
    assert.ok(Number.isNaN(num('0x1A')!));
    assert.ok(Number.isNaN(num('Infinity')!));
    assert.ok(Number.isNaN(num('1_000')!));
    assert.ok(Number.isNaN(num(true)!));
  });

  test('times are real timestamps: "-1", "2026", 2025-02-30 and year 275760 are rejected, and the line says so', async () => {
    assert.ok(Number.isNaN(toTime('-1')!));
    assert.ok(Number.isNaN(toTime('2026')!));
    assert.ok(Number.isNaN(toTime('2025-02-30')!));
    assert.ok(Number.isNaN(toTime('2025-11-03T24:00:00Z')!));
    assert.ok(Number.isNaN(toTime(8.64e15)!));
    assert.ok(Number.isNaN(toTime('Mon 3 Nov')!));
    assert.equal(toTime('2025-11-03 10:00:00'), Date.parse('2025-11-03T10:00:00Z'));
    assert.equal(toTime('2025-11-03T12:00:00+0200'), Date.parse('2025-11-03T10:00:00Z'));
    assert.equal(toTime(1762164000), 1762164000000);
    assert.equal(toTime('1762164000123'), 1762164000123);
    const lines = [chatLine(1), chatLine(2, {}, { created: 8640000000000 }), '{"request_id":"a","spend":0.1,"prompt_tokens":1,"completion_tokens":1,"startTime":"2026","model":"gpt-4o"}'];
    const { ledger, report } = await read('app.jsonl', lines.join('\n'));
    assert.equal(report.records, 1);
    assert.deepEqual(
      ledger.problems.map((problem) => [problem.line, /rejected the time/.test(problem.message)]),
      [
        [2, true],
        [3, true],
      ],
    );
    // No day key like +275760-09 can come out of a record.
    assert.ok(report.to!.startsWith('2025-'));
  });

  test('--since and --until take real dates only, and say what was rejected', () => {
    assert.equal(parseUsageDate('2025-11-03', false), Date.parse('2025-11-03T00:00:00Z'));
    assert.equal(parseUsageDate('2025-11-03', true), Date.parse('2025-11-04T00:00:00Z'));
    assert.equal(parseUsageDate('2025-11-03T10:00:00Z', true), Date.parse('2025-11-03T10:00:00Z'));
    assert.match(String(parseUsageDate('2025-02-30', false)), /'2025-02-30' is not a date/);
    assert.match(String(parseUsageDate('275760-09-13', false)), /is not a date/);
    assert.match(String(parseUsageDate('9999-01-01', false)), /outside the years 2000 to 2100/);
    assert.match(String(parseUsageDate('\u001b]0;pwned\u0007', false)), /\\x1b\]0;pwned\\x07/);
  });
});

describe('a stray quote in a CSV log', () => {
  test('costs its own row only: reported with file and line, the 19,999 rows after it all counted (linear, not quadratic)', async () => {
    const rows = ['start_time,num_model_requests,model,input_tokens,output_tokens'];
    for (let i = 0; i < 20_000; i++) rows.push(`${1762128000 + i},1,${i === 5 ? '"gpt-4o' : 'gpt-4o'},100,10`);
    const { ledger, report } = await read('export.csv', rows.join('\n'), 4096);
    assert.equal(report.records, 19_999);
    assert.deepEqual(ledger.problems.map((problem) => [problem.file, problem.line]), [['export.csv', 7]]);
    assert.match(ledger.problems[0].message, /stray '"'/);
  });

  test('two stray quotes that close each other do not swallow the rows between them', async () => {
    const rows = ['start_time,num_model_requests,model,input_tokens,output_tokens'];
    for (let i = 0; i < 50; i++) rows.push(`${1762128000 + i},1,${i === 3 || i === 40 ? '"gpt-4o' : 'gpt-4o'},100,10`);
    const { ledger, report } = await read('export.csv', rows.join('\n'), 100);
    assert.equal(report.records, 48);
    assert.deepEqual(
      ledger.problems.map((problem) => problem.line),
      [5, 42],
    );
  });

  test('a real quoted field over several lines is still one row', async () => {
    const csv = ['start_time,num_model_requests,model,input_tokens,output_tokens', '1762128000,1,"gpt-4o\nsecond line, with a comma",100,10', '1762128001,1,gpt-4o,100,10'].join('\n');
    const { ledger, report } = await read('export.csv', csv);
    assert.deepEqual(ledger.problems, []);
    assert.equal(report.records, 2);
  });
});

describe('bytes that must not reach a terminal', () => {
  test('a line of escape sequences is reported without quoting it', async () => {
    const { ledger } = await read('app.jsonl', `${chatLine(1)}\n\u001b]0;owned\u0007{"x":\n${chatLine(2)}`);
    assert.equal(ledger.problems.length, 1);
    assert.ok(!ledger.problems[0].message.includes('owned') && !ledger.problems[0].message.includes('\u001b'));
    assert.match(ledger.problems[0].message, /^not valid JSON/);
  });

  test('gzip-compressed and UTF-16 logs are named as such, one problem per file', async () => {
    const text = [chatLine(1), chatLine(2)].join('\n');
    const gz = await read('app.jsonl.gz', gzipSync(text), 1);
    assert.deepEqual(gz.ledger.problems.map((problem) => problem.line), [1]);
    assert.match(gz.ledger.problems[0].message, /gzip-compressed/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const u = await read('app.jsonl', utf16);
    assert.deepEqual(u.ledger.problems.length, 1);
    assert.match(u.ledger.problems[0].message, /UTF-16/);
    const noBom = await read('app.csv', Buffer.from('model,input_tokens\n', 'utf16le'));
    assert.match(noBom.ledger.problems[0].message, /UTF-16/);
  });

  test('control characters, bidi overrides and line separators are written as escapes', () => {
    assert.equal(escapeTerminalText('a\nb\u001b[31m\u202e\u0085'), 'a\\nb\\x1b[31m\\u202e\\x85');
    assert.equal(escapeTerminalText('plain – text ✓'), 'plain – text ✓');
  });

  test('CSV cells keep line breaks quoted and write other control characters visibly', () => {
    assert.equal(toCsv([['gpt\u001b]0;x\u0007', 'a\nb']]), 'gpt\\x1b]0;x\\x07,"a\nb"\r\n');
  });

  test('Markdown cells show raw HTML and pipes as text', () => {
    const table = toMarkdownTable(['model'], [['<img src=x onerror=alert(1)>|a&b\u001b']]);
    assert.equal(table.split('\n')[2], '| &lt;img src=x onerror=alert(1)&gt;\\|a&amp;b&#27; |');
  });
});

describe('prompt-budget usage and compare on hostile input', () => {
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'prompt-budget-hostile-usage-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  test('a log named with a line break and an escape cannot forge a problem line', async () => {
    const name = 'x.jsonl\nfake.yaml:1:1: error: forged\u001b[2J.jsonl';
    await writeFile(join(scratch, name), `${chatLine(1)}\nnot json\n`);
    const { code, stderr } = await runCliInProcess(['usage', name, '--format', 'table'], scratch);
    assert.equal(code, 0);
    assert.equal(stderr.split('\n').length, 1);
    assert.ok(stderr.startsWith('x.jsonl\\nfake.yaml:1:1: error: forged\\x1b[2J.jsonl:2: not valid JSON'), stderr);
  });

  test('count shows a prompt file named with a line break and an escape on one line, escaped', async () => {
    const name = 'p\nforged.md:1:1: error: x\u001b[2J.txt';
    await writeFile(join(scratch, name), 'Hello');
    const { stdout } = await runCliInProcess(['count', name, '--model', 'gpt-4o'], scratch);
    assert.equal(stdout.split('\n').length, 1);
    assert.ok(stdout.startsWith('p\\nforged.md:1:1: error: x\\x1b[2J.txt: '), stdout);
  });

  test('Markdown output escapes HTML from log fields', async () => {
    await writeFile(join(scratch, 'html.jsonl'), chatLine(1, {}, { model: '<script>alert(1)</script>' }));
    const { code, stdout } = await runCliInProcess(['usage', 'html.jsonl', '--by', 'model', '--format', 'md'], scratch);
    assert.equal(code, 0);
    assert.match(stdout, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(stdout, /<script>/);
  });

  test('Markdown output writes no live image, link, mention or issue reference from log fields', async () => {
    await writeFile(join(scratch, 'links.jsonl'), chatLine(1, {}, { model: '![t](https://evil.example/p.png) [x](javascript:alert(1)) @user #12' }));
    const { code, stdout } = await runCliInProcess(['usage', 'links.jsonl', '--by', 'model', '--format', 'md'], scratch);
    assert.equal(code, 0);
    assert.match(stdout, /\\!\\\[t\\\]\(https:\/\/evil\.example\/p\.png\) \\\[x\\\]\(javascript:alert\(1\)\) &#64;user &#35;12/);
    assert.doesNotMatch(stdout, /!\[t\]|@user|#12/);
  });

  test('--since 2025-02-30 and --since after --until are bad usage (exit 2) with a message', async () => {
    await writeFile(join(scratch, 'ok.jsonl'), chatLine(1));
    const bad = await runCliInProcess(['usage', 'ok.jsonl', '--since', '2025-02-30'], scratch);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since: '2025-02-30' is not a date/);
    const reversed = await runCliInProcess(['usage', 'ok.jsonl', '--since', '2025-11-05', '--until', '2025-11-01'], scratch);
    assert.equal(reversed.code, 2);
    assert.match(reversed.stderr, /--since \(2025-11-05\) must be before --until \(2025-11-01\)/);
  });

  test('usage prices with --prices FILE, as count and compare do', async () => {
    await writeFile(join(scratch, 'priced.jsonl'), chatLine(1, { prompt_tokens: 1_000_000, completion_tokens: 0 }, { model: 'gpt-4o' }));
    const data = [{ id: 'openai', name: 'OpenAI', models: [{ id: 'gpt-4o', match: { equals: 'gpt-4o' }, prices: { input_mtok: 1000, output_mtok: 2000 } }] }];
    await writeFile(join(scratch, 'prices.json'), JSON.stringify(data));
    const bundled = JSON.parse((await runCliInProcess(['usage', 'priced.jsonl', '--format', 'json'], scratch)).stdout);
    const chosen = await runCliInProcess(['usage', 'priced.jsonl', '--prices', 'prices.json', '--format', 'json'], scratch);
    assert.equal(chosen.code, 0);
    assert.equal(JSON.parse(chosen.stdout).totals.cost, 1000);
    assert.notEqual(bundled.totals.cost, 1000);
    const table = await runCliInProcess(['usage', 'priced.jsonl', '--prices', 'prices.json'], scratch);
    assert.match(table.stdout, /priced at each call's date with genai-prices data file prices\.json/);
  });

  test('usage prices with the copy saved by `prices update` when no --prices is given', async () => {
    const cache = join(scratch, 'cache');
    await mkdir(cache, { recursive: true });
    const providers = [{ id: 'openai', name: 'OpenAI', models: [{ id: 'gpt-4o', match: { equals: 'gpt-4o' }, prices: { input_mtok: 500, output_mtok: 2000 } }] }];
    await writeFile(join(cache, 'genai-prices.json'), JSON.stringify({ url: 'https://example.test/data.json', date: '2026-11-30', fetchedAt: '2026-11-30T00:00:00Z', providers }));
    await writeFile(join(scratch, 'saved.jsonl'), chatLine(1, { prompt_tokens: 1_000_000, completion_tokens: 0 }, { model: 'gpt-4o' }));
    const saved = process.env.PROMPT_BUDGET_CACHE_DIR;
    process.env.PROMPT_BUDGET_CACHE_DIR = cache;
    try {
      const { code, stdout } = await runCliInProcess(['usage', 'saved.jsonl', '--format', 'json'], scratch);
      assert.equal(code, 0);
      assert.equal(JSON.parse(stdout).totals.cost, 500);
    } finally {
      if (saved === undefined) delete process.env.PROMPT_BUDGET_CACHE_DIR;
      else process.env.PROMPT_BUDGET_CACHE_DIR = saved;
    }
  });

  test('a JSONL log with a cut-off first line: line 1 reported, the rest counted', async () => {
    await writeFile(join(scratch, 'cut.jsonl'), [chatLine(1).slice(0, 25), chatLine(2), chatLine(3)].join('\n'));
    const { code, stdout, stderr } = await runCliInProcess(['usage', 'cut.jsonl', '--format', 'json'], scratch);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.records, 2);
    assert.deepEqual(
      report.problems.map((problem: { line: number }) => problem.line),
      [1],
    );
    assert.equal(stderr, '');
  });

  test("compare --models ',,,' is bad usage", async () => {
    await writeFile(join(scratch, 'p.txt'), 'Hello');
    for (const models of [',,,', '', ' , ']) {
      const { code, stdout, stderr } = await runCliInProcess(['compare', 'p.txt', '--models', models], scratch);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, /--models names no model/);
    }
  });
});
