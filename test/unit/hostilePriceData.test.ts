// Price data is data: a downloaded update or a --prices file cannot decide how long matching takes,
// how much memory a run uses, or pass itself off as newer or wider than it is.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { priceDataFromText } from '../../src/core/catalog/activePriceData';
import { bundledPriceData, matches, MAX_PRICE_DATA_BYTES, parsePriceData } from '../../src/core/catalog/priceData';
import { unsafeRegexReason } from '../../src/core/catalog/priceRegex';
import { fetchCappedText } from '../../src/core/io/fetchCappedText';

/** One provider with one model matched by `match`, as a data file. */
function dataWith(match: unknown, providerExtra: Record<string, unknown> = {}): string {
  return JSON.stringify([{ id: 'p', name: 'P', ...providerExtra, models: [{ id: 'm', match, prices: { input_mtok: 1, output_mtok: 2 } }] }]);
}

function errorOf(result: { error: string } | object): string {
  return 'error' in result ? String(result.error) : '';
}

describe('regex match rules in price data', () => {
  test('a rule that backtracks catastrophically is refused with the reason, and never run', () => {
    for (const source of ['^(a+)+$', `^${'a?'.repeat(30)}${'a'.repeat(30)}$`, '(a*)*b', '^(a|aa)+$', '(x+x+)+y', '^(\\w+\\s?)*$', '(.*a){12}', '(a)\\1', `^${'a{0,40}'.repeat(6)}b`]) {
      assert.ok(unsafeRegexReason(source), source);
      assert.match(errorOf(parsePriceData(dataWith({ regex: source }))), /regex refused, as it could take unbounded time to match/, source);
    }
    // Matched directly (data that bypassed the check), `^(a+)+$` on a long id returns at once: it is not run.
    assert.equal(matches({ regex: '^(a+)+$' }, `${'a'.repeat(40)}!`), false);
    assert.equal(matches({ regex: '^a+$' }, 'a'.repeat(10_000)), false, 'ids longer than 256 characters are never tried on a regex');
  });

  test('every regex of the real price data is accepted and still matches', () => {
    const rules: string[] = [];
    const collect = (rule: unknown): void => {
      if (typeof rule !== 'object' || rule === null) return;
      const record = rule as Record<string, unknown>;
      if (typeof record.regex === 'string') rules.push(record.regex);
      for (const key of ['or', 'and']) if (Array.isArray(record[key])) (record[key] as unknown[]).forEach(collect);
    };
    for (const provider of bundledPriceData().providers) {
      collect(provider.model_match);
      for (const model of provider.models) collect(model.match);
    }
    assert.ok(rules.length > 20, `the data has regex rules (${rules.length})`);
    for (const rule of rules) assert.equal(unsafeRegexReason(rule), undefined, rule);
    assert.ok(matches({ regex: '^gpt-5-mini-\\d{4}-\\d{2}-\\d{2}$' }, 'gpt-5-mini-2025-08-07'));
    assert.ok(!('error' in parsePriceData(JSON.stringify(bundledPriceData().providers))), 'the real data passes every check');
  });
});

describe('implausible price data is refused with a reason', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  const envelope = (url: string, date: string) => `{"url":${JSON.stringify(url)},"date":"${date}","fetchedAt":"x","providers":${dataWith({ equals: 'm' })}}`;

  test('a provider listed twice', () => {
    const twice = JSON.stringify([...JSON.parse(dataWith({ equals: 'm' })), ...JSON.parse(dataWith({ equals: 'n' }))]);
    assert.equal(errorOf(parsePriceData(twice)), "provider 2 ('p') is listed twice");
  });

  test('data dated in the future, or naming a source or link that is not http(s)', () => {
    assert.equal(errorOf(priceDataFromText(envelope('https://example.test/d.json', '2099-01-01'), 'file', 'd.json', '2026-12-01', now)), 'it is dated 2099-01-01, in the future');
    assert.equal(errorOf(priceDataFromText(envelope('javascript:alert(1)', '2026-11-20'), 'file', 'd.json', '2026-12-01', now)), "its source 'javascript:alert(1)' is not an http(s) address");
    assert.match(errorOf(parsePriceData(dataWith({ equals: 'm' }, { pricing_urls: ['javascript:alert(1)'] }))), /pricing_urls: 'javascript:alert\(1\)' is not an http\(s\) address/);
    assert.ok('data' in priceDataFromText(envelope('https://example.test/d.json', '2026-12-02'), 'file', 'd.json', '2026-12-01', now), 'today is fine');
  });

  test('data larger than 16 MB is refused before it is parsed', () => {
    const huge = `[${' '.repeat(MAX_PRICE_DATA_BYTES)}]`;
    assert.match(errorOf(priceDataFromText(huge, 'file', 'big.json', '2026-12-01', now)), /^larger than 16 MB/);
  });
});

describe('downloading price data', () => {
  let server: Server;
  let base = '';
  before(async () => {
    // 40 MB of spaces gzip to about 40 KB: a gzip bomb that fetch would inflate as it reads.
    const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
    server = createServer((request, response) => {
      if (request.url === '/bomb') {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        response.end(bomb);
      } else if (request.url === '/endless') {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        const write = () => {
          while (response.write(chunk));
        };
        response.on('drain', write);
        request.on('close', () => response.destroy());
        write();
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('stops reading at the cap, counted after decompression (a gzip bomb) and on an endless body', async () => {
    await assert.rejects(fetchCappedText(`${base}/bomb`, MAX_PRICE_DATA_BYTES, 30_000), /larger than 16 MB; stopped reading it/);
    await assert.rejects(fetchCappedText(`${base}/endless`, MAX_PRICE_DATA_BYTES, 30_000), /larger than 16 MB; stopped reading it/);
    assert.equal((await fetchCappedText(`${base}/small`, MAX_PRICE_DATA_BYTES, 30_000)).text, '[]');
  });
});
