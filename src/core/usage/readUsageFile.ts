// Reads one usage log (JSONL, a JSON document, or CSV) from a stream of bytes into a ledger. The
// returned state lets the next read start where this one stopped, so a growing log is read only
// from the bytes appended since.
import { csvFields } from './csvFields';
import { readLineBatches } from './readLines';
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
  let document: { line: number; parts: string[]; size: number } | undefined;
  let csvPending: { line: number; text: string } | undefined;

  reading: for await (const batch of readLineBatches(chunks, { startOffset: state.offset, firstLine: state.line })) for (const line of batch) {
    // A CSV row may still be growing; a JSON line is taken once it parses (below).
    if (!line.terminated && !complete && kind === 'csv') break reading;
    if (line.tooLong) {
      ledger.problem(file, line.line, 'line too long to be a log record; skipped');
      offset = line.end;
      nextLine = line.line + 1;
      continue;
    }
    if (document) {
      document.size += line.text.length;
      if (document.size <= maxDocument) document.parts.push(line.text);
      offset = line.end;
      nextLine = line.line + 1;
      continue;
    }
    const text = line.text;
    if (kind === 'csv') {
      const record = csvPending ? { line: csvPending.line, text: `${csvPending.text}\n${text}` } : { line: line.line, text };
      const fields = csvFields(record.text);
      if (fields === undefined) {
        csvPending = record;
        continue;
      }
      csvPending = undefined;
      offset = line.end;
      nextLine = line.line + 1;
      if (record.text.trim() === '') continue;
      if (!header) {
        header = fields.map((field) => field.trim().toLowerCase());
        continue;
      }
      if (fields.length !== header.length) {
        ledger.problem(file, record.line, `expected ${header.length} fields as in the header, found ${fields.length}`);
        continue;
      }
      const row: Record<string, string> = {};
      header.forEach((name, index) => (row[name] = fields[index]));
      ledger.addValue(file, record.line, row);
      continue;
    }
    const trimmed = text.trim();
    if (trimmed === '') {
      offset = line.end;
      nextLine = line.line + 1;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      // The first line of a pretty-printed JSON document does not parse on its own: read the file whole.
      if (kind === undefined && (trimmed === '{' || trimmed === '[' || trimmed.startsWith('{"') || trimmed.startsWith('[{') || trimmed.startsWith('[ '))) {
        kind = 'json';
        document = { line: line.line, parts: [text], size: text.length };
        offset = line.end;
        nextLine = line.line + 1;
        continue;
      }
      if (!line.terminated && !complete) break reading;
      ledger.problem(file, line.line, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      kind ??= 'jsonl';
      offset = line.end;
      nextLine = line.line + 1;
      continue;
    }
    kind ??= 'jsonl';
    offset = line.end;
    nextLine = line.line + 1;
    if (Array.isArray(value)) value.forEach((item) => ledger.addValue(file, line.line, item));
    else ledger.addValue(file, line.line, value);
  }

  if (document) {
    if (document.size > maxDocument) {
      ledger.problem(file, document.line, `a JSON document over ${Math.round(maxDocument / 1024 / 1024)} MB; write it as JSON Lines (one record a line) to stream it`);
    } else {
      let value: unknown;
      try {
        value = JSON.parse(document.parts.join('\n'));
      } catch (error) {
        ledger.problem(file, document.line, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
        return { offset, line: nextLine, kind, header };
      }
      if (Array.isArray(value)) value.forEach((item) => ledger.addValue(file, document!.line, item));
      else ledger.addValue(file, document.line, value);
    }
  }
  if (csvPending && complete) ledger.problem(file, csvPending.line, 'a quoted field is never closed');
  return { offset, line: nextLine, kind, header };
}
