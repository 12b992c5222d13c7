// A home folder with Claude Code and Codex CLI data written the way the agents write it (field names,
// order and nesting as in their session files; prompts and outputs shortened), for the unit tests,
// the editor test and the comparison with ccusage. Times are placed relative to `now`.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const MINUTE = 60_000;

export interface AgentHomeOptions {
  /** The calls are placed before this time: an ended block 7 hours earlier and an active one. */
  now: number;
  /** Write a line cut off mid-write in the middle of a Claude Code session (default true). */
  cutOffLine?: boolean;
  /** Write Codex's re-emitted token_count lines (default true). */
  codexRepeats?: boolean;
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

interface ClaudeCall {
  at: number;
  id: string;
  requestId: string;
  model: string;
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
  sidechain?: boolean;
  text?: string;
}

function claudeAssistantLine(call: ClaudeCall, sessionId: string, cwd: string, uuid: string, parentUuid: string): string {
  return JSON.stringify({
    parentUuid,
    isSidechain: call.sidechain ?? false,
    userType: 'external',
    cwd,
    sessionId,
    version: '1.0.98',
    gitBranch: 'main',
    message: {
      id: call.id,
      type: 'message',
      role: 'assistant',
      model: call.model,
      content: [{ type: 'text', text: call.text ?? 'Done: the tests pass.' }],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: call.input,
        cache_creation_input_tokens: call.cacheWrite,
        cache_read_input_tokens: call.cacheRead,
        cache_creation: { ephemeral_5m_input_tokens: call.cacheWrite, ephemeral_1h_input_tokens: 0 },
        output_tokens: call.output,
        service_tier: 'standard',
      },
    },
    requestId: call.requestId,
    type: 'assistant',
    uuid,
    timestamp: iso(call.at),
  });
}

function claudeUserLine(text: string, sessionId: string, cwd: string, uuid: string, at: number): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd,
    sessionId,
    version: '1.0.98',
    gitBranch: 'main',
    type: 'user',
    message: { role: 'user', content: text },
    uuid,
    timestamp: iso(at),
  });
}

export const CLAUDE_APP_SESSION = '5c0f6a8e-1b2c-4d3e-8f90-a1b2c3d4e5f6';
export const CLAUDE_WEB_SESSION = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
export const CODEX_SESSION = '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
export const CODEX_OLD_SESSION = '0198f0e1-d2c3-7b4a-9e8d-7c6b5a4f3e2d';

/** The Claude Code calls, as counted once each. */
export function claudeCalls(now: number): ClaudeCall[] {
  // Block 1 (ended): two calls 7 hours ago; block 2 (active): calls from 50 to 10 minutes ago.
  const start = now - 7 * 60 * MINUTE;
  return [
    { at: start, id: 'msg_01AppFirst', requestId: 'req_011AppFirst', model: 'claude-sonnet-4-20250514', input: 4, cacheWrite: 12_000, cacheRead: 0, output: 310 },
    { at: start + 3 * MINUTE, id: 'msg_01AppSecond', requestId: 'req_011AppSecond', model: 'claude-sonnet-4-20250514', input: 6, cacheWrite: 800, cacheRead: 12_000, output: 950, text: 'First part of the answer.' },
    { at: now - 50 * MINUTE, id: 'msg_01AppSide', requestId: 'req_011AppSide', model: 'claude-sonnet-4-20250514', input: 1_200, cacheWrite: 0, cacheRead: 0, output: 420, sidechain: true },
    { at: now - 30 * MINUTE, id: 'msg_01AppOpus', requestId: 'req_011AppOpus', model: 'claude-opus-4-1-20250805', input: 10, cacheWrite: 2_000, cacheRead: 40_000, output: 1_500 },
    { at: now - 10 * MINUTE, id: 'msg_01WebOnly', requestId: 'req_011WebOnly', model: 'claude-sonnet-4-20250514', input: 3, cacheWrite: 500, cacheRead: 9_000, output: 120 },
  ];
}

/** The Codex calls (last_token_usage of each real call). */
export function codexCalls(now: number) {
  return [
    { at: now - 40 * MINUTE, model: 'gpt-5-codex', input: 8_000, cached: 3_000, output: 600, reasoning: 256 },
    { at: now - 20 * MINUTE, model: 'gpt-5-codex', input: 12_500, cached: 7_900, output: 300, reasoning: 128 },
    // The rollout without a turn_context (Codex before 0.30 wrote none): assumed gpt-5.
    { at: now - 26 * 60 * MINUTE, model: undefined, input: 5_000, cached: 0, output: 700, reasoning: 0 },
  ];
}

/** Writes the home folder under `home`; returns the files written. */
export async function writeAgentHome(home: string, options: AgentHomeOptions): Promise<string[]> {
  const { now } = options;
  const written: string[] = [];
  const write = async (relative: string, lines: string[]) => {
    const path = join(home, relative);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, lines.join('\n') + '\n');
    written.push(path);
  };
  const [first, second, side, opus, web] = claudeCalls(now);
  const appCwd = join(home, 'src/app');
  const app = [
    claudeUserLine('add a health check', CLAUDE_APP_SESSION, appCwd, 'u-1', first.at - 2_000),
    claudeAssistantLine(first, CLAUDE_APP_SESSION, appCwd, 'a-1', 'u-1'),
    // One response with two content blocks: written twice with the same id, request id and usage.
    claudeAssistantLine(second, CLAUDE_APP_SESSION, appCwd, 'a-2', 'a-1'),
    claudeAssistantLine({ ...second, text: 'Second part of the answer.' }, CLAUDE_APP_SESSION, appCwd, 'a-3', 'a-2'),
    JSON.stringify({ type: 'summary', summary: 'Health check endpoint', leafUuid: 'a-3' }),
    claudeAssistantLine(side, CLAUDE_APP_SESSION, appCwd, 'a-4', 'a-3'),
  ];
  if (options.cutOffLine ?? true) app.push(claudeAssistantLine(opus, CLAUDE_APP_SESSION, appCwd, 'a-x', 'a-4').slice(0, 180));
  app.push(claudeAssistantLine(opus, CLAUDE_APP_SESSION, appCwd, 'a-5', 'a-4'));
  // Claude Code's own placeholder after an interrupted turn: no API call.
  app.push(
    JSON.stringify({
      parentUuid: 'a-5',
      isSidechain: false,
      cwd: appCwd,
      sessionId: CLAUDE_APP_SESSION,
      type: 'assistant',
      message: { id: 'msg_synthetic', type: 'message', role: 'assistant', model: '<synthetic>', content: [{ type: 'text', text: 'No response requested.' }], usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
      uuid: 'a-6',
      timestamp: iso(opus.at + 1_000),
    }),
  );
  await write(`.claude/projects/-${appCwd.replace(/^\//, '').replace(/\//g, '-')}/${CLAUDE_APP_SESSION}.jsonl`, app);
  const webCwd = join(home, 'src/web');
  await write(`.config/claude/projects/-${webCwd.replace(/^\//, '').replace(/\//g, '-')}/${CLAUDE_WEB_SESSION}.jsonl`, [
    claudeUserLine('fix the header', CLAUDE_WEB_SESSION, webCwd, 'w-1', web.at - 2_000),
    claudeAssistantLine(web, CLAUDE_WEB_SESSION, webCwd, 'w-2', 'w-1'),
  ]);

  const [c1, c2, old] = codexCalls(now);
  const apiCwd = join(home, 'src/api');
  const sessionStart = c1.at - 60_000;
  let total = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };
  const tokenCount = (call: { at: number; input: number; cached: number; output: number; reasoning: number }, repeatAt?: number) => {
    const last = { input_tokens: call.input, cached_input_tokens: call.cached, output_tokens: call.output, reasoning_output_tokens: call.reasoning, total_tokens: call.input + call.output };
    if (repeatAt === undefined) {
      total = {
        input_tokens: total.input_tokens + last.input_tokens,
        cached_input_tokens: total.cached_input_tokens + last.cached_input_tokens,
        output_tokens: total.output_tokens + last.output_tokens,
        reasoning_output_tokens: total.reasoning_output_tokens + last.reasoning_output_tokens,
        total_tokens: total.total_tokens + last.total_tokens,
      };
    }
    return JSON.stringify({
      timestamp: iso(repeatAt ?? call.at),
      type: 'event_msg',
      payload: { type: 'token_count', info: { total_token_usage: { ...total }, last_token_usage: last, model_context_window: 272_000 }, rate_limits: { primary: { used_percent: 12, window_minutes: 300, resets_in_seconds: 9000 } } },
    });
  };
  const rollout = [
    JSON.stringify({ timestamp: iso(sessionStart), type: 'session_meta', payload: { id: CODEX_SESSION, timestamp: iso(sessionStart), cwd: apiCwd, originator: 'codex_cli_rs', cli_version: '0.42.0', instructions: null, git: { branch: 'main' } } }),
    JSON.stringify({ timestamp: iso(sessionStart + 1_000), type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'rename the handler' }] } }),
    JSON.stringify({ timestamp: iso(sessionStart + 1_000), type: 'turn_context', payload: { cwd: apiCwd, approval_policy: 'on-request', sandbox_policy: { mode: 'workspace-write' }, model: c1.model, effort: 'medium', summary: 'auto' } }),
    JSON.stringify({ timestamp: iso(sessionStart + 2_000), type: 'event_msg', payload: { type: 'token_count', info: null, rate_limits: { primary: { used_percent: 11, window_minutes: 300 } } } }),
    tokenCount(c1),
  ];
  if (options.codexRepeats ?? true) rollout.push(tokenCount(c1, c1.at + 4_000));
  rollout.push(JSON.stringify({ timestamp: iso(c2.at - 1_000), type: 'turn_context', payload: { cwd: apiCwd, approval_policy: 'on-request', sandbox_policy: { mode: 'workspace-write' }, model: c2.model, effort: 'medium', summary: 'auto' } }));
  rollout.push(tokenCount(c2));
  if (options.codexRepeats ?? true) rollout.push(tokenCount(c2, c2.at + 2_000));
  const day = iso(sessionStart).slice(0, 10).split('-');
  await write(`.codex/sessions/${day.join('/')}/rollout-${iso(sessionStart).slice(0, 19).replace(/:/g, '-')}-${CODEX_SESSION}.jsonl`, rollout);

  total = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };
  const oldStart = old.at - 30_000;
  const oldDay = iso(oldStart).slice(0, 10).split('-');
  await write(`.codex/sessions/${oldDay.join('/')}/rollout-${iso(oldStart).slice(0, 19).replace(/:/g, '-')}-${CODEX_OLD_SESSION}.jsonl`, [
    JSON.stringify({ timestamp: iso(oldStart), type: 'session_meta', payload: { id: CODEX_OLD_SESSION, timestamp: iso(oldStart), cwd: join(home, 'src/api'), originator: 'codex_cli_rs', cli_version: '0.20.0' } }),
    tokenCount(old),
  ]);
  return written;
}
