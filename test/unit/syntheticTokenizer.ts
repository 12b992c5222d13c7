// A small byte-level BPE tokenizer.json for the unit tests of tokenizer files (pulled, found, or named in a config).
export const LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** GPT-2's byte-to-character map, as byte-level tokenizer.json files write their tokens. */
function byteLevelChars(): string[] {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const chars: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) chars[b] = String.fromCodePoint(printable(b) ? b : 256 + extra++);
  return chars;
}

/** A small byte-level BPE tokenizer.json: the 256 bytes, then he, ll, hell, hello; one added token. */
export function syntheticTokenizerJson(merges: string[] = ['h e', 'l l', 'he ll', 'hell o']): string {
  const vocab: Record<string, number> = {};
  byteLevelChars().forEach((char, byte) => (vocab[char] = byte));
  ['he', 'll', 'hell', 'hello'].forEach((token, i) => (vocab[token] = 256 + i));
  vocab['<|end|>'] = 260;
  return JSON.stringify({
    version: '1.0',
    added_tokens: [{ id: 260, content: '<|end|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: LLAMA3_SPLIT }, behavior: 'Isolated', invert: false }, { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }] },
    model: { type: 'BPE', dropout: null, byte_fallback: false, ignore_merges: false, vocab, merges },
  });
}
