// Reads one usage log (JSONL, a JSON document, or CSV) from a stream of bytes into a ledger. The
// returned state lets the next read start where this one stopped, so a growing log is read only
// from the bytes appended since. Bad input never stops a read: each line that cannot be used is a
// problem at its line, and the lines after it are still read.
import { CsvRecordParser } from './csvFields';
import { readLineBatches, type StreamLine } from './readLines';
import type { UsageLedger } from './usageLedger';

/** Where a read stopped, and what it learnt about the file. */
export interface UsageFileState {
  /** Bytes consumed: the next read starts here. */
  offset: number;
  /** Number of the next line. */
  line: number;
  /** How the file is read; 'json' documents cannot be read in parts. */
  kind?: 'jsonl' | 'json' | 'csv';
  /** A CSV file's header, lowercased. */
  header?: string[];
}

export interface ReadUsageOptions {
  /** When false (a log still being written), a last line without a line break is left for the next read. */
  complete?: boolean;
  /** Largest JSON document read whole (JSONL has no limit). */
  maxDocumentBytes?: number;
}

export const INITIAL_USAGE_FILE_STATE: UsageFileState = { offset: 0, line: 1 };

/** A quoted CSV field still open after this many lines (or characters) is taken for a stray quote. */
export const MAX_CSV_RECORD_LINES = 1000;
export const MAX_CSV_RECORD_CHARS = 1024 * 1024;

/** Reads `chunks` (the file from `state.offset` on) into `ledger`; returns where it stopped. */
export async function readUsageFile(
  file: string,
  chunks: AsyncIterable<Uint8Array>,
  ledger: UsageLedger,
  state: UsageFileState = INITIAL_USAGE_FILE_STATE,
  options: ReadUsageOptions = {},
): Promise<UsageFileState> {
  const complete = options.complete ?? true;
  const maxDocument = options.maxDocumentBytes ?? 256 * 1024 * 1024;
  let kind = state.kind ?? (/\.csv$/i.test(file) ? 'csv' : undefined);
  let header = state.header;
  let offset = state.offset;
  let nextLine = state.line;
  const commit = (line: StreamLine) => {
    offset = line.end;
    nextLine = line.line + 1;
  };

  if (state.offset === 0) {
    const sniffed = await sniffStart(chunks);
    if (sniffed.notText) {
      ledger.problem(file, 1, sniffed.notText);
      return { ...INITIAL_USAGE_FILE_STATE };
    }
    chunks = sniffed.chunks;
  }

  // --- CSV: rows of a header's columns; a stray quote costs its own row, never the rows after it.
  const csv = new CsvRecordParser();
  let csvOpen: StreamLine[] = [];
  const csvQueue: StreamLine[] = [];
  /** Gives up the open record: its first line is reported, the lines after it are read again as rows. */
  const resynchronise = (message: string) => {
    const [first, ...rest] = csvOpen;
    csvOpen = [];
    csv.reset();
    ledger.problem(file, first.line, message);
    commit(first);
    csvQueue.unshift(...rest);
  };
  const csvLine = (line: StreamLine) => {
    csvOpen.push(line);
    const fields = csv.push(line.text);
    if (fields === undefined) {
      if (csv.lines >= MAX_CSV_RECORD_LINES || csv.size > MAX_CSV_RECORD_CHARS) {
        resynchronise(`a quoted field opened on this line is still open ${csv.lines} lines later (a stray '"'?); skipped this line and read on from the next`);
      }
      return;
    }
    const record = csvOpen;
    csvOpen = [];
    commit(line);
    if (record.length === 1 && line.text.trim() === '') return;
    if (!header) {
      header = fields.map((field) => field.trim().toLowerCase());
      return;
    }
    const strayQuote = record.length > 1 && csv.malformed;
    if (fields.length !== header.length || strayQuote) {
      ledger.problem(
        file,
        record[0].line,
        strayQuote
          ? `a quoted field opened on this line closes ${record.length - 1} line(s) later inside a field (a stray '"'?); skipped this line and read on from the next`
          : `expected ${header.length} fields as in the header, found ${fields.length}`,
      );
      // A stray quote may have swallowed the lines after it: they are rows of their own.
      if (record.length > 1) {
        offset = record[0].end;
        nextLine = record[0].line + 1;
        csvQueue.unshift(...record.slice(1));
      }
      return;
    }
    ledger.addValue(file, record[0].line, caseInsensitiveRow(header, fields));
  };
  const drainCsv = (line: StreamLine) => {
    csvQueue.push(line);
    while (csvQueue.length > 0) csvLine(csvQueue.shift()!);
  };

  // --- JSON Lines, or one JSON document (pretty-printed) read whole.
  let document: { lines: StreamLine[]; size: number; objectLines: number; lastWasObject: boolean } | undefined;
  const jsonLine = (line: StreamLine) => {
    const trimmed = line.text.trim();
    commit(line);
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      // The first line of a pretty-printed JSON document does not parse on its own: read on as a document.
      if (kind === undefined && (trimmed === '{' || trimmed === '[' || trimmed.startsWith('{"') || trimmed.startsWith('[{') || trimmed.startsWith('[ '))) {
        kind = 'json';
        document = { lines: [line], size: line.text.length, objectLines: 0, lastWasObject: false };
        return;
      }
      ledger.problem(file, line.line, jsonErrorMessage(error));
      kind ??= 'jsonl';
      return;
    }
    kind ??= 'jsonl';
    if (Array.isArray(value)) value.forEach((item) => ledger.addValue(file, line.line, item));
    else ledger.addValue(file, line.line, value);
  };
  /** The document's lines read again one by one: its first line was a cut-off record of a JSONL file. */
  const asJsonLines = (lines: StreamLine[]) => {
    document = undefined;
    kind = 'jsonl';
    for (const line of lines) jsonLine(line);
  };
  const documentLine = (line: StreamLine, doc: NonNullable<typeof document>) => {
    doc.size += line.text.length;
    if (doc.size <= maxDocument) doc.lines.push(line);
    commit(line);
    const trimmed = line.text.trim();
    const isObject = trimmed.startsWith('{') && trimmed.endsWith('}') && isJsonObject(trimmed);
    if (isObject) doc.objectLines++;
    // Two whole records on lines of their own, one after the other, never occur inside a JSON document
    // (elements are separated by commas): the first line was a cut-off record of a JSON Lines file.
    if (isObject && doc.lastWasObject && doc.size <= maxDocument) asJsonLines(doc.lines);
    else doc.lastWasObject = isObject;
  };

  reading: for await (const batch of readLineBatches(chunks, { startOffset: offset, firstLine: nextLine })) for (const line of batch) {
    // A CSV row may still be growing; a JSON line is taken once it parses (below).
    if (!line.terminated && !complete && kind === 'csv') break reading;
    if (line.tooLong) {
      if (kind === 'csv' && csvOpen.length > 0) resynchronise('a quoted field opened on this line runs into a line too long to read; skipped this line and read on from the next');
      if (kind === 'csv') while (csvQueue.length > 0) csvLine(csvQueue.shift()!);
      ledger.problem(file, line.line, 'line too long to be a log record; skipped');
      commit(line);
      continue;
    }
    if (document) {
      documentLine(line, document);
      continue;
    }
    if (kind === 'csv') {
      drainCsv(line);
      continue;
    }
    if (!line.terminated && !complete) {
      // A half-written last line waits for the next read, unless it is already whole.
      const trimmed = line.text.trim();
      if (trimmed === '' || !isJsonValue(trimmed)) break reading;
    }
    jsonLine(line);
  }

  const doc = document as typeof document;
  if (doc) {
    const first = doc.lines[0];
    if (doc.size > maxDocument) {
      ledger.problem(file, first.line, `a JSON document over ${Math.round(maxDocument / 1024 / 1024)} MB; write it as JSON Lines (one record a line) to stream it`);
    } else {
      const text = doc.lines.map((line) => line.text).join('\n');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        if (doc.objectLines > 0) {
          asJsonLines(doc.lines);
        } else {
          ledger.problem(file, lineOfPosition(error, text, first.line), jsonErrorMessage(error, doc.lines.length === 1 ? 'the line' : 'the document'));
        }
        return { offset, line: nextLine, kind, header };
      }
      if (Array.isArray(value)) value.forEach((item) => ledger.addValue(file, first.line, item));
      else ledger.addValue(file, first.line, value);
    }
  }
  if (complete) while (csvOpen.length > 0) {
    resynchronise('a quoted field opened on this line is never closed (a stray \'"\'?); skipped this line and read on from the next');
    while (csvQueue.length > 0) csvLine(csvQueue.shift()!);
  }
  return { offset, line: nextLine, kind, header };
}

/** A CSV row keyed by its lowercased column names, looked up without regard to case (`startTime`, `StartTime`, `starttime`). */
function caseInsensitiveRow(header: readonly string[], fields: readonly string[]): Record<string, string> {
  const row: Record<string, string> = {};
  header.forEach((name, index) => (row[name] = fields[index]));
  return new Proxy(row, {
    get: (target, key) => (typeof key === 'string' ? target[key.toLowerCase()] : undefined),
    has: (target, key) => typeof key === 'string' && key.toLowerCase() in target,
  });
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function isJsonValue(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why text is not JSON, without quoting it: V8's message repeats the text, and a log line's bytes
 * (escape sequences included) must never reach a terminal.
 */
function jsonErrorMessage(error: unknown, what = 'the line'): string {
  const message = error instanceof Error ? error.message : '';
  if (/end of JSON input|Unterminated string/i.test(message)) return `not valid JSON: ${what} ends before its value does (cut off?)`;
  const position = /at position (\d+)/.exec(message);
  return position ? `not valid JSON (at character ${Number(position[1]) + 1} of ${what})` : 'not valid JSON';
}

/** The line of a document where JSON.parse stopped, when its message says. */
function lineOfPosition(error: unknown, text: string, firstLine: number): number {
  const position = /at position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!position) return firstLine;
  let line = firstLine;
  const end = Math.min(Number(position[1]), text.length);
  for (let index = text.indexOf('\n'); index >= 0 && index < end; index = text.indexOf('\n', index + 1)) line++;
  return line;
}

/** Magic numbers of compressed files, and what to call them. */
const COMPRESSED: { magic: number[]; name: string; tool: string }[] = [
  { magic: [0x1f, 0x8b], name: 'gzip-compressed', tool: 'gunzip' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd-compressed', tool: 'unzstd' },
  { magic: [0x42, 0x5a, 0x68], name: 'bzip2-compressed', tool: 'bunzip2' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz-compressed', tool: 'unxz' },
  { magic: [0x50, 0x4b, 0x03, 0x04], name: 'a zip archive', tool: 'unzip' },
];

/**
 * Looks at a file's first bytes: a compressed file or UTF-16 text is named as such (one problem for
 * the file) instead of being read as lines of garbage. The bytes read are put back in front.
 */
async function sniffStart(chunks: AsyncIterable<Uint8Array>): Promise<{ chunks: AsyncIterable<Uint8Array>; notText?: string }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < 8) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
  }
  const start = new Uint8Array(Math.min(size, 8));
  let at = 0;
  for (const chunk of head) {
    const take = chunk.subarray(0, start.length - at);
    start.set(take, at);
    at += take.length;
    if (at === start.length) break;
  }
  const notText = describeNotText(start);
  if (notText) {
    if (!done) await iterator.return?.();
    return { chunks, notText };
  }
  const replay = async function* (): AsyncGenerator<Uint8Array> {
    yield* head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  };
  return { chunks: replay() };
}

function describeNotText(start: Uint8Array): string | undefined {
  for (const { magic, name, tool } of COMPRESSED) {
    if (start.length >= magic.length && magic.every((byte, index) => start[index] === byte)) {
      return `${name.startsWith('a ') ? 'is ' : 'a '}${name} file, not a text log; decompress it (${tool}) and read the result`;
    }
  }
  const utf16 = (start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff) || (start.length >= 2 && (start[0] === 0) !== (start[1] === 0));
  if (utf16) return 'UTF-16 text, not UTF-8; save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8) and read the result';
  return undefined;
}
