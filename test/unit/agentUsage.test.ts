import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { calcPrice } from '@pydantic/genai-prices';
import { listFilesBelow } from '../../src/cli/listFilesBelow';
import { runCli } from '../../src/cli/runCli';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';
import { collectAgentUsage } from '../../src/core/usage/agents/collectAgentUsage';
import { agentFolders, discoverAgentFiles } from '../../src/core/usage/agents/discoverAgentFiles';
import { readAgentFile, type AgentFileToRead } from '../../src/core/usage/agents/readAgentFile';
import { projectBlock, usageBlocks } from '../../src/core/usage/agents/usageBlocks';
import { evaluateQuotas } from '../../src/core/usage/evaluateQuotas';
import { groupUsage, totalUsage } from '../../src/core/usage/summarizeUsage';
import { UsageLedger, type UsageBucket } from '../../src/core/usage/usageLedger';
import { CLAUDE_APP_SESSION, CODEX_SESSION, claudeCalls, codexCalls, writeAgentHome } from '../agentHomeFixture';

const NOW = Date.parse('2026-11-20T15:30:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let home: string;
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'prompt-budget-agents-'));
  await writeAgentHome(home, { now: NOW });
});
after(async () => {
  await rm(home, { recursive: true, force: true });
});

const open = (file: string, offset: number) => createReadStream(file, { start: offset });

function readHome(env: Record<string, string> = {}, ledger?: UsageLedger) {
  return collectAgentUsage(['claude-code', 'codex'], { env, home }, listFilesBelow, open, { ledger });
}

async function* chunks(...texts: string[]): AsyncGenerator<Uint8Array> {
  for (const text of texts) yield new TextEncoder().encode(text);
}

function anthropicPrice(model: string, at: number, usage: { input: number; cacheWrite: number; cacheRead: number; output: number }): number {
  const result = calcPrice({ input_tokens: usage.input + usage.cacheWrite + usage.cacheRead, cache_write_tokens: usage.cacheWrite, cache_read_tokens: usage.cacheRead, output_tokens: usage.output }, model, { providerId: 'anthropic', timestamp: new Date(at) });
  assert.ok(result);
  return result.total_price;
}

describe('Claude Code session files', () => {
  test('count a response written once per content block once, sidechain calls too, and report the cut-off line by file and line', async () => {
    const { ledger } = await readHome();
    const claude = [...ledger.buckets.values()].filter((bucket) => bucket.agent === 'claude-code');
    const calls = claudeCalls(NOW);
    const totals = totalUsage(claude);
    assert.equal(totals.calls, calls.length);
    assert.equal(totals.inputTokens, calls.reduce((sum, call) => sum + call.input + call.cacheWrite + call.cacheRead, 0));
    assert.equal(totals.cachedInputTokens, calls.reduce((sum, call) => sum + call.cacheRead, 0));
    assert.equal(totals.cacheWriteTokens, calls.reduce((sum, call) => sum + call.cacheWrite, 0));
    assert.equal(totals.outputTokens, calls.reduce((sum, call) => sum + call.output, 0));
    // Cache reads and writes at their own rates, at each call's date.
    const expected = calls.reduce((sum, call) => sum + anthropicPrice(call.model, call.at, call), 0);
    assert.ok(Math.abs((totals.cost ?? 0) - expected) < 1e-9, `${totals.cost} vs ${expected}`);
    const problems = ledger.allProblems();
    const cut = problems.filter((problem) => problem.file.startsWith('~/.claude/projects/'));
    assert.deepEqual(
      cut.map((problem) => [problem.file.endsWith(`${CLAUDE_APP_SESSION}.jsonl`), problem.line]),
      [[true, 7]],
    );
    assert.match(cut[0].message, /not valid JSON/);
  });

  test('each call keeps its agent, its project relative to home and its session; the message text is not kept', async () => {
    const { ledger } = await readHome();
    const bySession = groupUsage(
      [...ledger.buckets.values()].filter((bucket) => bucket.agent === 'claude-code'),
      ['project', 'session'],
    );
    assert.deepEqual(
      bySession.map((group) => [group.keys.project, group.keys.session, group.calls]),
      [
        ['~/src/app', CLAUDE_APP_SESSION, 4],
        ['~/src/web', '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', 1],
      ],
    );
    assert.ok(!JSON.stringify([...ledger.buckets.values()]).includes('tests pass'));
  });

  test('a session still being written: the unfinished last line waits for the next read', async () => {
    const ledger = new UsageLedger();
    const file: AgentFileToRead = { agent: 'claude-code', name: 'session.jsonl', context: { home: '/home/me' } };
    const line = JSON.stringify({ type: 'assistant', sessionId: 's', cwd: '/home/me/x', timestamp: '2026-11-20T10:00:00Z', requestId: 'r1', message: { id: 'm1', model: 'claude-sonnet-4-20250514', container: { id: 'c' }, usage: { input_tokens: 10, output_tokens: 5 } } });
    const state = await readAgentFile(file, chunks(line.slice(0, 40)), ledger, undefined, { complete: false });
    assert.equal(ledger.records, 0);
    assert.equal(state.offset, 0);
    assert.equal(ledger.problems.length, 0);
    const next = await readAgentFile(file, chunks(line + '\n'), ledger, state, { complete: false });
    assert.equal(ledger.records, 1);
    assert.equal(next.line, 2);
    assert.equal([...ledger.buckets.values()][0].project, '~/x');
    // A part that happens to end in '}' (the message before its usage) is not taken for a whole line.
    const second = line.replace(/m1/g, 'm2').replace('r1', 'r2');
    const cut = second.indexOf('},"usage"') + 1;
    const waiting = await readAgentFile(file, chunks(second.slice(0, cut)), ledger, next, { complete: false });
    assert.equal(waiting.offset, next.offset);
    await readAgentFile(file, chunks(second + '\n'), ledger, waiting, { complete: false });
    assert.equal(ledger.records, 2);
    assert.equal(ledger.problems.length, 0);
  });
});

describe('Codex rollouts', () => {
  test('count last_token_usage once per call, skip a counter written again unchanged, and price at the turn_context model', async () => {
    const { ledger } = await readHome();
    const codex = [...ledger.buckets.values()].filter((bucket) => bucket.agent === 'codex');
    const calls = codexCalls(NOW);
    const totals = totalUsage(codex);
    assert.equal(totals.calls, 3);
    assert.equal(totals.inputTokens, calls.reduce((sum, call) => sum + call.input, 0));
    assert.equal(totals.cachedInputTokens, calls.reduce((sum, call) => sum + call.cached, 0));
    // Reasoning is part of output_tokens already.
    assert.equal(totals.outputTokens, calls.reduce((sum, call) => sum + call.output, 0));
    // Codex's two re-emitted counters, and Claude Code's response written twice.
    assert.equal(ledger.duplicates, 3);
    const byModel = groupUsage(codex, ['model', 'session']);
    assert.deepEqual(
      byModel.map((group) => [group.keys.model, group.keys.session, group.calls]),
      [
        ['gpt-5', '0198f0e1-d2c3-7b4a-9e8d-7c6b5a4f3e2d', 1],
        ['gpt-5-codex', CODEX_SESSION, 2],
      ],
    );
    assert.equal(codex.find((bucket) => bucket.session === CODEX_SESSION)?.project, '~/src/api');
  });

  test('a rollout without a turn_context is priced as gpt-5 and says so once', async () => {
    const { ledger } = await readHome();
    const notes = ledger.allProblems().filter((problem) => problem.file.includes('.codex/sessions/'));
    assert.equal(notes.length, 1);
    assert.match(notes[0].message, /no turn_context names the model.*gpt-5/);
    assert.equal(notes[0].line, 2);
  });

  test('without last_token_usage, a call is the difference of the running totals', async () => {
    const ledger = new UsageLedger();
    const file: AgentFileToRead = { agent: 'codex', name: 'rollout.jsonl', context: { home: '/h', session: 'fallback' } };
    const count = (time: string, input: number, cached: number, output: number) =>
      JSON.stringify({ timestamp: time, type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: { input_tokens: input, cached_input_tokens: cached, output_tokens: output, reasoning_output_tokens: 0, total_tokens: input + output } } } });
    await readAgentFile(
      file,
      chunks([JSON.stringify({ timestamp: '2026-11-20T10:00:00Z', type: 'turn_context', payload: { model: 'gpt-5-codex' } }), count('2026-11-20T10:01:00Z', 1000, 200, 50), count('2026-11-20T10:02:00Z', 1000, 200, 50), count('2026-11-20T10:03:00Z', 2500, 1200, 80)].join('\n') + '\n'),
      ledger,
    );
    const totals = totalUsage(ledger.buckets.values());
    assert.deepEqual([totals.calls, totals.inputTokens, totals.cachedInputTokens, totals.outputTokens], [2, 2500, 1200, 80]);
    assert.equal([...ledger.buckets.values()][0].session, 'fallback');
  });
});

describe('Gemini CLI sessions', () => {
  const tokens = { input: 15_327, output: 23, cached: 11_526, thoughts: 919, tool: 7, total: 16_276 };
  const session = (messages: unknown[]) => JSON.stringify({ sessionId: 'gem-1', projectHash: 'a1b2c3', startTime: '2026-11-20T10:00:00.000Z', lastUpdated: '2026-11-20T10:05:00.000Z', messages }, null, 2);
  const user = { id: 'u1', timestamp: '2026-11-20T10:00:01.000Z', type: 'user', content: 'explain this file' };
  const answer = { id: 'g1', timestamp: '2026-11-20T10:00:09.000Z', type: 'gemini', content: 'It parses…', thoughts: [], tokens, model: 'gemini-2.5-pro' };

  test('a session document counts each Gemini message with tokens once, thoughts as output and tool prompts as input, however often it is rewritten', async () => {
    const geminiHome = await mkdtemp(join(tmpdir(), 'prompt-budget-gemini-'));
    try {
      const file = join(geminiHome, '.gemini/tmp/a1b2c3/chats/session-2026-11-20T10-00-gem1.json');
      await mkdir(join(geminiHome, '.gemini/tmp/a1b2c3/chats'), { recursive: true });
      await writeFile(file, session([user, answer, { id: 'g2', timestamp: '2026-11-20T10:00:10.000Z', type: 'gemini', content: '', tokens: null }]));
      const ledger = new UsageLedger();
      await collectAgentUsage(['gemini-cli'], { env: {}, home: geminiHome }, listFilesBelow, open, { ledger });
      // Gemini CLI rewrites the document with the next call: read again, only the new call counts.
      await writeFile(file, session([user, answer, { ...answer, id: 'g2', timestamp: '2026-11-20T10:01:00.000Z', tokens: { ...tokens, cached: 0 } }]));
      await collectAgentUsage(['gemini-cli'], { env: {}, home: geminiHome }, listFilesBelow, open, { ledger });
      const totals = totalUsage(ledger.buckets.values());
      assert.deepEqual([totals.calls, totals.inputTokens, totals.cachedInputTokens, totals.outputTokens], [2, 2 * 15_334, 11_526, 2 * 942]);
      const price = calcPrice({ input_tokens: 15_334, cache_read_tokens: 11_526, output_tokens: 942 }, 'gemini-2.5-pro', { providerId: 'google', timestamp: new Date('2026-11-20T10:00:09Z') });
      const second = calcPrice({ input_tokens: 15_334, output_tokens: 942 }, 'gemini-2.5-pro', { providerId: 'google', timestamp: new Date('2026-11-20T10:01:00Z') });
      assert.ok(price && second);
      assert.ok(Math.abs((totals.cost ?? 0) - price.total_price - second.total_price) < 1e-9);
      const bucket = [...ledger.buckets.values()][0];
      assert.deepEqual([bucket.agent, bucket.session, bucket.project], ['gemini-cli', 'gem-1', 'a1b2c3']);
    } finally {
      await rm(geminiHome, { recursive: true, force: true });
    }
  });

  test('a JSON Lines session counts a message when its tokens are written, once', async () => {
    const ledger = new UsageLedger();
    const file: AgentFileToRead = { agent: 'gemini-cli', name: 'session.jsonl', context: { home: '/h', session: 'from-name' } };
    const lines = [JSON.stringify({ sessionId: 'gem-2', projectHash: 'p', startTime: '2026-11-20T10:00:00.000Z' }), JSON.stringify(user), JSON.stringify({ ...answer, tokens: undefined }), JSON.stringify(answer), JSON.stringify(answer)];
    await readAgentFile(file, chunks(lines.join('\n') + '\n'), ledger);
    const totals = totalUsage(ledger.buckets.values());
    assert.deepEqual([totals.calls, totals.outputTokens], [1, 942]);
    assert.equal([...ledger.buckets.values()][0].session, 'gem-2');
  });
});

describe('finding the agents’ data', () => {
  test('by default: ~/.config/claude and ~/.claude for Claude Code, ~/.codex for Codex, ~/.gemini/tmp for Gemini CLI', () => {
    const folders = agentFolders(['claude-code', 'codex', 'gemini-cli'], { env: {}, home: '/home/me' });
    assert.deepEqual(
      folders.map((folder) => folder.folder),
      ['/home/me/.config/claude/projects', '/home/me/.claude/projects', '/home/me/.codex/sessions', '/home/me/.gemini/tmp'],
    );
    assert.equal(agentFolders(['claude-code'], { env: { XDG_CONFIG_HOME: '/xdg' }, home: '/home/me' })[0].folder, '/xdg/claude/projects');
  });

  test('CLAUDE_CONFIG_DIR and CODEX_HOME replace the defaults, comma-separated for several folders, each once', () => {
    const folders = agentFolders(['claude-code', 'codex'], { env: { CLAUDE_CONFIG_DIR: '/a/claude, ,/b/claude/,/a/claude', CODEX_HOME: '/c/codex' }, home: '/home/me' });
    assert.deepEqual(
      folders.map((folder) => [folder.folder, folder.from]),
      [
        ['/a/claude/projects', 'CLAUDE_CONFIG_DIR'],
        ['/b/claude/projects', 'CLAUDE_CONFIG_DIR'],
        ['/c/codex/sessions', 'CODEX_HOME'],
      ],
    );
  });

  test('reads both default Claude folders; folders that are not there are noted, not errors', async () => {
    const found = await discoverAgentFiles(['claude-code', 'codex'], { env: {}, home }, listFilesBelow);
    assert.equal(found.files.filter((file) => file.agent === 'claude-code').length, 2);
    assert.equal(found.files.filter((file) => file.agent === 'codex').length, 2);
    const none = await discoverAgentFiles(['claude-code', 'codex'], { env: { CLAUDE_CONFIG_DIR: join(home, 'nowhere'), CODEX_HOME: join(home, 'nothing') }, home }, listFilesBelow);
    assert.deepEqual(none.files, []);
    assert.deepEqual(
      none.folders.map((folder) => folder.found),
      [false, false],
    );
    const one = await discoverAgentFiles(['claude-code'], { env: { CLAUDE_CONFIG_DIR: join(home, '.config/claude') }, home }, listFilesBelow);
    assert.equal(one.files.length, 1);
  });
});

describe('5-hour blocks', () => {
  const bucket = (first: number, last = first, cost = 1, agent = 'claude-code'): UsageBucket => ({
    day: new Date(first).toISOString().slice(0, 10),
    provider: 'anthropic',
    model: 'm',
    tags: [],
    records: 1,
    calls: 1,
    inputTokens: 100,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 10,
    cost,
    unpricedRecords: 0,
    recordCostRecords: 0,
    agent,
    hour: Math.floor(first / HOUR) * HOUR,
    first,
    last,
  });
  const at = (text: string) => Date.parse(text);

  test('a block starts on the hour of the first call and lasts 5 hours; the next starts at the first call after it ended', () => {
    const blocks = usageBlocks([bucket(at('2026-11-20T09:47:00Z')), bucket(at('2026-11-20T13:59:00Z')), bucket(at('2026-11-20T14:00:00Z')), bucket(at('2026-11-20T14:30:00Z'))], at('2026-11-20T23:00:00Z'));
    assert.deepEqual(
      blocks.map((block) => [new Date(block.start).toISOString(), new Date(block.end).toISOString(), block.calls]),
      [
        ['2026-11-20T09:00:00.000Z', '2026-11-20T14:00:00.000Z', 2],
        ['2026-11-20T14:00:00.000Z', '2026-11-20T19:00:00.000Z', 2],
      ],
    );
  });

  test('a gap of more than 5 hours ends a block early, and each agent has its own blocks', () => {
    const blocks = usageBlocks([bucket(at('2026-11-20T01:10:00Z')), bucket(at('2026-11-20T03:00:00Z'), at('2026-11-20T03:20:00Z')), bucket(at('2026-11-20T08:21:00Z')), bucket(at('2026-11-20T02:00:00Z'), undefined, 1, 'codex')], at('2026-11-20T09:00:00Z'));
    assert.deepEqual(
      blocks.map((block) => [block.agent, new Date(block.start).toISOString().slice(11, 16), block.active]),
      [
        ['claude-code', '01:00', false],
        ['codex', '02:00', false],
        ['claude-code', '08:00', true],
      ],
    );
  });

  test('the active block’s burn rate runs from its first to its last call, projected to its end', () => {
    const now = at('2026-11-20T11:00:00Z');
    const [block] = usageBlocks([bucket(at('2026-11-20T10:00:00Z'), at('2026-11-20T10:00:00Z'), 2), bucket(at('2026-11-20T10:30:00Z'), at('2026-11-20T10:30:00Z'), 1)], now);
    const projection = projectBlock(block, now);
    assert.ok(projection);
    assert.equal(projection.costPerHour, 6);
    assert.equal(projection.remainingMinutes, 240);
    assert.equal(projection.projectedCost, 3 + 6 * 4);
  });

  test('--by block groups the fixture’s calls into an ended and an active block per agent', async () => {
    const { ledger } = await readHome();
    const groups = groupUsage(ledger.buckets.values(), ['block']);
    const claudeFirst = new Date(Math.floor((NOW - 7 * HOUR) / HOUR) * HOUR).toISOString();
    assert.deepEqual(
      groups.map((group) => [group.keys.block, group.calls]),
      [
        [`${new Date(Math.floor((NOW - 26 * HOUR) / HOUR) * HOUR).toISOString().slice(0, 16).replace('T', ' ')}Z codex`, 1],
        [`${claudeFirst.slice(0, 16).replace('T', ' ')}Z claude-code`, 2],
        [`${new Date(Math.floor((NOW - 50 * MINUTE) / HOUR) * HOUR).toISOString().slice(0, 16).replace('T', ' ')}Z claude-code`, 3],
        [`${new Date(Math.floor((NOW - 40 * MINUTE) / HOUR) * HOUR).toISOString().slice(0, 16).replace('T', ' ')}Z codex`, 2],
      ],
    );
  });
});

describe('quotas over agents’ usage', () => {
  test('an agents filter and period: block hold the active block of those agents’ calls', async () => {
    const { ledger } = await readHome();
    const statuses = evaluateQuotas(
      ledger.buckets.values(),
      [
        { name: 'Claude block', period: 'block', agents: ['claude-code'], maxTokens: 50_000, warnAt: 0.8 },
        { name: 'Codex today', period: 'day', agents: ['codex'], maxCalls: 10, warnAt: 0.8 },
      ],
      NOW,
    );
    const [side, opus, web] = claudeCalls(NOW).slice(2);
    const blockTokens = [side, opus, web].reduce((sum, call) => sum + call.input + call.cacheWrite + call.cacheRead + call.output, 0);
    assert.equal(statuses[0].used, blockTokens);
    assert.equal(statuses[0].status, 'over');
    assert.equal(statuses[0].periodStart, new Date(Math.floor((NOW - 50 * MINUTE) / HOUR) * HOUR).toISOString());
    assert.ok(statuses[0].forecast > blockTokens);
    assert.equal(statuses[1].used, 2);
  });

  test('prompt-budget.yaml takes usage.agents, a quota’s agents and period: block, and names an unknown agent', () => {
    const parsed = parseBudgetConfig('prompt-budget.yaml', ['version: 1', 'usage:', '  agents: [claude-code, codex]', '  quotas:', '    - name: Max block', '      period: block', '      agents: [claude-code]', '      maxCost: 40', ''].join('\n'));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.config?.usage?.agents, ['claude-code', 'codex']);
    assert.equal(parsed.config?.usage?.quotas[0].period, 'block');
    assert.deepEqual(parsed.config?.usage?.quotas[0].agents, ['claude-code']);
    const wrong = parseBudgetConfig('prompt-budget.yaml', ['version: 1', 'usage:', '  agents: [claude, codex]', ''].join('\n'));
    assert.equal(wrong.problems.length, 1);
    assert.equal(wrong.problems[0].line, 3);
    assert.match(wrong.problems[0].message, /'agents' takes claude-code, codex, gemini-cli, not 'claude'/);
  });
});

describe('prompt-budget usage --agents', () => {
  // The CLI evaluates blocks at the real time: a home whose last calls were minutes ago.
  let liveHome: string;
  before(async () => {
    liveHome = await mkdtemp(join(tmpdir(), 'prompt-budget-agents-live-'));
    await writeAgentHome(liveHome, { now: Date.now() });
  });
  after(async () => {
    await rm(liveHome, { recursive: true, force: true });
  });

  async function cli(args: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { cwd: liveHome, stdout: (text) => out.push(text), stderr: (text) => err.push(text), readFile: () => Promise.reject(Object.assign(new Error('none'), { code: 'ENOENT' })), listFiles: listFilesBelow, env, home: liveHome });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }

  test('groups by agent, project and session, with the whole input and the cost', async () => {
    const { code, stdout } = await cli(['usage', '--agents', '--by', 'agent,project', '--format', 'json']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.deepEqual(
      report.groups.map((group: Record<string, unknown>) => [group.agent, group.project, group.calls]),
      [
        ['claude-code', '~/src/app', 4],
        ['claude-code', '~/src/web', 1],
        ['codex', '~/src/api', 3],
      ],
    );
    assert.equal(report.records, 8);
  });

  test('--by block prints the active blocks with time left and projection', async () => {
    const { code, stdout } = await cli(['usage', '--agents', '--by', 'block']);
    assert.equal(code, 0);
    assert.match(stdout, /Active block .* claude-code \(to \d\d:00Z, \dh \d\dm left\): \$[\d.]+ so far, [\d,]+ tokens; \$[\d.]+\/h, projected \$[\d.]+/);
  });

  test('prompt-budget check holds the agents to a period: block quota in prompt-budget.yaml', async () => {
    const project = join(liveHome, 'project');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'prompt-budget.yaml'), ['version: 1', 'usage:', '  agents: [claude-code, codex]', '  quotas:', '    - name: Claude block', '      period: block', '      agents: [claude-code]', '      maxCalls: 2', ''].join('\n'));
    const out: string[] = [];
    const code = await runCli(['check', project], { cwd: liveHome, stdout: (text) => out.push(text), stderr: (text) => out.push(text), readFile: (path) => readFile(path), listFiles: listFilesBelow, env: {}, home: liveHome });
    assert.equal(code, 1);
    assert.match(out.join('\n'), /prompt-budget\.yaml:8:\d+: error: Quota 'Claude block' is over: 3 calls of 2 calls \(150%\) this block from \d{4}-\d\d-\d\dT\d\d:00:00\.000Z/);
  });

  test('says where it looked when an agent has no data, and fails when none has', async () => {
    const { code, stderr } = await cli(['usage', '--agents'], { CLAUDE_CONFIG_DIR: join(liveHome, 'none'), CODEX_HOME: join(liveHome, 'none2') });
    assert.equal(code, 2);
    assert.match(stderr, /no claude-code data found \(looked in .*none\/projects\)/);
    assert.match(stderr, /no codex data found \(looked in .*none2\/sessions\)/);
  });
});
