// How the usage ledger reads a large log: a generated JSONL file (default 1 GB) of mixed formats
// (OpenAI chat completions with their replies, Anthropic messages in an app's log lines, LiteLLM
// spend logs, OpenTelemetry spans), every line a distinct call, streamed through the same path as
// `prompt-budget usage`. Reports MB/s and the process's peak RSS; the aim is ≥ 30 MB/s, ≤ 250 MB.
//
//   npm run build && npm run compile-tests && node out/test/bench/usage.bench.js [megabytes]
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { collectUsage } from '../../src/core/usage/collectUsage';
import { usageReport } from '../../src/core/usage/usageReport';

const MEGABYTES = Number(process.argv[2] ?? 1024);
const DAY_S = 86_400;
const START_S = Date.UTC(2026, 9, 1) / 1000;
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const REPLY = 'Thanks for reaching out. I have looked at your order and the refund was issued on Tuesday; it can take three to five business days to appear on your statement. ';

/** One log line for call `i`, cycling through the formats. */
function line(i: number): string {
  const created = START_S + Math.floor((i * 37) % (60 * DAY_S));
  const user = USERS[i % USERS.length];
  const input = 500 + ((i * 7919) % 6000);
  const output = 50 + ((i * 104729) % 900);
  switch (i % 4) {
    case 0:
      return JSON.stringify({
        id: `chatcmpl-${i.toString(36).padStart(12, '0')}Xy7Qb2`,
        object: 'chat.completion',
        created,
        model: i % 8 === 0 ? 'gpt-4o-2024-08-06' : 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, message: { role: 'assistant', content: REPLY.repeat(1 + (i % 3)), refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: input,
          completion_tokens: output,
          total_tokens: input + output,
          prompt_tokens_details: { cached_tokens: i % 3 === 0 ? Math.floor(input / 2) : 0, audio_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
        },
        service_tier: 'default',
        system_fingerprint: 'fp_07871e2ad8',
      });
    case 1:
      return JSON.stringify({
        timestamp: new Date(created * 1000).toISOString(),
        level: 'info',
        user,
        tags: ['support'],
        response: {
          id: `msg_${i.toString(36).padStart(20, '0')}`,
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [{ type: 'text', text: REPLY }],
          stop_reason: 'end_turn',
          usage: { input_tokens: input, cache_creation_input_tokens: i % 5 === 0 ? 1024 : 0, cache_read_input_tokens: i % 5 === 1 ? 2048 : 0, output_tokens: output },
        },
      });
    case 2:
      return JSON.stringify({
        request_id: `litellm-${i}`,
        call_type: 'acompletion',
        api_key: '88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b',
        spend: (input * 0.15 + output * 0.6) / 1e6,
        total_tokens: input + output,
        prompt_tokens: input,
        completion_tokens: output,
        startTime: new Date(created * 1000).toISOString(),
        endTime: new Date(created * 1000 + 1800).toISOString(),
        model: 'gpt-4o-mini',
        model_group: 'gpt-4o-mini',
        custom_llm_provider: 'openai',
        api_base: 'https://api.openai.com/v1',
        user,
        metadata: { user_api_key_user_id: user, user_api_key_team_id: 'team-1' },
        cache_hit: 'False',
        request_tags: ['summaries'],
      });
    default:
      return JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'support-bot' } }] },
            scopeSpans: [
              {
                scope: { name: 'opentelemetry.instrumentation.openai_v2' },
                spans: [
                  {
                    traceId: (BigInt(i) * 2654435761n).toString(16).padStart(32, '0'),
                    spanId: i.toString(16).padStart(16, '0'),
                    name: 'chat gpt-4o-mini',
                    kind: 3,
                    startTimeUnixNano: `${created}000000000`,
                    endTimeUnixNano: `${created}900000000`,
                    attributes: [
                      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                      { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
                      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
                      { key: 'gen_ai.usage.input_tokens', value: { intValue: String(input) } },
                      { key: 'gen_ai.usage.output_tokens', value: { intValue: String(output) } },
                      { key: 'user.id', value: { stringValue: user } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      });
  }
}

async function writeLog(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let written = 0;
  let lines = 0;
  let batch: string[] = [];
  while (written < bytes) {
    const text = line(lines++) + '\n';
    written += Buffer.byteLength(text);
    batch.push(text);
    if (batch.length === 2000) {
      if (!out.write(batch.join(''))) await once(out, 'drain');
      batch = [];
    }
  }
  out.end(batch.join(''));
  await once(out, 'finish');
  return lines;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'prompt-budget-usage-bench-'));
  const file = path.join(dir, 'calls.jsonl');
  try {
    console.log(`Prompt Budget usage ledger benchmark — Node ${process.version}, ${process.platform}/${process.arch}`);
    const lines = await writeLog(file, MEGABYTES * 1024 * 1024);
    const size = (await stat(file)).size;
    if (global.gc) global.gc();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const probe = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const started = performance.now();
    const collected = await collectUsage([file], (name, offset) => createReadStream(name, { start: offset, highWaterMark: 1 << 20 }));
    const report = usageReport(collected.ledger, { by: ['day', 'model'], now: Date.UTC(2026, 10, 15) });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(probe);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const megabytes = size / 1024 / 1024;
    console.log(`Input: ${megabytes.toFixed(0)} MB JSONL, ${lines.toLocaleString('en')} lines (OpenAI chat, Anthropic in app logs, LiteLLM, OpenTelemetry).`);
    console.log(`Read: ${report.records.toLocaleString('en')} records, ${report.skipped} skipped, ${report.groups.length} day×model groups, ${report.problems.length} problems`);
    console.log(`Throughput: ${(megabytes / seconds).toFixed(1)} MB/s (${seconds.toFixed(1)} s)   aim ≥ 30 MB/s`);
    console.log(`Peak RSS while reading: ${(peakRss / 1024 / 1024).toFixed(0)} MB (process at start ${(rssBefore / 1024 / 1024).toFixed(0)} MB)   aim ≤ 250 MB`);
    if (report.records !== lines) throw new Error(`expected ${lines} records, read ${report.records}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
