// Freezes the expected token counts of each open vocabulary into test/fixtures/vocabularies/<id>.json,
// computed by the reference implementation, so the unit tests check our counter against it with no
// network and no large packages. Run by hand after a vocabulary changes:
//   npm install --prefix /tmp/hf-reference @huggingface/tokenizers@0.2.0
//   node scripts/freezeVocabularyFixtures.mjs [scratch dir] [/tmp/hf-reference] [id…]
// The reference is Hugging Face's own tokenizers.js (Apache-2.0), which translates the Rust
// tokenizer's regexes for JavaScript (Unicode White_Space, case-insensitive groups) and was exact in
// every probe against the Rust `tokenizers`; it is far too slow to count live (0.2-0.65 MB/s).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scratchDir, selectedVocabularies, tokenizerJson, VOCABULARIES } from './buildVocabularies.mjs';

const REFERENCE_VERSION = '@huggingface/tokenizers 0.2.0';
const RANDOM_TEXTS = 400;
const CORPUS = 'test/fixtures/corpus';

function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WHITE_SPACE = ['\t', '\n', '\v', '\f', '\r', ' ', '\u0085', '\u00a0', '\u1680', '\u2000', '\u2003', '\u2007', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '  ', '   ', '\r\n', '\n\n', ' \n '];
const FORMAT = ['\ufeff', '\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\u180e'];
const WORDS = ['the', ' the', 'Token', ' budgets', "it's", " don't", "'S", "'ſ", "I'LL", "we've", 'HTTPServer', 'naïve', ' Straße', ' Größe', ' déjà', ' où', 'ça', ' Überprüfung', 'camelCase', 'snake_case', 'Ωmega', 'Кириллица'];
const MARKS = ['e\u0301', 'A\u030a', '\u0301', 'n\u0303', '\u1e9b\u0323', 'K', 'Å'];
const CJK = ['東京は日本の首都です', '机器学习', '한국어', 'テスト・ケース', 'ー', '「引用」', '。', '、', '゠', 'ゝ', '\u3099', '龥', '鿿', '𠀀'];
const DIGITS = ['1', '12', '123', '1234', '1234567', '3.14159', '2024-05-01', '1,000,000', '١٢٣', '１２３', '½', '²', 'Ⅻ'];
const EMOJI = ['🙂', '👍🏽', '👩‍💻', '🇯🇵', '✅'];
// Gemma 3's first added tokens are mostly unused placeholders: the random texts take these instead.
const GEMMA3_SPECIALS = ['<start_of_turn>', '<end_of_turn>', '<bos>', '<eos>', '<pad>', '<unused7>', '[multimodal]', '<table>', '</td>', '<start_of_image>', '\n\n\n', '\t', '\t\t\t', '▁▁', '▁▁▁▁'];
const CODE = ['//', '/', '/* x */', ';', '.', '{', '}', '();', '->', '!!', '===', '#', '`', '"', "'", '\\', '<', '>', '[', ']', '|', '<|', '|>', '▁'];

function randomTexts(specials, seed) {
  const random = seededRandom(seed);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const groups = [WHITE_SPACE, WHITE_SPACE, FORMAT, WORDS, WORDS, MARKS, CJK, DIGITS, EMOJI, CODE, specials];
  const texts = [];
  for (let i = 0; i < RANDOM_TEXTS; i++) {
    const parts = 1 + Math.floor(random() * 40);
    let text = '';
    for (let p = 0; p < parts; p++) {
      const group = pick(groups);
      if (group.length > 0) text += pick(group);
    }
    // A few lone surrogates and arbitrary code points, as editors can hold them.
    if (random() < 0.05) text += String.fromCharCode(0xd800 + Math.floor(random() * 0x800));
    if (random() < 0.1) text += String.fromCodePoint(Math.floor(random() * 0x3000));
    texts.push(text);
  }
  return texts;
}

async function main() {
  const referencePath = resolve(process.argv[3] ?? '/tmp/hf-reference');
  const { Tokenizer } = await import(pathToFileURL(join(referencePath, 'node_modules/@huggingface/tokenizers/dist/tokenizers.mjs')).href);
  const corpus = readdirSync(CORPUS).filter((name) => !name.startsWith('.')).sort();
  mkdirSync('test/fixtures/vocabularies', { recursive: true });
  for (const vocabulary of selectedVocabularies(process.argv.slice(4))) {
    const index = VOCABULARIES.indexOf(vocabulary);
    const json = tokenizerJson(vocabulary, scratchDir());
    const specials = json.added_tokens.map((token) => token.content);
    if (!vocabulary.matchSpecialTokens) {
      // tekken never matches special tokens in text (mistral-common): the reference gets none to match.
      const ids = new Set(json.added_tokens.map((token) => token.id));
      json.added_tokens = [];
      json.model.vocab = Object.fromEntries(Object.entries(json.model.vocab).filter(([, id]) => !ids.has(id)));
    }
    const reference = new Tokenizer(json, {});
    // A lone surrogate reaches a tokenizer as U+FFFD, as any UTF-8 transport carries it (byte-level
    // families see those bytes either way; tokenizers.js would byte-fall-back the surrogate itself).
    const count = (text) => reference.encode(text.toWellFormed(), { add_special_tokens: false }).ids.length;
    const seed = 1000 + index;
    const fixture = {
      reference: REFERENCE_VERSION,
      tokenizerSha256: vocabulary.sha256,
      corpus: Object.fromEntries(corpus.map((name) => [name, count(readFileSync(join(CORPUS, name), 'utf8'))])),
      texts: randomTexts(vocabulary.id === 'gemma3' ? GEMMA3_SPECIALS : specials.slice(0, 40), seed).map((text) => ({ text, tokens: count(text) })),
    };
    writeFileSync(join('test/fixtures/vocabularies', `${vocabulary.id}.json`), `${JSON.stringify(fixture, null, 0).replace(/\},\{/g, '},\n{')}\n`);
    console.log(`${vocabulary.id}: ${corpus.length} corpus files, ${fixture.texts.length} random texts`);
  }
}

await main();
