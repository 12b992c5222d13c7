// Reads one coding agent's data file into a ledger, from where the last read stopped: a session file
// grows while the agent runs, and only the appended bytes are read again. Lines are streamed (see
// readLines), so a file of any size is read in bounded memory; most lines (prompts, tool output)
// are not parsed at all, only checked to be whole.
import { readLineBatches } from '../readLines';
import type { UsageLedger } from '../usageLedger';
import { isObject } from '../usageValues';
import type { AgentId } from './agentIds';
import type { AgentLineResult, AgentPathContext } from './agentLine';
import { claudeCodeLine } from './claudeCodeLine';
import { codexLine, type CodexState } from './codexLine';

/** Where a read stopped, and what the file's earlier lines said. */
export interface AgentFileState {
  /** Bytes consumed: the next read starts here. */
  offset: number;
  /** Number of the next line. */
  line: number;
  codex?: CodexState;
}

export interface AgentFileToRead {
  agent: AgentId;
  /** The name problems are reported under (e.g. `~/.claude/projects/app/1234.jsonl`). */
  name: string;
  /** The session and project the path implies, for lines that do not say. */
  context: AgentPathContext;
}

export interface ReadAgentOptions {
  /** When false (a session still being written), a last line without a line break is left for the next read. */
  complete?: boolean;
}

export const INITIAL_AGENT_FILE_STATE: AgentFileState = { offset: 0, line: 1 };

// Lines that can hold usage mention one of these; others are only checked to be whole JSON objects.
const CLAUDE_MARKER = '"usage"';
const CODEX_MARKERS = ['token_count', 'turn_context', 'session_meta'];

/** Reads `chunks` (the file from `state.offset` on) into `ledger`; returns where it stopped. */
export async function readAgentFile(file: AgentFileToRead, chunks: AsyncIterable<Uint8Array>, ledger: UsageLedger, state: AgentFileState = INITIAL_AGENT_FILE_STATE, options: ReadAgentOptions = {}): Promise<AgentFileState> {
  const complete = options.complete ?? true;
  const codex: CodexState = { ...state.codex };
  let offset = state.offset;
  let nextLine = state.line;
  reading: for await (const batch of readLineBatches(chunks, { startOffset: state.offset, firstLine: state.line })) {
    for (const line of batch) {
      // The agent may still be writing the last line: even a part that looks whole waits for its line break.
      if (!line.terminated && !complete) break reading;
      if (line.tooLong) {
        ledger.problem(file.name, line.line, 'line too long to be a session record; skipped');
      } else {
        const text = line.text.trim();
        // A whole line with no usage in it (a prompt, a tool result, a summary) is not parsed.
        const whole = text.startsWith('{') && text.endsWith('}');
        if (text !== '' && (!whole || mayHoldUsage(file.agent, text))) count(file, line.line, line.terminated, text, codex, ledger);
      }
      offset = line.end;
      nextLine = line.line + 1;
    }
  }
  return { offset, line: nextLine, codex: file.agent === 'codex' ? codex : undefined };
}

function mayHoldUsage(agent: AgentId, text: string): boolean {
  return agent === 'claude-code' ? text.includes(CLAUDE_MARKER) : CODEX_MARKERS.some((marker) => text.includes(marker));
}

/** Parses one line and counts its usage, or reports why it cannot be read. */
function count(file: AgentFileToRead, line: number, terminated: boolean, text: string, codex: CodexState, ledger: UsageLedger): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    ledger.problem(file.name, line, terminated ? 'not valid JSON (a line cut off or mangled); skipped' : 'the last line is cut off; skipped');
    return;
  }
  if (!isObject(value)) return;
  const result: AgentLineResult = file.agent === 'claude-code' ? claudeCodeLine(value, file.context) : codexLine(value, codex, file.context);
  if ('error' in result) ledger.problem(file.name, line, result.error);
  else if ('repeat' in result) {
    ledger.duplicates++;
    ledger.skipped++;
  } else if ('usage' in result) {
    if (result.note) ledger.note(file.name, line, result.note);
    ledger.addUsage(file.name, line, result.usage);
  }
}
