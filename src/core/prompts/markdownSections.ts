// Markdown heading sections: each ATX heading (`#` to `######`) starts a segment.
import type { PromptSegment } from '../types';

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LINE = /[^\r\n]*(?:\r\n|\n|\r)?/y;

/**
 * Splits `text[start, end)` into heading sections. Text before the first heading is its own segment
 * ('Preamble') when it is not blank, and is kept at the head of the first section when it is, so the
 * segments' texts always concatenate back to the whole range. Headings inside code fences do not count.
 */
export function splitMarkdownSections(text: string, start: number, end: number): PromptSegment[] {
  const headings: { offset: number; label: string }[] = [];
  let fence: { char: string; length: number } | undefined;
  LINE.lastIndex = start;
  while (LINE.lastIndex < end) {
    const lineStart = LINE.lastIndex;
    const match = LINE.exec(text);
    if (!match || match[0].length === 0) break;
    const line = text.slice(lineStart, Math.min(lineStart + match[0].length, end)).replace(/[\r\n]+$/, '');
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1][0] === fence.char && fenceMatch[1].length >= fence.length && line.trim() === fenceMatch[1]) {
        fence = undefined;
      }
      continue;
    }
    if (fenceMatch) {
      fence = { char: fenceMatch[1][0], length: fenceMatch[1].length };
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const title = (heading[2] ?? '').trim();
      headings.push({ offset: lineStart, label: title ? `${heading[1]} ${title}` : heading[1] });
    }
  }

  const section = (label: string, from: number, to: number): PromptSegment => ({
    label,
    text: text.slice(from, to),
    range: { start: from, end: to },
  });
  if (headings.length === 0) return [section('Prompt', start, end)];

  const segments: PromptSegment[] = [];
  let firstStart = headings[0].offset;
  if (firstStart > start) {
    if (text.slice(start, firstStart).trim().length > 0) segments.push(section('Preamble', start, firstStart));
    else firstStart = start;
  }
  headings.forEach((heading, i) => {
    const from = i === 0 ? firstStart : heading.offset;
    const to = i + 1 < headings.length ? headings[i + 1].offset : end;
    segments.push(section(heading.label, from, to));
  });
  return segments;
}
