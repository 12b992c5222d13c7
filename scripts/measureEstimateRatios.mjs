// Measures, over the fixed mixed corpus in test/fixtures/estimateCorpus (English, German, French prose,
// Python, TypeScript, JSON, CSV numbers, CJK), how many tokens each published vocabulary makes per
// o200k_base token, and writes test/fixtures/estimateCorpus/ratios.json. The estimates of models with
// no published tokenizer take their ratio and spread from their nearest published relative here
// (Gemini 3.1+, Gemma 2 and Gemini 1.x -> Gemma 3). Run by hand:
//   node scripts/measureEstimateRatios.mjs [scratch dir] [/tmp/hf-reference]
// (the same scratch dir and reference as scripts/freezeVocabularyFixtures.mjs).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { get_encoding } from 'tiktoken';
import { scratchDir, tokenizerJson, VOCABULARIES } from './buildVocabularies.mjs';

const CORPUS = 'test/fixtures/estimateCorpus';

async function main() {
  const scratch = scratchDir();
  const referencePath = resolve(process.argv[3] ?? '/tmp/hf-reference');
  const { Tokenizer } = await import(pathToFileURL(join(referencePath, 'node_modules/@huggingface/tokenizers/dist/tokenizers.mjs')).href);
  const texts = readdirSync(CORPUS).filter((name) => !name.endsWith('.json') || name === 'data.json').sort().map((name) => ({ name, text: readFileSync(join(CORPUS, name), 'utf8') }));
  const o200k = get_encoding('o200k_base');
  const base = Object.fromEntries(texts.map(({ name, text }) => [name, o200k.encode(text, [], []).length]));
  o200k.free();
  const families = {};
  // Gemma 3 is among them: Google's local tokenizer for Gemini 2.x, the nearest published relative of Gemini 3.1+'s Gemma 4.
  for (const [id, json] of VOCABULARIES.map((vocabulary) => [vocabulary.id, tokenizerJson(vocabulary, scratch)])) {
    const tokenizer = new Tokenizer(json, {});
    const counts = Object.fromEntries(texts.map(({ name, text }) => [name, tokenizer.encode(text, { add_special_tokens: false }).ids.length]));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const baseTotal = Object.values(base).reduce((a, b) => a + b, 0);
    const ratio = total / baseTotal;
    const perText = Object.fromEntries(texts.map(({ name }) => [name, counts[name] / base[name]]));
    // The spread: how far a single text's count can be from o200k x ratio.
    const spread = Math.max(...Object.values(perText).map((value) => Math.abs(ratio / value - 1)));
    const errorOfOldFactor = texts.map(({ name }) => Math.abs((base[name] * 1.2) / counts[name] - 1));
    families[id] = {
      ratio: Number(ratio.toFixed(3)),
      spread: Number(spread.toFixed(3)),
      perText: Object.fromEntries(Object.entries(perText).map(([name, value]) => [name, Number(value.toFixed(3))])),
      tokens: counts,
      meanAbsErrorOfTimes1_2: Number((errorOfOldFactor.reduce((a, b) => a + b, 0) / errorOfOldFactor.length).toFixed(3)),
      maxAbsErrorOfTimes1_2: Number(Math.max(...errorOfOldFactor).toFixed(3)),
    };
    console.log(`${id}: ratio ${ratio.toFixed(3)}, spread ±${(spread * 100).toFixed(1)}%`);
  }
  const result = { measured: new Date().toISOString().slice(0, 10), reference: '@huggingface/tokenizers 0.2.0; o200k_base from tiktoken', o200kTokens: base, families };
  writeFileSync(join(CORPUS, 'ratios.json'), `${JSON.stringify(result, null, 2)}\n`);
}

await main();
