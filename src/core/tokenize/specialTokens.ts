/**
 * Finds a vocabulary's special tokens (`<|im_start|>`, `<|eot_id|>`) written literally in text, as
 * Hugging Face tokenizers do before anything else: leftmost match first, the longest one where
 * several start at the same place. Each one is then a single token.
 */
export class SpecialTokenLiterals {
  private readonly literals: RegExp;
  // Every literal starts with one of these: text without them is passed over at once.
  private readonly firstChars: ReadonlySet<string>;

  constructor(tokens: readonly string[]) {
    const longestFirst = [...tokens].sort((a, b) => b.length - a.length);
    this.literals = new RegExp(longestFirst.map(escapeRegExp).join('|'), 'gu');
    this.firstChars = new Set(tokens.map((token) => token[0]));
  }

  /** Calls `visit` for each stretch of `text` in order: plain text (`special` false) and literals. */
  forEachPart(text: string, visit: (start: number, end: number, special: boolean) => void): void {
    if (!this.mayContain(text)) {
      if (text.length > 0) visit(0, text.length, false);
      return;
    }
    const literals = this.literals;
    literals.lastIndex = 0;
    let start = 0;
    for (let match = literals.exec(text); match !== null; match = literals.exec(text)) {
      if (match.index > start) visit(start, match.index, false);
      start = match.index + match[0].length;
      visit(match.index, start, true);
    }
    if (start < text.length) visit(start, text.length, false);
  }

  private mayContain(text: string): boolean {
    for (const char of this.firstChars) if (text.includes(char)) return true;
    return false;
  }
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
