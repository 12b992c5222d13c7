import type { TokenCounter } from '../types';
import { chunkEnds, iterateChunkEnds, MAX_CHUNK_LENGTH } from './chunkText';
import { copyString } from './copyString';
import { asChunkable, type ChunkableTokenCounter } from './tokenCounter';

/**
 * A document's token count, kept exact as the document is edited: the text is held as chunks
 * that can be counted independently (see chunkText.ts), and an edit recounts only the chunks it
 * touches plus the one before (whose end depends on the next line). `total` always equals
 * `counter.count(text)`.
 */
export class DocumentTokenCounter<Note = undefined> {
  private readonly counter: ChunkableTokenCounter;
  // Parallel arrays, one entry per chunk. Chunk strings are copies, never slices of a caller's
  // text, so an old document version is not kept alive by the chunks that survived an edit.
  private chunks: string[] = [];
  private chunkUnits: number[] = [];
  private chunkStarts: number[] = [];
  private notes: Note[] = [];
  private unitTotal = 0;
  private textLength = 0;
  private readonly maxChunkLength: number;
  private readonly noteChunk: ((chunk: string) => Note) | undefined;

  /**
   * @param options.noteChunk what a caller wants to know of each chunk (say, the template variables
   *   in it), worked out when the chunk is counted, so it too is redone only where an edit falls.
   */
  constructor(counter: TokenCounter, text: string, options: { maxChunkLength?: number; noteChunk?: (chunk: string) => Note } = {}) {
    this.counter = asChunkable(counter);
    this.maxChunkLength = options.maxChunkLength ?? MAX_CHUNK_LENGTH;
    this.noteChunk = options.noteChunk;
    this.setText(text);
  }

  /** Tokens in the current text. */
  get total(): number {
    return this.counter.fromUnits(this.unitTotal);
  }

  /** Length of the current text in UTF-16 code units. */
  get length(): number {
    return this.textLength;
  }

  /** Number of independently counted chunks (for tests and diagnostics). */
  get chunkCount(): number {
    return this.chunks.length;
  }

  /**
   * Tokens in `[start, end)` of the current text when both ends fall on chunk boundaries (each
   * section of a Markdown body does: a heading starts a chunk), from the chunks' counts, without
   * recounting; undefined otherwise.
   */
  countBetween(start: number, end: number): number | undefined {
    if (start === end) return 0;
    const first = this.chunkIndexAt(start);
    if (this.chunkStarts[first] !== start || end > this.textLength) return undefined;
    let units = 0;
    let index = first;
    while (index < this.chunks.length && this.chunkStarts[index] < end) units += this.chunkUnits[index++];
    const reached = index < this.chunks.length ? this.chunkStarts[index] : this.textLength;
    return reached === end ? this.counter.fromUnits(units) : undefined;
  }

  /** The current text, rebuilt from the chunks. */
  getText(): string {
    return this.chunks.join('');
  }

  /** The chunks' texts and notes, in order (`noteChunk`'s result, undefined without it). */
  chunkTexts(): readonly string[] {
    return this.chunks;
  }

  chunkNotes(): readonly Note[] {
    return this.notes;
  }

  /** `getText().slice(start, end)`, built from the chunks it spans only. */
  slice(start: number, end: number): string {
    const parts: string[] = [];
    this.forEachPart(start, end, (part) => {
      parts.push(part);
    });
    return parts.join('');
  }

  /**
   * Visits the text of `[start, end)` chunk by chunk, first to last, until `visit` returns true;
   * `at` is where `part` starts in the text. Returns whether a visit returned true.
   */
  forEachPart(start: number, end: number, visit: (part: string, at: number) => boolean | void): boolean {
    end = Math.min(end, this.textLength);
    if (start >= end) return false;
    for (let index = this.chunkIndexAt(start); index < this.chunks.length && this.chunkStarts[index] < end; index++) {
      const chunkStart = this.chunkStarts[index];
      const from = Math.max(start, chunkStart);
      const part = this.chunks[index].slice(from - chunkStart, Math.min(end, chunkStart + this.chunks[index].length) - chunkStart);
      if (visit(part, from)) return true;
    }
    return false;
  }

  /** Offset of the last `char` before `before`, or -1: reads back chunk by chunk. */
  lastIndexOf(char: string, before: number): number {
    for (let index = this.chunkIndexAt(Math.max(0, before - 1)); index >= 0 && this.chunks.length > 0; index--) {
      const found = this.chunks[index].lastIndexOf(char, before - 1 - this.chunkStarts[index]);
      if (found !== -1 && this.chunkStarts[index] + found < before) return this.chunkStarts[index] + found;
    }
    return -1;
  }

  /** Offset of the first `char` at or after `from`, or -1: reads on chunk by chunk. */
  indexOf(char: string, from: number): number {
    if (from >= this.textLength) return -1;
    for (let index = this.chunkIndexAt(Math.max(0, from)); index < this.chunks.length; index++) {
      const found = this.chunks[index].indexOf(char, Math.max(0, from - this.chunkStarts[index]));
      if (found !== -1) return this.chunkStarts[index] + found;
    }
    return -1;
  }

  /** Replaces the whole text and recounts it. */
  setText(text: string): void {
    const { chunks, units, notes } = this.countChunks(text);
    this.chunks = chunks;
    this.chunkUnits = units;
    this.notes = notes;
    this.chunkStarts = startsOf(chunks, 0);
    this.unitTotal = sum(units);
    this.textLength = text.length;
  }

  /**
   * Replaces `deletedLength` characters at `offset` with `insertedText` (a VS Code content change:
   * rangeOffset, rangeLength, text) and recounts only the chunks around it.
   */
  applyEdit(offset: number, deletedLength: number, insertedText: string): void {
    const end = offset + deletedLength;
    if (offset < 0 || deletedLength < 0 || end > this.textLength) {
      throw new RangeError(`Edit [${offset}, ${end}) is outside a text of length ${this.textLength}`);
    }
    if (this.chunks.length === 0) {
      this.setText(insertedText);
      return;
    }
    // The chunk before the edit is recounted too: whether it may end where it does depends on
    // the first line after it, which the edit may change.
    const first = Math.max(0, this.chunkIndexAt(offset) - 1);
    // An edit that ends exactly at a chunk's end may remove the newline that ends it, so it
    // counts as touching the next chunk: chunkIndexAt returns the chunk that starts there.
    const last = this.chunkIndexAt(end);
    const regionStart = this.chunkStarts[first];
    const region = this.chunks.slice(first, last + 1).join('');
    const edited = region.slice(0, offset - regionStart) + insertedText + region.slice(end - regionStart);
    const { chunks, units, notes } = this.countChunks(edited);

    const removedUnits = sum(this.chunkUnits, first, last + 1);
    const removedCount = last + 1 - first;
    this.chunks = replaceRange(this.chunks, first, removedCount, chunks);
    this.chunkUnits = replaceRange(this.chunkUnits, first, removedCount, units);
    this.notes = replaceRange(this.notes, first, removedCount, notes);
    this.chunkStarts = replaceRange(this.chunkStarts, first, removedCount, startsOf(chunks, regionStart));
    const shift = insertedText.length - deletedLength;
    if (shift !== 0) {
      for (let i = first + chunks.length; i < this.chunkStarts.length; i++) this.chunkStarts[i] += shift;
    }
    this.unitTotal += sum(units) - removedUnits;
    this.textLength += shift;
  }

  /** Index of the last chunk starting at or before `offset`. */
  private chunkIndexAt(offset: number): number {
    const starts = this.chunkStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private countChunks(text: string): { chunks: string[]; units: number[]; notes: Note[] } {
    const chunks: string[] = [];
    const units: number[] = [];
    const notes: Note[] = [];
    let start = 0;
    for (const end of chunkEnds(text, this.maxChunkLength)) {
      const chunk = copyString(text.slice(start, end));
      chunks.push(chunk);
      units.push(this.counter.countUnits(chunk));
      notes.push(this.noteChunk ? this.noteChunk(chunk) : (undefined as Note));
      start = end;
    }
    return { chunks, units, notes };
  }
}

/** Tokens in `text`, counted chunk by chunk so no single encode call sees all of a huge text. */
export function countLargeText(counter: TokenCounter, text: string): number {
  const chunkable = asChunkable(counter);
  let units = 0;
  let start = 0;
  for (const end of iterateChunkEnds(text)) {
    units += chunkable.countUnits(text.slice(start, end));
    start = end;
  }
  return chunkable.fromUnits(units);
}

/** Options for `countLargeTextAsync`. */
export interface AsyncCountOptions {
  /** Longest stretch of counting between two yields to the event loop, in ms (default 8). */
  sliceMs?: number;
  /** Stops counting: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** How to yield; defaults to setImmediate where it exists, else setTimeout(0). */
  yieldToEventLoop?: () => Promise<void>;
}

/**
 * `countLargeText`, yielding to the event loop every `sliceMs` so the extension host stays
 * responsive when no worker thread is available.
 */
export async function countLargeTextAsync(counter: TokenCounter, text: string, options: AsyncCountOptions = {}): Promise<number> {
  const chunkable = asChunkable(counter);
  const sliceMs = options.sliceMs ?? 8;
  const yieldToEventLoop = options.yieldToEventLoop ?? defaultYield;
  let units = 0;
  let start = 0;
  let sliceStart = performance.now();
  let sinceClockCheck = 0;
  for (const end of iterateChunkEnds(text)) {
    units += chunkable.countUnits(text.slice(start, end));
    start = end;
    // Reading the clock every chunk would cost more than counting a short line.
    if (++sinceClockCheck >= 64 && performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
      sliceStart = performance.now();
      sinceClockCheck = 0;
    }
  }
  options.signal?.throwIfAborted();
  return chunkable.fromUnits(units);
}

function defaultYield(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** `array` with `count` items at `from` replaced by `items`; in place unless `items` is too long to spread. */
function replaceRange<T>(array: T[], from: number, count: number, items: T[]): T[] {
  if (items.length <= 10_000) {
    array.splice(from, count, ...items);
    return array;
  }
  return array.slice(0, from).concat(items, array.slice(from + count));
}

function startsOf(chunks: readonly string[], firstStart: number): number[] {
  const starts: number[] = new Array<number>(chunks.length);
  let start = firstStart;
  for (let i = 0; i < chunks.length; i++) {
    starts[i] = start;
    start += chunks[i].length;
  }
  return starts;
}

function sum(values: readonly number[], from = 0, to = values.length): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i];
  return total;
}
