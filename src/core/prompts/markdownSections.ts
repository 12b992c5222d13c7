// Markdown heading sections: each ATX heading (`#` to `######`) starts a segment.
// Split in two steps so a live document can redo only the first one near an edit: lines are
// classified on their own (`findMarkerLines`), then one pass over the few marked lines, which
// tracks code fences, gives the sections (`sectionsFromMarkers`).
import type { PromptSegment } from '../types';

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
// A line break before a character a marker line can start with (space, `#`, backtick, `~`): most
// lines start with a letter, so only these few are read.
const CANDIDATE_BREAK = /[\r\n](?=[ #`~])/g;
const LINE_BREAK = /[\r\n]/g;

/** A line that can start a section or open or close a code fence, classified without context. */
export type MarkerLine =
  | { offset: number; kind: 'heading'; label: string }
  /** `bare`: nothing but the fence run on the line, so it may close an open fence. */
  | { offset: number; kind: 'fence'; char: string; length: number; bare: boolean };

/** The marker lines of `text[start, end)` (`start` must be a line start), in order. */
export function findMarkerLines(text: string, start: number, end: number): MarkerLine[] {
  const markers: MarkerLine[] = [];
  for (let lineStart = start; lineStart < end; ) {
    const first = text.charCodeAt(lineStart);
    if (first === 0x20 || first === 0x23 || first === 0x60 || first === 0x7e) {
      LINE_BREAK.lastIndex = lineStart;
      const lineEnd = Math.min(LINE_BREAK.exec(text)?.index ?? text.length, end);
      const line = text.slice(lineStart, lineEnd);
      const fence = FENCE.exec(line);
      const heading = !fence && HEADING.exec(line);
      if (fence) markers.push({ offset: lineStart, kind: 'fence', char: fence[1][0], length: fence[1].length, bare: line.trim() === fence[1] });
      else if (heading) markers.push({ offset: lineStart, kind: 'heading', label: headingLabel(heading) });
    }
    // The next line that may be a marker ("\r\n" is one break: its "\n" is the one matched).
    CANDIDATE_BREAK.lastIndex = lineStart;
    const next = CANDIDATE_BREAK.exec(text);
    if (!next || next.index + 1 >= end) break;
    lineStart = next.index + 1;
  }
  return markers;
}

/** '## Title' from a heading match, or '##' for an empty heading. */
function headingLabel(heading: RegExpExecArray): string {
  const title = (heading[2] ?? '').trim();
  return title ? `${heading[1]} ${title}` : heading[1];
}

/** Where each section of `[start, end)` starts and what it is called; text is read through `slice`. */
export interface SectionBounds {
  label: string;
  start: number;
  end: number;
}

/**
 * The sections of `[start, end)` given its marker lines. Text before the first heading is its own
 * section ('Preamble') when it is not blank, and is kept at the head of the first section when it
 * is, so the sections always cover the whole range. Headings inside code fences do not count.
 */
export function sectionsFromMarkers(
  markers: readonly MarkerLine[],
  start: number,
  end: number,
  isBlank: (from: number, to: number) => boolean,
): SectionBounds[] {
  const headings: { offset: number; label: string }[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const marker of markers) {
    if (fence) {
      if (marker.kind === 'fence' && marker.bare && marker.char === fence.char && marker.length >= fence.length) fence = undefined;
    } else if (marker.kind === 'fence') {
      fence = { char: marker.char, length: marker.length };
    } else {
      headings.push(marker);
    }
  }
  if (headings.length === 0) return [{ label: 'Prompt', start, end }];

  const sections: SectionBounds[] = [];
  let firstStart = headings[0].offset;
  if (firstStart > start) {
    if (!isBlank(start, firstStart)) sections.push({ label: 'Preamble', start, end: firstStart });
    else firstStart = start;
  }
  headings.forEach((heading, i) => {
    sections.push({ label: heading.label, start: i === 0 ? firstStart : heading.offset, end: i + 1 < headings.length ? headings[i + 1].offset : end });
  });
  return sections;
}

/** Splits `text[start, end)` into heading sections (see `sectionsFromMarkers`). */
export function splitMarkdownSections(text: string, start: number, end: number): PromptSegment[] {
  const sections = sectionsFromMarkers(findMarkerLines(text, start, end), start, end, (from, to) => isBlankText(text.slice(from, to)));
  return sections.map(({ label, start: from, end: to }) => ({ label, text: text.slice(from, to), range: { start: from, end: to } }));
}

/** True when `text` is only whitespace (what `trim()` removes). */
export function isBlankText(text: string): boolean {
  return !/\S/.test(text);
}
