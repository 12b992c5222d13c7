// Keeps an open prompt document's count current, edit by edit, without recounting it whole.
import { countPrompt } from './prompts/countPrompt';
import { parsePrompt } from './prompts/parsePrompt';
import { DocumentTokenCounter } from './tokenize/documentCounter';
import type { ParsedPrompt, PromptCount, TokenCounter } from './types';

/** One content change, as VS Code reports it: replace `deletedLength` chars at `offset` with `text`. */
export interface TextChange {
  offset: number;
  deletedLength: number;
  text: string;
}

export interface LiveCount {
  parsed: ParsedPrompt;
  count: PromptCount;
}

/** A prompt document's text, parse and count, updated incrementally as changes arrive. */
export class LivePromptCount {
  private text: string;
  private parsed: ParsedPrompt;
  // For formats whose body is one run of text to the end (plain, Markdown, .prompt.md):
  // the body's count is kept per chunk, so an edit recounts only the chunks it touches.
  private body: { start: number; counter: DocumentTokenCounter } | undefined;
  // Segment counts keyed by their text: an edit recounts only the segment it changed.
  private segmentCounts = new Map<string, number>();

  constructor(
    private readonly fileName: string,
    text: string,
    private counter: TokenCounter,
  ) {
    this.text = text;
    this.parsed = parsePrompt(fileName, text);
    this.body = this.newBodyCounter();
  }

  /** The tokenizer changed (another model was chosen): recount with the new one. */
  setCounter(counter: TokenCounter): void {
    if (counter === this.counter) return;
    this.counter = counter;
    this.segmentCounts.clear();
    this.body = this.newBodyCounter();
  }

  /** Applies content changes in the order given, each relative to the text the previous one left. */
  applyChanges(changes: readonly TextChange[]): void {
    let text = this.text;
    let bodyStillValid = this.body !== undefined;
    for (const change of changes) {
      text = text.slice(0, change.offset) + change.text + text.slice(change.offset + change.deletedLength);
      if (this.body && change.offset >= this.body.start) {
        this.body.counter.applyEdit(change.offset - this.body.start, change.deletedLength, change.text);
      } else {
        bodyStillValid = false;
      }
    }
    this.text = text;
    this.parsed = parsePrompt(this.fileName, text);
    const incremental = bodyStillValid && this.body !== undefined && this.hasContiguousBody() && this.parsed.bodyRange.start === this.body.start;
    if (!incremental) this.body = this.newBodyCounter();
  }

  /** The current parse and count. */
  result(): LiveCount {
    this.dropStaleSegmentCounts();
    if (!this.body) return { parsed: this.parsed, count: countPrompt(this.parsed, this.cachedCounter()) };
    const body = this.body;
    // A section that starts and ends on chunk boundaries is summed from the body's chunk counts, so
    // an edit in a long section costs what the edit touched, not a recount of the section.
    const segmentTokens = this.parsed.segments.map(
      (segment) =>
        (segment.text.length === segment.range.end - segment.range.start ? body.counter.countBetween(segment.range.start - body.start, segment.range.end - body.start) : undefined) ??
        this.segmentTokens(segment.text),
    );
    return {
      parsed: this.parsed,
      count: {
        tokens: body.counter.total,
        exact: this.counter.exact,
        tokenizer: this.counter.tokenizer,
        segmentTokens,
        overheadTokens: 0,
        renderedTokens: this.parsed.rendered ? countPrompt({ ...this.parsed, segments: this.parsed.rendered, rendered: undefined }, this.cachedCounter()).tokens : undefined,
      },
    };
  }

  get currentText(): string {
    return this.text;
  }

  private hasContiguousBody(): boolean {
    return !this.parsed.isChat && this.parsed.bodyRange.end === this.text.length;
  }

  private newBodyCounter(): LivePromptCount['body'] {
    if (!this.hasContiguousBody()) return undefined;
    const start = this.parsed.bodyRange.start;
    return { start, counter: new DocumentTokenCounter(this.counter, this.text.slice(start)) };
  }

  private segmentTokens(text: string): number {
    let tokens = this.segmentCounts.get(text);
    if (tokens === undefined) {
      tokens = this.counter.count(text);
      this.segmentCounts.set(text, tokens);
    }
    return tokens;
  }

  // Keys are slices of the current text; keeping only the current segments' keys means no
  // older version of the document is kept alive through this map.
  private dropStaleSegmentCounts(): void {
    if (this.segmentCounts.size <= this.parsed.segments.length * 2 + 16) return;
    const current = new Set([...this.parsed.segments, ...(this.parsed.rendered ?? [])].map((segment) => segment.text));
    for (const key of this.segmentCounts.keys()) if (!current.has(key)) this.segmentCounts.delete(key);
  }

  /** The counter with segment counts served from the cache (chat formats recount only what changed). */
  private cachedCounter(): TokenCounter {
    return {
      tokenizer: this.counter.tokenizer,
      exact: this.counter.exact,
      count: (text) => this.segmentTokens(text),
      tokenBoundaries: (text) => this.counter.tokenBoundaries(text),
    };
  }
}
