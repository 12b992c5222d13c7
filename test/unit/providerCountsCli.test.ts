import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { CliIo } from '../../src/cli/cliIo';
import { listFilesBelow } from '../../src/cli/listFilesBelow';
import { runCli } from '../../src/cli/runCli';

// Anthropic's count_tokens on 127.0.0.1: every prompt counts 4,242 tokens.
const PROVIDER_TOKENS = 4242;
let server: Server;
let base: string;
let requests: { url: string; body: { model: string } }[] = [];
let scratch: string;

before(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      requests.push({ url: request.url ?? '', body: JSON.parse(text) });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ input_tokens: PROVIDER_TOKENS }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  scratch = await mkdtemp(join(tmpdir(), 'prompt-budget-apicount-'));
  await writeFile(join(scratch, 'ticket.prompt.md'), '---\nmodel: claude-sonnet-4-5\n---\nLabel this support ticket as billing, bug or question.\n');
});

after(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  requests = [];
});

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    cwd: scratch,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: (path) => readFile(resolve(scratch, path)),
    listFiles: (dir) => listFilesBelow(resolve(scratch, dir)),
    env,
  };
  const code = await runCli(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const withKey = () => ({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: base });

describe('prompt-budget --count-with-api', () => {
  test('count: the provider\'s figure, exact and labelled with its source, priced on it', async () => {
    const { code, stdout } = await cli(['count', 'ticket.prompt.md', '--count-with-api', '--json'], withKey());
    assert.equal(code, 0);
    const [row] = JSON.parse(stdout);
    assert.equal(row.tokens, PROVIDER_TOKENS);
    assert.equal(row.exact, true);
    assert.equal(row.countedBy, "Anthropic's count_tokens API");
    // claude-sonnet-4-5 input is $3 per million tokens.
    assert.ok(Math.abs(row.inputCost - (PROVIDER_TOKENS * 3) / 1e6) < 1e-12);
    assert.equal(requests.length, 1);
    assert.equal(requests[0].body.model, 'claude-sonnet-4-5');

    const text = await cli(['count', 'ticket.prompt.md', '--count-with-api'], withKey());
    assert.match(text.stdout, /^ticket\.prompt\.md: 4,242 tokens \(exact, from Anthropic's count_tokens API\)/);
    assert.equal(requests.length, 2, 'each run asks again: the cache lives as long as the run');
  });

  test('count: no request without the flag, even with a key set', async () => {
    const { code, stdout } = await cli(['count', 'ticket.prompt.md', '--json'], withKey());
    assert.equal(code, 0);
    const [row] = JSON.parse(stdout);
    assert.notEqual(row.tokens, PROVIDER_TOKENS);
    assert.equal(row.exact, false);
    assert.equal(row.countedBy, undefined);
    assert.equal(requests.length, 0);
  });

  test('count: without a key, the usual estimate and one line saying why', async () => {
    const { code, stdout } = await cli(['count', 'ticket.prompt.md', '--count-with-api'], { ANTHROPIC_BASE_URL: base });
    assert.equal(code, 0);
    assert.match(stdout, /^ticket\.prompt\.md: ≈[\d,]+ tokens \(estimate, ±\d+ %\)/);
    assert.match(stdout, /\n {2}--count-with-api: no Anthropic API key \(set ANTHROPIC_API_KEY\)$/);
    assert.equal(requests.length, 0);
  });

  test('compare: the models whose provider counts are exact, the others say why not', async () => {
    const { code, stdout } = await cli(['compare', 'ticket.prompt.md', '--models', 'claude-sonnet-4-5,gpt-4o,gemini-3.1-pro-preview', '--count-with-api', '--json'], withKey());
    assert.equal(code, 0);
    const rows = new Map((JSON.parse(stdout).rows as { modelId: string; tokens: number; exact: boolean; providerNote?: string }[]).map((row) => [row.modelId, row]));
    assert.equal(rows.get('claude-sonnet-4-5')?.tokens, PROVIDER_TOKENS);
    assert.equal(rows.get('claude-sonnet-4-5')?.exact, true);
    assert.equal(rows.get('gpt-4o')?.exact, true);
    assert.equal(rows.get('gpt-4o')?.providerNote, 'counted exactly offline (o200k_base): no request needed');
    assert.equal(rows.get('gemini-3.1-pro-preview')?.exact, false);
    assert.equal(rows.get('gemini-3.1-pro-preview')?.providerNote, 'no Google Gemini API key (set GOOGLE_API_KEY or GEMINI_API_KEY)');
    assert.equal(requests.length, 1);

    const text = await cli(['compare', 'ticket.prompt.md', '--models', 'claude-sonnet-4-5,gemini-3.1-pro-preview', '--count-with-api'], withKey());
    assert.match(text.stdout, /\n--count-with-api: exact from Anthropic's count_tokens API: claude-sonnet-4-5\n--count-with-api: no Google Gemini API key \(set GOOGLE_API_KEY or GEMINI_API_KEY\): gemini-3\.1-pro-preview$/);
  });

  test('check: budgets are held to the provider\'s count', async () => {
    const folder = join(scratch, 'checked');
    await mkdir(join(folder, 'prompts'), { recursive: true });
    await writeFile(join(folder, 'prompt-budget.yaml'), 'version: 1\nbudgets:\n  - name: Tickets\n    files: ["prompts/**"]\n    model: claude-sonnet-4-5\n    maxInputTokens: 4000\n');
    await writeFile(join(folder, 'prompts', 'ticket.md'), 'Label this support ticket as billing, bug or question.\n');
    const offline = await cli(['check', 'checked', '--format', 'json'], withKey());
    assert.equal(offline.code, 0, 'a short prompt is far below 4,000 tokens by our estimate');
    assert.equal(requests.length, 0);

    const { code, stdout, stderr } = await cli(['check', 'checked', '--format', 'json', '--count-with-api'], withKey());
    assert.equal(code, 1, 'over the budget by the provider\'s count');
    const [budget] = JSON.parse(stdout).budgets;
    assert.equal(budget.tokens, PROVIDER_TOKENS);
    assert.equal(budget.exact, true);
    assert.equal(budget.status, 'over');
    assert.equal(stderr, "--count-with-api: exact from Anthropic's count_tokens API: claude-sonnet-4-5");
  });
});
