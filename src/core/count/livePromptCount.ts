// Keeps an open prompt document's count current, edit by edit, without recounting it whole.
import { countPrompt } from '../prompts/countPrompt';
import { detectPromptFormat } from '../prompts/detectPromptFormat';
import { splitFrontmatter } from '../prompts/frontmatter';
import { findMarkerLines, isBlankText, sectionsFromMarkers, type MarkerLine } from '../prompts/markdownSections';
import { parsePrompt } from '../prompts/parsePrompt';
import { noteVariables, variablesOfPieces, type VariableNote } from '../prompts/variables';
import { DocumentTokenCounter } from '../tokenize/documentCounter';
import type { ParsedPrompt, PromptCount, PromptSegment, TokenCounter } from '../types';

/** One content change, as VS Code reports it: replace `deletedLength` chars at `offset` with `text`. */
export interface TextChange {
  offset: number;
  deletedLength: number;
  text: string;
}

export interface LiveCount {
  /**
   * The parse, with each segment's position and label but not its text (`text` is ''; rendered
   * segments are left out): the document has the text, and copying a megabyte to the extension
   * host on every keystroke is what this class exists to avoid.
   */
  parsed: ParsedPrompt;
  count: PromptCount;
}

/**
 * A document whose body runs from the end of its head (a frontmatter) to the end of the text, as
 * plain text, Markdown and `.prompt.md` bodies do. Its text lives in the body's counter, chunk by
 * chunk, so an edit in the body costs what it touches: no copy of the whole text, no new parse.
 */
interface KeptBody {
  /** Everything before the body; an edit there is parsed afresh. */
  head: string;
  counter: DocumentTokenCounter<VariableNote>;
  /** Heading and fence lines of a Markdown body (offsets in the body); undefined for plain text. */
  markers: MarkerLine[] | undefined;
  /** The first offset at which an edit cannot change how the head parses. */
  safeFrom: number;
  /**
   * What decided the head, for edits in the body before `safeFrom`, which are kept when the head
   * still parses the same after them (see `headStillHolds`): 'text' (plain text, no head),
   * 'none' (Markdown not starting with `---`), 'dashes' (starting with `---` that does not open a
   * frontmatter), 'unclosed' (a frontmatter never closed), 'closed' (no such edit is kept).
   */
  headKind: HeadKind;
}

type HeadKind = 'text' | 'none' | 'dashes' | 'unclosed' | 'closed';

/** A prompt document's text, parse and count, updated incrementally as changes arrive. */
export class LivePromptCount {
  /** The whole text, for formats parsed afresh on each edit (chat files); undefined while a body is kept. */
  private text: string | undefined;
  private parsed!: ParsedPrompt;
  private body: KeptBody | undefined;
  // Segment counts keyed by their text: an edit recounts only the segment it changed.
  private segmentCounts = new Map<string, number>();

  constructor(
    private readonly fileName: string,
    text: string,
    private counter: TokenCounter,
  ) {
    this.reparse(text, undefined);
  }

  /** The tokenizer changed (another model was chosen): recount with the new one. */
  setCounter(counter: TokenCounter): void {
    if (counter === this.counter) return;
    this.counter = counter;
    this.segmentCounts.clear();
    this.reparse(this.currentText, undefined);
  }

  /** Applies content changes in the order given, each relative to the text the previous one left. */
  applyChanges(changes: readonly TextChange[]): void {
    let text: string | undefined;
    // The body counter, while it still matches the text after the edits so far.
    let keptBody = this.body;
    let parseAgain = this.body === undefined;
    for (const change of changes) {
      const body = this.body;
      if (text === undefined && body && change.offset >= body.safeFrom) {
        this.editBody(body, change);
        continue;
      }
      if (text === undefined && body && change.offset >= body.head.length && body.headKind !== 'closed' && firstLineKept(body, change)) {
        const region = this.editBody(body, change);
        if (headStillHolds(body, region)) continue;
        // The edit changed how the head parses (typed `---`): parsed afresh, the counter kept.
        text = this.currentText;
        parseAgain = true;
        continue;
      }
      text ??= this.currentText;
      text = text.slice(0, change.offset) + change.text + text.slice(change.offset + change.deletedLength);
      parseAgain = true;
      // An edit in the head leaves the body's text as it was, only moved: its counter stays good.
      if (keptBody && change.offset + change.deletedLength > keptBody.head.length) keptBody = undefined;
      if (keptBody) keptBody = { ...keptBody, head: text.slice(0, keptBody.head.length + change.text.length - change.deletedLength) };
    }
    if (parseAgain) this.reparse(text ?? this.currentText, keptBody);
    else this.parsed = this.keptBodyParse(this.body!);
  }

  /** The current parse and count. */
  result(): LiveCount {
    const parsed = this.parsed;
    const body = this.body;
    if (!body) {
      this.dropStaleSegmentCounts();
      const count = countPrompt(parsed, this.cachedCounter());
      return { parsed: withoutText(parsed), count };
    }
    const start = body.head.length;
    // A section that starts and ends on chunk boundaries is summed from the body's chunk counts, so
    // an edit in a long section costs what the edit touched, not a recount of the section.
    const segmentTokens = parsed.segments.map(
      (segment) =>
        body.counter.countBetween(segment.range.start - start, segment.range.end - start) ??
        this.segmentTokens(body.counter.slice(segment.range.start - start, segment.range.end - start)),
    );
    this.dropStaleSegmentCounts();
    return {
      parsed,
      count: { tokens: body.counter.total, exact: this.counter.exact, tokenizer: this.counter.tokenizer, segmentTokens, overheadTokens: 0 },
    };
  }

  get currentText(): string {
    return this.text ?? this.body!.head + this.body!.counter.getText();
  }

  /**
   * Parses `text` afresh. A kept-body format parses only its head here (the body's segments and
   * variables come from its counter and markers, as after an edit); a body counter still valid for
   * the new body (only the head was edited) is kept.
   */
  private reparse(text: string, keptBody: KeptBody | undefined): void {
    const head = parseHead(this.fileName, text);
    if (!head) {
      this.text = text;
      this.parsed = parsePrompt(this.fileName, text);
      this.body = undefined;
      return;
    }
    const start = head.parsed.bodyRange.start;
    const headText = text.slice(0, start);
    const counter =
      keptBody && keptBody.head === headText ? keptBody.counter : new DocumentTokenCounter(this.counter, text.slice(start), { noteChunk: noteVariables });
    const markdown = head.parsed.format === 'markdown' || head.parsed.format === 'vscode-prompt';
    const markers = markdown ? findMarkerLines(text, start, text.length).map((marker) => ({ ...marker, offset: marker.offset - start })) : undefined;
    this.text = undefined;
    this.body = { head: headText, counter, safeFrom: head.safeFrom, headKind: head.kind, markers };
    this.parsed = { ...head.parsed, rendered: undefined };
    this.parsed = this.keptBodyParse(this.body);
  }

  /** Applies one change inside the body: its counter recounts the chunks around it, and its marker lines are found again around it. */
  /** Returns the text of the lines around the edit after it ('' for plain text). */
  private editBody(body: KeptBody, change: TextChange): string {
    const offset = change.offset - body.head.length;
    const end = offset + change.deletedLength;
    const { counter, markers } = body;
    // The lines around the edit, from just after a line feed before it to just after one after it
    // (a `\n` always ends a line, also in `\r\n`); everything outside is the same text, moved.
    const from = markers ? counter.lastIndexOf('\n', offset) + 1 : 0;
    const nextLineFeed = markers ? counter.indexOf('\n', end) : -1;
    const to = nextLineFeed === -1 ? counter.length : nextLineFeed + 1;
    counter.applyEdit(offset, change.deletedLength, change.text);
    if (!markers) return '';
    const shift = change.text.length - change.deletedLength;
    const region = counter.slice(from, to + shift);
    const found = findMarkerLines(region, 0, region.length).map((marker) => ({ ...marker, offset: marker.offset + from }));
    let first = 0;
    while (first < markers.length && markers[first].offset < from) first++;
    let last = first;
    while (last < markers.length && markers[last].offset < to) last++;
    for (let i = last; i < markers.length; i++) markers[i] = { ...markers[i], offset: markers[i].offset + shift };
    markers.splice(first, last - first, ...found);
    return region;
  }

  /** The parse of a kept body's text: the head's results as they were, the body's from its counter and markers. */
  private keptBodyParse(body: KeptBody): ParsedPrompt {
    const start = body.head.length;
    const end = start + body.counter.length;
    const sections = body.markers
      ? sectionsFromMarkers(body.markers, 0, body.counter.length, (from, to) => !body.counter.forEachPart(from, to, (part) => !isBlankText(part)))
      : [{ label: 'Prompt', start: 0, end: body.counter.length }];
    return {
      ...this.parsed,
      segments: sections.map((section) => ({ label: section.label, text: '', range: { start: start + section.start, end: start + section.end } })),
      bodyRange: { start, end },
      variables: variablesOfPieces(body.counter.chunkTexts(), body.counter.chunkNotes()),
    };
  }

  private segmentTokens(text: string): number {
    let tokens = this.segmentCounts.get(text);
    if (tokens === undefined) {
      tokens = this.counter.count(text);
      this.segmentCounts.set(text, tokens);
    }
    return tokens;
  }

  // Keys are slices of the current text; keeping only about as many as there are segments means
  // no older version of the document is kept alive through this map.
  private dropStaleSegmentCounts(): void {
    if (this.segmentCounts.size <= this.parsed.segments.length * 2 + 16) return;
    if (this.body) {
      this.segmentCounts.clear();
      return;
    }
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

/**
 * For plain text, Markdown and `.prompt.md`, whose body runs from the end of the head (the
 * frontmatter) to the end of the text: the parse of the head alone (the body left empty), how it
 * was decided, and the first offset from which no edit can change it. Undefined for other formats.
 */
function parseHead(fileName: string, text: string): { parsed: ParsedPrompt; kind: HeadKind; safeFrom: number } | undefined {
  const format = detectPromptFormat(fileName);
  const never = Number.POSITIVE_INFINITY;
  // Plain text has no head: its whole text is the body (a U+FEFF at its start too, see parsePrompt).
  if (format === 'text') return { parsed: parsePrompt(fileName, ''), kind: 'text', safeFrom: 0 };
  if (format !== 'markdown' && format !== 'vscode-prompt') return undefined;
  const split = splitFrontmatter(text);
  if (split.kind === 'closed') {
    const bodyStart = split.bodyStart;
    const parsed = parsePrompt(fileName, text.slice(0, bodyStart));
    // A parser that failed fell back to plain text: parsed afresh until it succeeds.
    if (parsed.problems.some((problem) => problem.rule === 'parse-failure')) return undefined;
    // Typing right after a closing fence that ends in `\r` could make it `\r\n`, and after one that
    // ends the text (no line break) could lengthen the fence's line.
    return { parsed, kind: 'closed', safeFrom: text.charCodeAt(bodyStart - 1) === 0x0a ? bodyStart : bodyStart + 1 };
  }
  // Only the first three characters decide that there is no frontmatter, unless they are `---`.
  if (!text.startsWith('---')) return { parsed: parsePrompt(fileName, ''), kind: 'none', safeFrom: 3 };
  // Starting with `---`: the first line says whether it opens a frontmatter (its problem, in a
  // `.prompt.md`, is on that line), and an unclosed one may be closed by any later edit.
  const firstBreak = /\r\n|\n|\r/.exec(text.slice(0, 4096));
  if (!firstBreak) return undefined;
  const parsed = parsePrompt(fileName, text.slice(0, firstBreak.index + firstBreak[0].length));
  return { parsed, kind: split.kind === 'unclosed' ? 'unclosed' : 'dashes', safeFrom: never };
}

/**
 * Whether an edit before `safeFrom` leaves the head's first line alone, where that line decides
 * the head (a `---` line): the edit must start past its line break and one more character.
 */
function firstLineKept(body: KeptBody, change: TextChange): boolean {
  if (body.headKind !== 'dashes' && body.headKind !== 'unclosed') return true;
  const offset = change.offset - body.head.length;
  const lineFeed = body.counter.indexOf('\n', 0);
  const carriageReturn = body.counter.indexOf('\r', 0);
  const firstBreak = lineFeed === -1 ? carriageReturn : carriageReturn === -1 ? lineFeed : Math.min(lineFeed, carriageReturn);
  return firstBreak !== -1 && offset > firstBreak + 2;
}

/** After an edit in the body before `safeFrom`: whether the head still parses as it did. */
function headStillHolds(body: KeptBody, region: string): boolean {
  const { counter, headKind } = body;
  switch (headKind) {
    case 'none':
      return counter.slice(0, 3) !== '---';
    case 'unclosed':
      // A `---` in the lines around the edit may close the frontmatter: parsed afresh.
      return !region.includes('---');
    default:
      return true;
  }
}

function withoutSegmentText(segment: PromptSegment): PromptSegment {
  return { ...segment, text: '' };
}

function withoutText(parsed: ParsedPrompt): ParsedPrompt {
  return { ...parsed, segments: parsed.segments.map(withoutSegmentText), rendered: undefined };
}
