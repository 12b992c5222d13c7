import { encodeRanksFile } from './rankTable';
import type { VocabularyHeader } from './vocabularyHeader';

/** What a SentencePiece-style vocabulary file records about where it comes from. */
export interface SentencePieceVocabularySource {
  /** Repository and commit the tokenizer.json was published at. */
  source: string;
  /** sha256 of that tokenizer.json, as checked by whoever read it. */
  sha256: string;
  /** Count the tokenizer's added tokens (`<start_of_turn>`, `<bos>`…) written in text as one token each, as Hugging Face does. */
  matchSpecialTokens: boolean;
  /** For a custom file a config names: how tooltips call it ('custom tokenizer.json'). */
  label?: string;
}

/** SentencePiece's word-boundary mark, which the normalizer puts in place of every space. */
const METASPACE = '▁';
const BYTE_TOKEN = /^<0x[0-9A-F]{2}>$/;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * The compact ranks file (rankTable.ts) of a SentencePiece-style BPE tokenizer.json with byte
 * fallback (Gemma 3): each piece ranked by the first merge that produces it (ranking by id gives
 * other merges), single-character pieces after them, byte tokens left out (a character that is not
 * a piece counts as one token per UTF-8 byte). Throws, naming the field, on a tokenizer.json this
 * engine would not count exactly, including one whose pieces would make the chunked live counter's
 * cuts (after a line break, before a space that ends a word) unsafe.
 */
export function sentencePieceVocabularyFromTokenizerJson(json: unknown, origin: SentencePieceVocabularySource): Uint8Array {
  const tokenizer = readTokenizer(json);
  const ranked: string[] = [];
  const seen = new Set<string>();
  const merges = new Set<string>();
  for (const merge of tokenizer.merges) {
    const [left, right] = mergeSides(merge);
    merges.add(`${left}\u0000${right}`);
    if (BYTE_TOKEN.test(left) || BYTE_TOKEN.test(right)) throw new Error(`tokenizer.json: merge ${JSON.stringify(merge)} joins a byte-fallback token`);
    const piece = left + right;
    if (!Object.hasOwn(tokenizer.vocab, piece)) throw new Error(`tokenizer.json: merge ${JSON.stringify(merge)} makes ${JSON.stringify(piece)}, which is not in the vocabulary`);
    if (!seen.has(piece)) {
      seen.add(piece);
      ranked.push(piece);
    }
  }
  let byteTokens = 0;
  for (const piece of Object.keys(tokenizer.vocab)) {
    if (BYTE_TOKEN.test(piece)) byteTokens++;
    else if (!seen.has(piece) && [...piece].length === 1) {
      seen.add(piece);
      ranked.push(piece);
    }
  }
  if (byteTokens !== 256) throw new Error(`tokenizer.json: byte fallback needs the 256 tokens <0x00>…<0xFF>, found ${byteTokens}`);
  checkEverySplitMerges(ranked, seen, merges);

  const specialTokens = tokenizer.addedTokens.map((added) => added.content);
  const splits = [pieceSplitPattern(ranked)];
  checkChunkCuts(ranked, origin.matchSpecialTokens ? specialTokens : []);
  const header: VocabularyHeader = {
    source: origin.source,
    sha256: origin.sha256,
    normalizer: 'Metaspace',
    splits,
    ignoreMerges: tokenizer.ignoreMerges,
    specialTokens: origin.matchSpecialTokens ? specialTokens : [],
    byteFallback: true,
    ...(origin.label ? { label: origin.label } : {}),
  };
  const encoder = new TextEncoder();
  return encodeRanksFile(
    JSON.stringify(header),
    ranked.map((piece) => encoder.encode(piece)),
    { withTable: false },
  );
}

interface SentencePieceTokenizer {
  vocab: Record<string, number>;
  merges: unknown[];
  ignoreMerges: boolean;
  addedTokens: Array<{ content: string }>;
}

/** The fields this engine reads, after checking that every other setting is one it follows exactly. */
function readTokenizer(json: unknown): SentencePieceTokenizer {
  const root = json as Record<string, unknown> | null;
  if (typeof root !== 'object' || root === null) throw new Error('tokenizer.json: not a JSON object');
  const normalizer = root.normalizer as Record<string, unknown> | null;
  const replace = normalizer?.pattern as Record<string, unknown> | undefined;
  if (normalizer?.type !== 'Replace' || replace?.String !== ' ' || normalizer.content !== METASPACE) {
    throw new Error(`tokenizer.json: normalizer ${JSON.stringify(normalizer)} is not the plain ' ' → '▁' replacement`);
  }
  // A Split on ' ' after that normalizer never matches (no space is left): no pre-split at all.
  const pre = root.pre_tokenizer as Record<string, unknown> | null;
  const prePattern = pre?.pattern as Record<string, unknown> | undefined;
  if (pre !== null && !(pre?.type === 'Split' && prePattern?.String === ' ' && pre.invert === false)) {
    throw new Error(`tokenizer.json: pre_tokenizer ${JSON.stringify(pre)} is not supported`);
  }
  const model = root.model as Record<string, unknown> | null;
  if (
    model?.type !== 'BPE' ||
    model.byte_fallback !== true ||
    (model.dropout !== null && model.dropout !== undefined) ||
    (model.continuing_subword_prefix ?? '') !== '' ||
    (model.end_of_word_suffix ?? '') !== '' ||
    typeof model.vocab !== 'object' ||
    model.vocab === null ||
    !Array.isArray(model.merges)
  ) {
    throw new Error('tokenizer.json: model is not a byte-fallback BPE without dropout or affixes');
  }
  const added = root.added_tokens;
  if (!Array.isArray(added)) throw new Error('tokenizer.json: added_tokens is not a list');
  const addedTokens = added.map((token: Record<string, unknown>) => {
    if (typeof token.content !== 'string' || token.content === '' || token.lstrip || token.rstrip || token.single_word || token.normalized) {
      throw new Error(`tokenizer.json: added token ${JSON.stringify(token)} is not matched as a plain literal`);
    }
    return { content: token.content };
  });
  return { vocab: model.vocab as Record<string, number>, merges: model.merges, ignoreMerges: model.ignore_merges === true, addedTokens };
}

/** The two sides of a merge, written `["a", "b"]` or (older files) `"a b"`. */
function mergeSides(merge: unknown): [string, string] {
  if (Array.isArray(merge) && merge.length === 2 && typeof merge[0] === 'string' && typeof merge[1] === 'string') return [merge[0], merge[1]];
  if (typeof merge === 'string') {
    const space = merge.indexOf(' ');
    if (space > 0 && space === merge.lastIndexOf(' ')) return [merge.slice(0, space), merge.slice(space + 1)];
  }
  throw new Error(`tokenizer.json: merge ${JSON.stringify(merge)} is not a pair`);
}

/**
 * A split of the text into pieces that no merge can cross, so each is counted (and remembered) on
 * its own: before every run of spaces (or '▁', which spaces become), unless the character before it
 * ends some piece's text right before a '▁' (Gemma 3: only '>', from '>▁</'). No piece spans such a
 * cut, so merges on either side never meet and the counts add up exactly. Written for the text as
 * it is, before the normalizer turns spaces into '▁', which happens piece by piece.
 */
function pieceSplitPattern(pieces: readonly string[]): string {
  const glue = new Set<string>();
  for (const piece of pieces) {
    const chars = [...piece];
    for (let i = 1; i < chars.length; i++) if (chars[i] === METASPACE && chars[i - 1] !== METASPACE) glue.add(chars[i - 1]);
  }
  const members = [...glue].map((char) => (/[\\\]^-]/.test(char) ? `\\${char}` : char)).join('');
  const space = `[ ${METASPACE}]`;
  return members === '' ? `${space}*[^ ${METASPACE}]+|${space}+` : `${space}*(?:[^ ${METASPACE}${members}]|[${members}]${space}*)+|${space}+`;
}

/**
 * Ranking pieces rather than merges joins any two adjacent parts whose text is a piece; Hugging Face
 * joins only listed pairs. The two agree when every split of a piece into two pieces is listed, as
 * in tokenizer.json files converted from SentencePiece (Gemma 3: 514,906 merges for 236,339 pieces).
 */
function checkEverySplitMerges(pieces: readonly string[], isPiece: ReadonlySet<string>, merges: ReadonlySet<string>): void {
  for (const piece of pieces) {
    const chars = [...piece];
    let left = '';
    for (let i = 1; i < chars.length; i++) {
      left += chars[i - 1];
      const right = piece.slice(left.length);
      if (isPiece.has(left) && isPiece.has(right) && !merges.has(`${left}\u0000${right}`)) {
        throw new Error(`tokenizer.json: ${JSON.stringify(piece)} is the pieces ${JSON.stringify(left)} and ${JSON.stringify(right)}, but no merge joins them`);
      }
    }
  }
}

/**
 * The live counter (chunkText.ts) cuts text after a line break that is followed by another
 * character, and before a space that follows a letter or digit. Counting stays exact only if no
 * piece and no matched literal spans such a cut.
 */
function checkChunkCuts(pieces: readonly string[], literals: readonly string[]): void {
  for (const text of [...pieces, ...literals.map((literal) => literal.replaceAll(' ', METASPACE))]) {
    const chars = [...text];
    for (let i = 1; i < chars.length; i++) {
      if ((chars[i - 1] === '\n' && chars[i] !== '\n') || (chars[i] === METASPACE && LETTER_OR_DIGIT.test(chars[i - 1]))) {
        throw new Error(`tokenizer.json: ${JSON.stringify(text)} spans a place where the live counter cuts text`);
      }
    }
  }
}
