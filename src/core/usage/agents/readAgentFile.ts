// Reads one coding agent's data file into a ledger, from where the last read stopped: a session file
// grows while the agent runs, and only the appended bytes are read again. Lines are streamed (see
// readLines), so a file of any size is read in bounded memory; most lines (prompts, tool output)
// are not parsed at all, only checked to be whole. Gemini CLI's older session files are one JSON
// document rewritten as the session grows: they are read whole each time, and their messages'
// ids keep each call counted once.
import { readLineBatches } from '../readLines';
import type { UsageLedger } from '../usageLedger';
import { isObject } from '../usageValues';
import type { AgentId } from './agentIds';
import type { AgentLineResult, AgentFileFacts } from './agentLine';
import { claudeCodeLine } from './claudeCodeLine';
import { codexLine, type CodexState } from './codexLine';
import { geminiCliMessage, type GeminiState } from './geminiCliMessage';

/** Where a read stopped, and what the file's earlier lines said. */
export interface AgentFileState {
  /** Bytes consumed: the next read starts here. */
  offset: number;
  /** Number of the next line. */
  line: number;
  codex?: CodexState;
  gemini?: GeminiState;
  /** A whole JSON document: read again from the start when it changes. */
  document?: boolean;
}

export interface AgentFileToRead {
  agent: AgentId;
  /** The name problems are reported under (e.g. `~/.claude/projects/app/1234.jsonl`). */
  name: string;
  /** The session and project the path implies, for lines that do not say. */
  context: AgentFileFacts;
  /** One JSON document (Gemini CLI's `.json` sessions) rather than JSON Lines. */
  document?: boolean;
}

export interface ReadAgentOptions {
  /** When false (a session still being written), a last line without a line break is left for the next read. */
  complete?: boolean;
}

export const INITIAL_AGENT_FILE_STATE: AgentFileState = { offset: 0, line: 1 };

// Lines that can hold usage mention one of these; others are only checked to be whole JSON objects.
const CLAUDE_MARKER = '"usage"';
const CODEX_MARKERS = ['token_count', 'turn_context', 'session_meta'];
const GEMINI_MARKERS = ['"tokens"', '"sessionId"'];
/** Largest session document read whole. */
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

/** Reads `chunks` (the file from `state.offset` on) into `ledger`; returns where it stopped. */
export async function readAgentFile(file: AgentFileToRead, chunks: AsyncIterable<Uint8Array>, ledger: UsageLedger, state: AgentFileState = INITIAL_AGENT_FILE_STATE, options: ReadAgentOptions = {}): Promise<AgentFileState> {
  const complete = options.complete ?? true;
  if (file.document) return readDocument(file, chunks, ledger, complete);
  const codex: CodexState = { ...state.codex };
  const gemini: GeminiState = { ...state.gemini };
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
        if (text !== '' && (!whole || mayHoldUsage(file.agent, text))) count(file, line.line, line.terminated, text, { codex, gemini }, ledger);
      }
      offset = line.end;
      nextLine = line.line + 1;
    }
  }
  return { offset, line: nextLine, codex: file.agent === 'codex' ? codex : undefined, gemini: file.agent === 'gemini-cli' ? gemini : undefined };
}

/** A whole session document: its messages, each counted once by its id however often the file is read. */
async function readDocument(file: AgentFileToRead, chunks: AsyncIterable<Uint8Array>, ledger: UsageLedger, complete: boolean): Promise<AgentFileState> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size <= MAX_DOCUMENT_BYTES) parts.push(chunk);
  }
  if (size > MAX_DOCUMENT_BYTES) {
    ledger.problem(file.name, 1, `a session document over ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB; skipped`);
    return { offset: size, line: 1, document: true };
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    // Gemini CLI may be rewriting it: read it again when it next changes.
    if (!complete) return { offset: 0, line: 1, document: true };
    ledger.problem(file.name, 1, 'not valid JSON (a session document cut off or mangled); skipped');
    return { offset: size, line: 1, document: true };
  }
  const gemini: GeminiState = {};
  if (isObject(value)) {
    const messages = Array.isArray(value.messages) ? value.messages : [];
    geminiCliMessage(value, gemini, file.context);
    for (const message of messages) if (isObject(message)) record(file, 1, geminiCliMessage(message, gemini, file.context), ledger);
  }
  return { offset: size, line: 1, document: true };
}

function mayHoldUsage(agent: AgentId, text: string): boolean {
  if (agent === 'claude-code') return text.includes(CLAUDE_MARKER);
  return (agent === 'codex' ? CODEX_MARKERS : GEMINI_MARKERS).some((marker) => text.includes(marker));
}

/** Parses one line and counts its usage, or reports why it cannot be read. */
function count(file: AgentFileToRead, line: number, terminated: boolean, text: string, states: { codex: CodexState; gemini: GeminiState }, ledger: UsageLedger): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    ledger.problem(file.name, line, terminated ? 'not valid JSON (a line cut off or mangled); skipped' : 'the last line is cut off; skipped');
    return;
  }
  if (!isObject(value)) return;
  const result: AgentLineResult =
    file.agent === 'claude-code' ? claudeCodeLine(value, file.context) : file.agent === 'codex' ? codexLine(value, states.codex, file.context) : geminiCliMessage(value, states.gemini, file.context);
  record(file, line, result, ledger);
}

/** Adds a line's usage to the ledger, or its problem. */
function record(file: AgentFileToRead, line: number, result: AgentLineResult, ledger: UsageLedger): void {
  if ('error' in result) ledger.problem(file.name, line, result.error);
  else if ('repeat' in result) {
    ledger.duplicates++;
    ledger.skipped++;
  } else if ('usage' in result) {
    if (result.note) ledger.note(file.name, line, result.note);
    ledger.addUsage(file.name, line, result.usage);
  }
}
