// Splits a byte stream into lines without holding more than one chunk (and one unfinished line) in
// memory, so a log of any size streams through. Lines come in batches, one per chunk: the complete
// lines of a chunk are decoded in one go, which is several times faster than line by line. Byte
// offsets let a caller resume after what it has read.

/** One line of a stream, without its line break. */
export interface StreamLine {
  text: string;
  /** 1-based, counted from the first line of the stream (plus `firstLine - 1`). */
  line: number;
  /** Byte offset just after this line's break (or after its last byte at the end of the stream). */
  end: number;
  /** False for a last line with no line break, which a writer may still be appending to. */
  terminated: boolean;
  /** Set (with empty `text`) for a line longer than `maxLineBytes`. */
  tooLong?: boolean;
}

export interface ReadLinesOptions {
  /** Line number of the stream's first line, when reading resumes inside a file. */
  firstLine?: number;
  /** Byte offset of the stream's first byte within the file. */
  startOffset?: number;
  /** Longer lines are yielded with `tooLong` set, instead of growing memory without bound. */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;
// Any UTF-16 code unit outside ASCII (surrogate halves included).
const NON_ASCII = /[\u0080-\uffff]/;

/** Yields the lines of `chunks` (LF or CRLF), decoded as UTF-8 with a leading BOM dropped, a batch per chunk. */
export async function* readLineBatches(chunks: AsyncIterable<Uint8Array>, options: ReadLinesOptions = {}): AsyncGenerator<StreamLine[]> {
  const decoder = new TextDecoder('utf-8');
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let line = options.firstLine ?? 1;
  let offset = options.startOffset ?? 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let atStart = offset === 0;

  const finish = (text: string): string => {
    if (atStart) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      atStart = false;
    }
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };

  /** The line made of the pending bytes and `piece`, ending at a line break. */
  const slowLine = (piece: Uint8Array, batch: StreamLine[]) => {
    offset += piece.length + 1;
    if (tooLong || pendingBytes + piece.length > maxLineBytes) {
      batch.push({ text: '', line, end: offset, terminated: true, tooLong: true });
      atStart = false;
    } else {
      pending.push(piece);
      const bytes = pending.length === 1 ? pending[0] : concat(pending, pendingBytes + piece.length);
      batch.push({ text: finish(decoder.decode(bytes)), line, end: offset, terminated: true });
    }
    line++;
    pending = [];
    pendingBytes = 0;
    tooLong = false;
  };

  for await (const chunk of chunks) {
    const batch: StreamLine[] = [];
    const firstBreak = chunk.indexOf(NEWLINE);
    let start = 0;
    if (firstBreak >= 0) {
      slowLine(chunk.subarray(0, firstBreak), batch);
      start = firstBreak + 1;
      const lastBreak = chunk.lastIndexOf(NEWLINE);
      if (lastBreak >= start) {
        const text = decoder.decode(chunk.subarray(start, lastBreak));
        if (text.includes('\uFFFD')) {
          // Invalid UTF-8 decodes to a different byte length: find the breaks in the bytes instead.
          for (let index = chunk.indexOf(NEWLINE, start); index >= 0 && index <= lastBreak; index = chunk.indexOf(NEWLINE, start)) {
            slowLine(chunk.subarray(start, index), batch);
            start = index + 1;
          }
        } else {
          for (const part of text.split('\n')) {
            offset += utf8Length(part) + 1;
            if (part.length > maxLineBytes) batch.push({ text: '', line, end: offset, terminated: true, tooLong: true });
            else batch.push({ text: part.endsWith('\r') ? part.slice(0, -1) : part, line, end: offset, terminated: true });
            line++;
          }
          start = lastBreak + 1;
        }
      }
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (tooLong || pendingBytes + rest.length > maxLineBytes) {
        tooLong = true;
        pending = [];
        pendingBytes = 0;
      } else {
        // The chunk may be reused by its producer: keep a copy of the unfinished line.
        pending.push(rest.slice());
        pendingBytes += rest.length;
      }
      // Counted now: `end` of the unfinished line is where the stream stops.
      offset += rest.length;
    }
    if (batch.length > 0) yield batch;
  }
  if (tooLong) yield [{ text: '', line, end: offset, terminated: false, tooLong: true }];
  else if (pendingBytes > 0) yield [{ text: finish(decoder.decode(concat(pending, pendingBytes))), line, end: offset, terminated: false }];
}

/** The lines of `chunks` one by one (see readLineBatches). */
export async function* readLines(chunks: AsyncIterable<Uint8Array>, options: ReadLinesOptions = {}): AsyncGenerator<StreamLine> {
  for await (const batch of readLineBatches(chunks, options)) yield* batch;
}

/** Bytes of `text` in UTF-8 (lone surrogates as the 3 bytes of U+FFFD, as TextEncoder writes them). */
function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
