import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import { countPrompt } from '../../src/core/prompts/countPrompt';
import { parsePrompt } from '../../src/core/prompts/parsePrompt';
import { applyProviderCount } from '../../src/core/providerCounts/applyProviderCount';
import { ProviderCounter, type ProviderCounterOptions, type ProviderFetch } from '../../src/core/providerCounts/providerCounter';
import { loadTokenCounter } from '../../src/core/tokenize/tokenCounter';
import type { ModelInfo, ParsedPrompt, PromptCount } from '../../src/core/types';

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

// A stand-in for the providers on 127.0.0.1: records each request and answers with `reply`.
let server: Server;
let base: string;
let seen: SeenRequest[] = [];
let reply: (request: SeenRequest, response: ServerResponse) => void;
const hanging = new Set<ServerResponse>();

before(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const entry = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: text ? JSON.parse(text) : undefined };
      seen.push(entry);
      reply(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const response of hanging) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  reply = (_request, response) => json(response, 500, {});
});

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const catalog = ModelCatalog.builtIn();
function model(id: string): ModelInfo {
  const resolution = catalog.resolve(id);
  assert.ok('model' in resolution, `catalog knows ${id}`);
  return resolution.model;
}

async function localCount(parsed: ParsedPrompt, info: ModelInfo): Promise<PromptCount> {
  return countPrompt(parsed, await loadTokenCounter(info.tokenizer));
}

function counter(env: Record<string, string | undefined>, options: Partial<ProviderCounterOptions> = {}): ProviderCounter {
  return new ProviderCounter({
    fetch: fetch as unknown as ProviderFetch,
    env,
    sha256: (text) => createHash('sha256').update(text).digest('hex'),
    now: () => new Date('2026-12-03T10:00:00Z'),
    ...options,
  });
}

const chat = parsePrompt(
  'chat.json',
  JSON.stringify([
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Summarise the ticket.' },
    { role: 'assistant', content: 'Which ticket?' },
    { role: 'user', content: 'Ticket 42.' },
  ]),
);
const plain = parsePrompt('note.md', '# Task\n\nSummarise this report in three bullet points.\n');

describe('counting with the provider: request shape', () => {
  test("sends Anthropic's count_tokens request as the prompt would be sent, with its key and version headers", async () => {
    reply = (_request, response) => json(response, 200, { input_tokens: 37 });
    const info = model('claude-sonnet-4-5');
    const local = await localCount(chat, info);
    const result = await counter({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: base }).count(chat, info, local);
    assert.equal(seen.length, 1);
    const [request] = seen;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/v1/messages/count_tokens');
    assert.equal(request.headers['x-api-key'], 'sk-ant-test');
    assert.equal(request.headers['anthropic-version'], '2023-06-01');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, {
      model: 'claude-sonnet-4-5',
      system: 'You are terse.',
      messages: [
        { role: 'user', content: 'Summarise the ticket.' },
        { role: 'assistant', content: 'Which ticket?' },
        { role: 'user', content: 'Ticket 42.' },
      ],
    });
    assert.equal(result.kind, 'counted');
    assert.ok(result.kind === 'counted');
    assert.equal(result.tokens, 37);
    assert.equal(result.exact, true);
    assert.equal(result.source.endpoint, "Anthropic's count_tokens API");
    assert.equal(result.source.url, `${base}/v1/messages/count_tokens`);
    assert.equal(result.source.countedAt, '2026-12-03T10:00:00.000Z');
    assert.equal(result.source.localTokens, local.tokens);

    const applied = applyProviderCount(local, result);
    assert.equal(applied.tokens, 37);
    assert.equal(applied.exact, true);
    assert.deepEqual(applied.segmentTokens, local.segmentTokens, 'per-message figures stay ours');
    assert.equal(applied.fromProvider?.provider, 'Anthropic');
  });

  test("sends Gemini's countTokens request with the system instruction, preferring GOOGLE_API_KEY as Google's SDKs do", async () => {
    reply = (_request, response) => json(response, 200, { totalTokens: 29, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 29 }] });
    const info = model('gemini-2.5-flash');
    const result = await counter({ GOOGLE_API_KEY: 'google-key', GEMINI_API_KEY: 'gemini-key', GOOGLE_GEMINI_BASE_URL: base }).count(chat, info, await localCount(chat, info));
    const [request] = seen;
    assert.equal(request.url, '/v1beta/models/gemini-2.5-flash:countTokens');
    assert.equal(request.headers['x-goog-api-key'], 'google-key');
    assert.deepEqual(request.body, {
      generateContentRequest: {
        model: 'models/gemini-2.5-flash',
        contents: [
          { role: 'user', parts: [{ text: 'Summarise the ticket.' }] },
          { role: 'model', parts: [{ text: 'Which ticket?' }] },
          { role: 'user', parts: [{ text: 'Ticket 42.' }] },
        ],
        systemInstruction: { parts: [{ text: 'You are terse.' }] },
      },
    });
    assert.ok(result.kind === 'counted');
    assert.equal(result.tokens, 29);
    assert.equal(result.exact, true);
  });

  test('sends a non-chat file as one user message (GEMINI_API_KEY alone is enough)', async () => {
    reply = (_request, response) => json(response, 200, { totalTokens: 12 });
    const info = model('gemini-2.5-flash');
    await counter({ GEMINI_API_KEY: 'gemini-key', GOOGLE_GEMINI_BASE_URL: base }).count(plain, info, await localCount(plain, info));
    assert.equal(seen[0].headers['x-goog-api-key'], 'gemini-key');
    assert.deepEqual(seen[0].body, {
      generateContentRequest: { model: 'models/gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: plain.segments.map((segment) => segment.text).join('') }] }] },
    });
  });

  test("counts with xAI's tokenize-text per message and says the chat framing is our estimate", async () => {
    reply = (request, response) => {
      const { text } = request.body as { text: string };
      json(response, 200, { token_ids: text.split(' ').map((_, index) => ({ token_id: index })) });
    };
    const info = model('grok-4');
    const local = await localCount(chat, info);
    // A base URL with /v1 already in it, as the OpenAI-compatible clients take it.
    const result = await counter({ XAI_API_KEY: 'xai-key', XAI_BASE_URL: `${base}/v1` }).count(chat, info, local);
    assert.deepEqual(
      seen.map((request) => [request.url, request.headers.authorization, request.body]),
      chat.segments.map((segment) => ['/v1/tokenize-text', 'Bearer xai-key', { text: segment.text, model: info.id }]),
    );
    const words = chat.segments.reduce((sum, segment) => sum + segment.text.split(' ').length, 0);
    assert.ok(result.kind === 'counted');
    assert.equal(result.tokens, words + local.overheadTokens);
    assert.equal(result.exact, false, 'the framing is estimated');
    assert.equal(result.source.framing, 'estimated');
  });
});

describe('counting with the provider: no request unless it can count', () => {
  test('makes no request without a key, and says which variable to set', async () => {
    const info = model('claude-sonnet-4-5');
    const provider = counter({ ANTHROPIC_BASE_URL: base });
    const result = await provider.count(chat, info, await localCount(chat, info));
    assert.deepEqual(result, { kind: 'unavailable', reason: 'no Anthropic API key (set ANTHROPIC_API_KEY)' });
    assert.equal(seen.length, 0);
    assert.equal(provider.requestCount, 0);
  });

  test('asks the stored keys when the environment has none', async () => {
    reply = (_request, response) => json(response, 200, { input_tokens: 5 });
    const info = model('claude-sonnet-4-5');
    const result = await counter({ ANTHROPIC_BASE_URL: base }, { storedKey: async (id) => (id === 'anthropic' ? 'stored-key' : undefined) }).count(chat, info, await localCount(chat, info));
    assert.equal(result.kind, 'counted');
    assert.equal(seen[0].headers['x-api-key'], 'stored-key');
  });

  test('makes no request for a model whose provider has no endpoint, nor for a resold one', async () => {
    const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: base, OPENAI_API_KEY: 'k' };
    const gpt = model('gpt-4o');
    const openai = await counter(env).count(chat, gpt, await localCount(chat, gpt));
    assert.deepEqual(openai, { kind: 'unavailable', reason: 'counted exactly offline (o200k_base): no request needed' });
    const resold = catalog.list().find((candidate) => candidate.sellsOwnModel === false && /claude/.test(candidate.id));
    assert.ok(resold, 'the catalog has a resold Claude');
    const result = await counter(env).count(chat, resold, await localCount(chat, resold));
    assert.equal(result.kind, 'unavailable');
    assert.match((result as { reason: string }).reason, /resells this model/);
    assert.equal(seen.length, 0);
  });

  test('sends no long chat to xAI message by message', async () => {
    const info = model('grok-4');
    const long = parsePrompt('long.json', JSON.stringify(Array.from({ length: 101 }, (_, index) => ({ role: 'user', content: `message ${index}` }))));
    const result = await counter({ XAI_API_KEY: 'k', XAI_BASE_URL: base }).count(long, info, await localCount(long, info));
    assert.deepEqual(result, { kind: 'unavailable', reason: '101 messages: xAI counts one message per request, at most 100 are sent' });
    assert.equal(seen.length, 0);
  });

  test('sends nothing for an empty prompt', async () => {
    const info = model('claude-sonnet-4-5');
    const empty = parsePrompt('empty.md', '\n\n');
    const result = await counter({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: base }).count(empty, info, await localCount(empty, info));
    assert.equal(result.kind, 'unavailable');
    assert.equal(seen.length, 0);
  });
});

describe('counting with the provider: errors name the provider', () => {
  const info = model('claude-sonnet-4-5');
  const env = () => ({ ANTHROPIC_API_KEY: 'sk-ant-secret', ANTHROPIC_BASE_URL: base });
  async function failure(options: Partial<ProviderCounterOptions> = {}): Promise<string> {
    const result = await counter(env(), options).count(chat, info, await localCount(chat, info));
    assert.equal(result.kind, 'failed');
    return (result as { message: string }).message;
  }

  test('a refused key (401), without repeating the key', async () => {
    reply = (_request, response) => json(response, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key sk-ant-secret' } });
    const message = await failure();
    assert.equal(message, 'Anthropic rejected the API key (HTTP 401): invalid x-api-key …');
  });

  test('rate limiting (429) with the wait the server asks for', async () => {
    reply = (_request, response) => json(response, 429, { error: { message: 'Too many requests' } }, { 'retry-after': '30' });
    assert.equal(await failure(), 'Anthropic is rate-limiting requests (HTTP 429); retry after 30 s: Too many requests');
  });

  test('a server error (5xx), with terminal escapes in its message made harmless', async () => {
    reply = (_request, response) => json(response, 529, { error: { message: 'Overloaded\u001b[31m' } });
    assert.equal(await failure(), 'Anthropic had a server error (HTTP 529): Overloaded [31m');
  });

  test('a body without a count, or not JSON at all', async () => {
    reply = (_request, response) => json(response, 200, { tokens: 3 });
    assert.match(await failure(), /^Anthropic: the answer from .* holds no token count \(expected \{"input_tokens": N\}\)$/);
    reply = (_request, response) => {
      response.writeHead(200);
      response.end('<html>proxy login</html>');
    };
    assert.match(await failure(), /holds no token count/);
  });

  test('an answer larger than the limit is not read', async () => {
    reply = (_request, response) => json(response, 200, { input_tokens: 1, padding: 'x'.repeat(10_000) });
    assert.match(await failure({ maxResponseBytes: 1024 }), /^Anthropic: the answer from .* is larger than 1 KiB; not read$/);
  });

  test('a server that never answers is given up on', async () => {
    reply = (_request, response) => hanging.add(response);
    assert.match(await failure({ timeoutMs: 200 }), /^Anthropic: no answer from http:\/\/127\.0\.0\.1:\d+\/v1\/messages\/count_tokens within 0\.2 s$/);
  });

  test('an unreachable server and a malformed base URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await counter({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` }).count(chat, info, await localCount(chat, info));
    assert.ok(unreachable.kind === 'failed');
    assert.match(unreachable.message, /^Anthropic: could not reach http:\/\/127\.0\.0\.1:\d+\/v1\/messages\/count_tokens: /);
    const malformed = await counter({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'file:///etc' }).count(chat, info, await localCount(chat, info));
    assert.deepEqual(malformed, { kind: 'failed', message: 'Anthropic: ANTHROPIC_BASE_URL is not an http(s) URL: file:///etc' });
  });
});

describe('counting with the provider: cache', () => {
  test('asks once per request content: the same prompt again is served from the cache, an edit is asked anew', async () => {
    let answers = 0;
    reply = (_request, response) => json(response, 200, { input_tokens: 100 + answers++ });
    const info = model('claude-sonnet-4-5');
    const provider = counter({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: base });
    const first = await provider.count(chat, info, await localCount(chat, info));
    const again = await provider.count(parsePrompt('copy.json', JSON.stringify(chat.segments.map((segment) => ({ role: segment.role, content: segment.text })))), info, await localCount(chat, info));
    assert.equal(provider.requestCount, 1);
    assert.ok(first.kind === 'counted' && again.kind === 'counted');
    assert.equal(again.tokens, first.tokens);
    const edited = parsePrompt('chat.json', JSON.stringify([{ role: 'user', content: 'Ticket 43.' }]));
    const third = await provider.count(edited, info, await localCount(edited, info));
    assert.ok(third.kind === 'counted');
    assert.equal(third.tokens, 101);
    assert.equal(provider.requestCount, 2);
    // Another model is another request body.
    const opus = model('claude-opus-4-5');
    await provider.count(chat, opus, await localCount(chat, opus));
    assert.equal(provider.requestCount, 3);
  });

  test('asks one provider a few requests at a time: 24 prompts at once never hold more than 4 open', async () => {
    let open = 0;
    let mostOpen = 0;
    reply = (request, response) => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      const text = JSON.stringify(request.body);
      setTimeout(() => {
        open--;
        json(response, 200, { input_tokens: text.length });
      }, 20);
    };
    const info = model('claude-sonnet-4-5');
    const provider = counter({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: base });
    const prompts = Array.from({ length: 24 }, (_, i) => parsePrompt(`p${i}.md`, `Prompt number ${i}: summarise ticket ${i}.`));
    const results = await Promise.all(prompts.map(async (prompt) => provider.count(prompt, info, await localCount(prompt, info))));
    assert.equal(provider.requestCount, 24);
    assert.ok(results.every((result) => result.kind === 'counted'));
    assert.equal(mostOpen, 4);
  });

  test('a failure is not cached: the next request tries again', async () => {
    reply = (_request, response) => json(response, 503, {});
    const info = model('claude-sonnet-4-5');
    const provider = counter({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: base });
    assert.equal((await provider.count(chat, info, await localCount(chat, info))).kind, 'failed');
    reply = (_request, response) => json(response, 200, { input_tokens: 9 });
    const retried = await provider.count(chat, info, await localCount(chat, info));
    assert.ok(retried.kind === 'counted');
    assert.equal(retried.tokens, 9);
    assert.equal(provider.requestCount, 2);
  });
});
