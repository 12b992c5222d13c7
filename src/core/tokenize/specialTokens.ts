/**
 * Finds a vocabulary's special tokens (`<|im_start|>`, `<|eot_id|>`) written literally in text, as
 * Hugging Face tokenizers do before anything else: leftmost match first, the longest one where
 * several start at the same place. Each one is then a single token.
 */
export class SpecialTokenLiterals {
  private readonly literals: ReadonlySet<string>;
  // Per first UTF-16 unit, the lengths of the literals that start with it, longest first, each with
  // the last units such literals end with: a vocabulary may have thousands of literals (Gemma 3:
  // 6,415, among them runs of 1-31 line breaks), and most places are ruled out without a lookup.
  private readonly lengthsByFirstUnit = new Map<number, Array<{ length: number; lastUnits: Set<number> }>>();
  // Units whose literals are all runs of that unit, every length from `min` to `max` (Gemma 3's
  // line breaks, tabs, '▁'): the longest match is read off the run's length.
  private readonly runs = new Map<number, { min: number; max: number }>();
  // Finds the next place a literal may start.
  private readonly firstUnits: RegExp;

  constructor(tokens: readonly string[]) {
    this.literals = new Set(tokens.filter((token) => token.length > 0));
    const lastUnitsByLength = new Map<number, Map<number, Set<number>>>();
    const literalCounts = new Map<number, number>();
    for (const literal of this.literals) {
      const first = literal.charCodeAt(0);
      let byLength = lastUnitsByLength.get(first);
      if (!byLength) lastUnitsByLength.set(first, (byLength = new Map()));
      let lastUnits = byLength.get(literal.length);
      if (!lastUnits) byLength.set(literal.length, (lastUnits = new Set()));
      lastUnits.add(literal.charCodeAt(literal.length - 1));
      literalCounts.set(first, (literalCounts.get(first) ?? 0) + 1);
    }
    for (const [unit, byLength] of lastUnitsByLength) {
      const lengths = [...byLength].map(([length, lastUnits]) => ({ length, lastUnits })).sort((a, b) => b.length - a.length);
      this.lengthsByFirstUnit.set(unit, lengths);
      const run = String.fromCharCode(unit);
      const min = lengths[lengths.length - 1].length;
      const max = lengths[0].length;
      if (literalCounts.get(unit) === max - min + 1 && lengths.every(({ length }) => this.literals.has(run.repeat(length)))) this.runs.set(unit, { min, max });
    }
    const units = [...this.lengthsByFirstUnit.keys()].map((unit) => `\\u${unit.toString(16).padStart(4, '0')}`);
    this.firstUnits = new RegExp(units.length > 0 ? `[${units.join('')}]` : '[^\\s\\S]', 'g');
  }

  /** Calls `visit` for each stretch of `text` in order: plain text (`special` false) and literals. */
  forEachPart(text: string, visit: (start: number, end: number, special: boolean) => void): void {
    const firstUnits = this.firstUnits;
    firstUnits.lastIndex = 0;
    let start = 0;
    for (let match = firstUnits.exec(text); match !== null; match = firstUnits.exec(text)) {
      const at = match.index;
      const end = this.literalEnd(text, at);
      if (end === -1) continue;
      if (at > start) visit(start, at, false);
      visit(at, end, true);
      start = end;
      firstUnits.lastIndex = end;
    }
    if (start < text.length) visit(start, text.length, false);
  }

  /** End of the longest literal at `at`, or -1. */
  private literalEnd(text: string, at: number): number {
    const unit = text.charCodeAt(at);
    const run = this.runs.get(unit);
    if (run) {
      let end = at + 1;
      while (end < text.length && end - at < run.max && text.charCodeAt(end) === unit) end++;
      return end - at >= run.min ? end : -1;
    }
    const lengths = this.lengthsByFirstUnit.get(unit);
    if (!lengths) return -1;
    for (const { length, lastUnits } of lengths) {
      const end = at + length;
      if (end <= text.length && lastUnits.has(text.charCodeAt(end - 1)) && this.literals.has(text.slice(at, end))) return end;
    }
    return -1;
  }
}
