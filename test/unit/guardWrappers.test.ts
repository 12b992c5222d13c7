// The guard around the real SDK packages, against a local server that answers as each API does.
import Anthropic from '@anthropic-ai/sdk';
import { createOpenAI } from '@ai-sdk/openai';
import { GoogleGenAI } from '@google/genai';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import OpenAI from 'openai';
import { BudgetExceededError, createGuard, type Guard } from '../../src/library';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

const received: Received[] = [];
let server: Server;
let base = '';

function sse(events: unknown[], named = false): string {
  return events.map((event) => `${named ? `event: ${(event as { type: string }).type}\n` : ''}data: ${JSON.stringify(event)}\n\n`).join('');
}

/** Answers as OpenAI, Anthropic and Gemini do; a request for the model 'broken' gets a 500. */
function answer(path: string, body: Record<string, unknown>): { status: number; type: string; text: string } {
  const model = String(body.model ?? path.match(/models\/([^:]+)/)?.[1]);
  if (model === 'gpt-4o-broken' || model === 'claude-broken' || model === 'gemini-broken') return { status: 500, type: 'application/json', text: JSON.stringify({ error: { message: 'server error', type: 'server_error' } }) };
  const json = (value: unknown) => ({ status: 200, type: 'application/json', text: JSON.stringify(value) });
  const stream = (text: string) => ({ status: 200, type: 'text/event-stream', text });
  if (path === '/v1/chat/completions') {
    const usage = { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280, prompt_tokens_details: { cached_tokens: 1024 } };
    if (!body.stream) return json({ id: 'chatcmpl-1', object: 'chat.completion', created: 1764756000, model: `${model}-2024-08-06`, choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }], usage });
    const chunk = (choices: unknown[], extra = {}) => ({ id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1764756000, model: `${model}-2024-08-06`, choices, usage: null, ...extra });
    const chunks = [chunk([{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }]), chunk([{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }])];
    if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) chunks.push(chunk([], { usage }));
    return stream(`${sse(chunks)}data: [DONE]\n\n`);
  }
  if (path === '/v1/responses') {
    const response = { id: 'resp_1', object: 'response', created_at: 1764756000, status: 'completed', model: `${model}-2025-04-14`, output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello', annotations: [] }] }], usage: { input_tokens: 300, input_tokens_details: { cached_tokens: 0 }, output_tokens: 40, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 340 } };
    if (!body.stream) return json(response);
    return stream(sse([{ type: 'response.created', sequence_number: 0, response: { ...response, status: 'in_progress', usage: null } }, { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hello' }, { type: 'response.completed', sequence_number: 2, response }], true));
  }
  if (path === '/v1/messages') {
    const usage = { input_tokens: 500, output_tokens: 60, cache_read_input_tokens: 2000, cache_creation_input_tokens: 100 };
    const message = { id: 'msg_01', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'Hello' }], stop_reason: 'end_turn', stop_sequence: null, usage };
    if (!body.stream) return json(message);
    return stream(
      sse(
        [
          { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } },
          { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
          { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
          { type: 'content_block_stop', index: 0 },
          { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 60 } },
          { type: 'message_stop' },
        ],
        true,
      ),
    );
  }
  if (path.startsWith('/v1beta/models/')) {
    const chunk = (text: string, usageMetadata?: unknown) => ({ candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: usageMetadata ? 'STOP' : undefined, index: 0 }], usageMetadata, modelVersion: model, responseId: 'gem-1' });
    const usageMetadata = { promptTokenCount: 700, candidatesTokenCount: 90, totalTokenCount: 790 };
    if (path.includes(':streamGenerateContent')) return stream(sse([chunk('Hel', { promptTokenCount: 700, totalTokenCount: 700 }), chunk('lo', usageMetadata)]));
    return json(chunk('Hello', usageMetadata));
  }
  return { status: 404, type: 'application/json', text: '{}' };
}

before(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      const path = (request.url ?? '').split('?')[0];
      received.push({ path, headers: request.headers, body });
      const { status, type, text } = answer(path, body);
      response.writeHead(status, { 'content-type': type });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const folders: string[] = [];
after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A guard over a fresh ledger; one budget refuses calls tagged 'tiny' costing more than $0.000001. */
function freshGuard(): { guard: Guard; ledger: () => Record<string, unknown>[] } {
  const folder = mkdtempSync(join(tmpdir(), 'pb-wrap-'));
  folders.push(folder);
  writeFileSync(
    join(folder, 'prompt-budget.yaml'),
    `version: 1
budgets:
  - name: Tiny
    files: ["none/**"]
    usageTags: [tiny]
    maxCostPerCall: 0.000001
usage:
  ledger: ledger.jsonl
`,
  );
  const guard = createGuard({ cwd: folder, user: 'app', tags: ['chat'] });
  return {
    guard,
    ledger: () => {
      let text = '';
      try {
        text = readFileSync(join(folder, 'ledger.jsonl'), 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.type === 'prompt-budget/call');
    },
  };
}

function figures(line: Record<string, unknown>) {
  const { provider, model, id, user, tags, inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens } = line;
  return { provider, model, id, user, tags, inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens };
}

const MESSAGES = [{ role: 'user' as const, content: 'Say hello.' }];

beforeEach(() => {
  received.length = 0;
});

describe('guard.wrap(new OpenAI())', () => {
  test("a chat completion is sent once and recorded once with the provider's figures; per-call user and tags ride in headers that are not sent", async () => {
    const { guard, ledger } = freshGuard();
    const client = guard.wrap(new OpenAI({ apiKey: 'test', baseURL: `${base}/v1`, maxRetries: 0 }));
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, max_tokens: 100 }, { headers: { 'x-prompt-budget-user': 'alice', 'x-prompt-budget-tags': 'support, triage' } });
    assert.equal(completion.choices[0].message.content, 'Hello');
    await guard.close();
    assert.equal(received.length, 1);
    assert.equal(received[0].headers['x-prompt-budget-user'], undefined);
    const lines = ledger();
    assert.deepEqual(lines.map(figures), [{ provider: 'openai', model: 'gpt-4o-2024-08-06', id: 'chatcmpl-1', user: 'alice', tags: ['support', 'triage'], inputTokens: 1200, cachedInputTokens: 1024, cacheWriteTokens: 0, outputTokens: 80 }]);
    // GPT-4o: 176 input at $2.50/M, 1,024 cached at $1.25/M, 80 output at $10/M.
    assert.equal((lines[0].cost as number).toFixed(6), '0.002520');
  });

  test('a refused call sends nothing and records nothing', async () => {
    const { guard, ledger } = freshGuard();
    const client = guard.wrap(new OpenAI({ apiKey: 'test', baseURL: `${base}/v1`, maxRetries: 0 }));
    await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES }, { headers: { 'x-prompt-budget-tags': 'tiny' } }), BudgetExceededError);
    await guard.close();
    assert.deepEqual([received.length, ledger().length], [0, 0]);
  });

  test('a 500 reaches the caller as the SDK raises it, and records nothing', async () => {
    const { guard, ledger } = freshGuard();
    const client = guard.wrap(new OpenAI({ apiKey: 'test', baseURL: `${base}/v1`, maxRetries: 0 }));
    await assert.rejects(client.chat.completions.create({ model: 'gpt-4o-broken', messages: MESSAGES }), OpenAI.InternalServerError);
    await guard.close();
    assert.deepEqual([received.length, ledger().length, (await guard.summary()).inFlight], [1, 0, 0]);
  });

  test('a stream asks for its usage chunk, hides it from a caller who did not ask, and is recorded when it ends', async () => {
    const { guard, ledger } = freshGuard();
    const client = guard.wrap(new OpenAI({ apiKey: 'test', baseURL: `${base}/v1`, maxRetries: 0 }));
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true });
    const texts: string[] = [];
    for await (const chunk of stream) texts.push(chunk.choices[0].delta.content ?? '');
    await guard.close();
    assert.deepEqual(texts, ['Hel', 'lo']);
    assert.deepEqual(received[0].body.stream_options, { include_usage: true });
    assert.deepEqual(ledger().map((line) => [line.id, line.inputTokens, line.outputTokens]), [['chatcmpl-2', 1200, 80]]);
  });

  test('a stream stopped before its usage chunk is released: nothing recorded, nothing held against quotas', async () => {
    const { guard, ledger } = freshGuard();
    const client = guard.wrap(new OpenAI({ apiKey: 'test', baseURL: `${base}/v1`, maxRetries: 0 }));
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: MESSAGES, stream: true });
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content === 'Hel') break;
    const summary = await guard.summary();
    await guard.close();
    assert.deepEqual([summary.calls, summary.inFlight, ledger().length], [0, 0, 0]);
  });

  test('the stream() helper passes through unguarded: sent, not recorded', async () => {
    const { guard, ledger } = freshGuard();
    const client = guard.wrap(new OpenAI({ apiKey: 'test', baseURL: `${base}/v1`, maxRetries: 0 }));
    const completion = await client.chat.completions.stream({ model: 'gpt-4o', messages: MESSAGES }).finalChatCompletion();
    await guard.close();
    assert.equal(completion.choices[0].message.content, 'Hello');
    assert.deepEqual([received.length, ledger().length], [1, 0]);
  });

  test('the Responses API, plain and streaming, and withResponse() still works', async () => {
    const { guard, ledger } = freshGuard();
    const client = guard.wrap(new OpenAI({ apiKey: 'test', baseURL: `${base}/v1`, maxRetries: 0 }));
    const { data, response } = await client.responses.create({ model: 'gpt-4.1', input: 'Say hello.', max_output_tokens: 50 }).withResponse();
    assert.equal(data.output_text, 'Hello');
    assert.equal(response.status, 200);
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'Say hello.', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    await guard.close();
    assert.deepEqual(types, ['response.created', 'response.output_text.delta', 'response.completed']);
    assert.deepEqual(ledger().map((line) => [line.model, line.inputTokens, line.outputTokens]), [
      ['gpt-4.1-2025-04-14', 300, 40],
      ['gpt-4.1-2025-04-14', 300, 40],
    ]);
  });
});

describe('guard.wrap(new Anthropic())', () => {
  test("messages, plain and streaming, are recorded with cache reads and writes; metadata.user_id names the user; a 500 records nothing", async () => {
    const { guard, ledger } = freshGuard();
    const client = guard.wrap(new Anthropic({ apiKey: 'test', baseURL: base, maxRetries: 0 }));
    const message = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 200, messages: MESSAGES, metadata: { user_id: 'bob' } });
    assert.equal(message.content[0].type === 'text' ? message.content[0].text : '', 'Hello');
    const stream = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 200, messages: MESSAGES, stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    await assert.rejects(client.messages.create({ model: 'claude-broken', max_tokens: 10, messages: MESSAGES }), Anthropic.InternalServerError);
    await guard.close();
    assert.equal(types.at(-1), 'message_stop');
    const expected = { provider: 'anthropic', model: 'claude-sonnet-4-5', id: 'msg_01', tags: ['chat'], inputTokens: 2600, cachedInputTokens: 2000, cacheWriteTokens: 100, outputTokens: 60 };
    assert.deepEqual(ledger().map(figures), [
      { ...expected, user: 'bob' },
      { ...expected, user: 'app' },
    ]);
    assert.equal(received.length, 3);
  });
});

describe('guard.wrap(new Anthropic()) helpers and early stops', () => {
  test('messages.stream() and messages.parse() go through the guarded create: each recorded once', async () => {
    const { guard, ledger } = freshGuard();
    const client = guard.wrap(new Anthropic({ apiKey: 'test', baseURL: base, maxRetries: 0 }));
    const streamed = await client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 200, messages: MESSAGES }).finalMessage();
    const parsed = await client.messages.parse({ model: 'claude-sonnet-4-5', max_tokens: 200, messages: MESSAGES });
    const summary = await guard.summary();
    await guard.close();
    assert.deepEqual([streamed.usage.output_tokens, parsed.id], [60, 'msg_01']);
    assert.equal(summary.inFlight, 0);
    assert.deepEqual(ledger().map((line) => [line.id, line.inputTokens, line.outputTokens]), [
      ['msg_01', 2600, 60],
      ['msg_01', 2600, 60],
    ]);
  });

  test('a stream stopped early records what Anthropic reported so far (message_start: the input, one output token)', async () => {
    const { guard, ledger } = freshGuard();
    const client = guard.wrap(new Anthropic({ apiKey: 'test', baseURL: base, maxRetries: 0 }));
    const stream = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 200, messages: MESSAGES, stream: true });
    for await (const event of stream) if (event.type === 'content_block_delta') break;
    await guard.close();
    assert.deepEqual(ledger().map((line) => [line.inputTokens, line.cachedInputTokens, line.outputTokens]), [[2600, 2000, 1]]);
  });

  test('a refused messages.stream() sends nothing; the SDK wraps the refusal, its cause is the BudgetExceededError', async () => {
    const { guard, ledger } = freshGuard();
    const client = guard.wrap(new Anthropic({ apiKey: 'test', baseURL: base, maxRetries: 0 }));
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 200, messages: MESSAGES }, { headers: { 'x-prompt-budget-tags': 'tiny' } });
    await assert.rejects(stream.finalMessage(), (error: unknown) => error instanceof Anthropic.AnthropicError && (error as { cause?: unknown }).cause instanceof BudgetExceededError);
    await guard.close();
    assert.deepEqual([received.length, ledger().length], [0, 0]);
  });
});

describe('guard.wrap(new GoogleGenAI())', () => {
  test('generateContent and generateContentStream are recorded from usageMetadata; a refusal sends nothing', async () => {
    const { guard, ledger } = freshGuard();
    const ai = guard.wrap(new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: base, retryOptions: { attempts: 1 } } }));
    const response = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Say hello.', config: { maxOutputTokens: 100 } });
    assert.equal(response.text, 'Hello');
    const texts: string[] = [];
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Say hello.', config: { maxOutputTokens: 100 } })) texts.push(chunk.text ?? '');
    await assert.rejects(ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Say hello.', config: { httpOptions: { headers: { 'x-prompt-budget-tags': 'tiny' } } } }), BudgetExceededError);
    await guard.close();
    assert.deepEqual(texts, ['Hel', 'lo']);
    assert.deepEqual(ledger().map((line) => [line.provider, line.model, line.inputTokens, line.outputTokens]), [
      ['google', 'gemini-2.5-flash', 700, 90],
      ['google', 'gemini-2.5-flash', 700, 90],
    ]);
    assert.equal(received.length, 2);
  });
});

describe('guard.wrap(new GoogleGenAI()) early stop', () => {
  test('a stream stopped after its first chunk records the usage that chunk reported', async () => {
    const { guard, ledger } = freshGuard();
    const ai = guard.wrap(new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: base, retryOptions: { attempts: 1 } } }));
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Say hello.', config: { maxOutputTokens: 100 } })) if (chunk.text === 'Hel') break;
    await guard.close();
    assert.deepEqual(ledger().map((line) => [line.inputTokens, line.outputTokens]), [[700, 0]]);
  });
});

describe('guard.middleware() with the AI SDK', () => {
  test('generateText and streamText through wrapLanguageModel are checked and recorded; providerOptions name the user and tags', async () => {
    const { guard, ledger } = freshGuard();
    const openai = createOpenAI({ apiKey: 'test', baseURL: `${base}/v1` });
    const model = wrapLanguageModel({ model: openai.chat('gpt-4o'), middleware: guard.middleware() });
    const { text } = await generateText({ model, prompt: 'Say hello.', maxOutputTokens: 100, maxRetries: 0, providerOptions: { promptBudget: { user: 'carol', tags: ['search'] } } });
    assert.equal(text, 'Hello');
    const streamed = streamText({ model, prompt: 'Say hello.', maxOutputTokens: 100, maxRetries: 0 });
    assert.equal(await streamed.text, 'Hello');
    await assert.rejects(generateText({ model, prompt: 'Say hello.', maxRetries: 0, providerOptions: { promptBudget: { tags: ['tiny'] } } }), (error: unknown) => error instanceof BudgetExceededError);
    await guard.close();
    assert.deepEqual(ledger().map((line) => [line.model, line.user, line.tags, line.inputTokens, line.cachedInputTokens, line.outputTokens]), [
      ['gpt-4o-2024-08-06', 'carol', ['search'], 1200, 1024, 80],
      ['gpt-4o-2024-08-06', 'app', ['chat'], 1200, 1024, 80],
    ]);
    assert.equal(received.length, 2);
  });
});
