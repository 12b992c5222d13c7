// Splits a byte stream into lines without holding more than one line (and one chunk) in memory,
// so a log of any size streams through. Byte offsets let a caller resume after what it has read.

/** One line of a stream, without its line break. */
export interface StreamLine {
  text: string;
  /** 1-based, counted from the first line of the stream (plus `firstLine - 1`). */
  line: number;
  /** Byte offset just after this line's break (or after its last byte at the end of the stream). */
  end: number;
  /** False for a last line with no line break, which a writer may still be appending to. */
  terminated: boolean;
}

export interface ReadLinesOptions {
  /** Line number of the stream's first line, when reading resumes inside a file. */
  firstLine?: number;
  /** Byte offset of the stream's first byte within the file. */
  startOffset?: number;
  /** Longer lines are yielded truncated with `tooLong` set, instead of growing memory without bound. */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;

/** Yields the lines of `chunks` (LF or CRLF), decoded as UTF-8 with a leading BOM dropped. */
export async function* readLines(chunks: AsyncIterable<Uint8Array>, options: ReadLinesOptions = {}): AsyncGenerator<StreamLine & { tooLong?: boolean }> {
  const decoder = new TextDecoder('utf-8');
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let line = options.firstLine ?? 1;
  let offset = options.startOffset ?? 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let first = offset === 0;

  const decode = (parts: Uint8Array[], total: number): string => {
    const bytes = parts.length === 1 ? parts[0] : concat(parts, total);
    let text = decoder.decode(bytes);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const index = chunk.indexOf(NEWLINE, start);
      if (index < 0) break;
      const piece = chunk.subarray(start, index);
      offset += index + 1 - start;
      if (tooLong || pendingBytes + piece.length > maxLineBytes) {
        yield { text: '', line, end: offset, terminated: true, tooLong: true };
      } else {
        pending.push(piece);
        yield { text: decode(pending, pendingBytes + piece.length), line, end: offset, terminated: true };
      }
      line++;
      pending = [];
      pendingBytes = 0;
      tooLong = false;
      start = index + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      offset += rest.length;
      if (tooLong || pendingBytes + rest.length > maxLineBytes) {
        tooLong = true;
        pending = [];
        pendingBytes = 0;
      } else {
        // The chunk may be reused by its producer: keep a copy of the unfinished line.
        pending.push(rest.slice());
        pendingBytes += rest.length;
      }
    }
  }
  if (tooLong) yield { text: '', line, end: offset, terminated: false, tooLong: true };
  else if (pendingBytes > 0) yield { text: decode(pending, pendingBytes), line, end: offset, terminated: false };
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
