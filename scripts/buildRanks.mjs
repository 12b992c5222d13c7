// Writes each encoding's ranks as a binary file, dist/<encoding>.ranks, that the count worker and
// the CLI load in milliseconds (js-tiktoken ships them as a JS string of base64 tokens, which
// takes over a second to parse into a Map). The format is defined once, in the core's
// rankTable.ts, which this script compiles with esbuild and calls.
import * as esbuild from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);

export const ENCODINGS = ['o200k_base', 'cl100k_base'];

/** Writes `<encoding>.ranks` for every encoding into `outDir`. */
export async function writeRanks(outDir) {
  const { encodeRanksFile } = await loadRankTableModule();
  mkdirSync(outDir, { recursive: true });
  for (const encoding of ENCODINGS) {
    const { pat_str: pattern, bpe_ranks: ranks } = require(`js-tiktoken/ranks/${encoding}`);
    // js-tiktoken's lines: `<prefix> <first rank> <base64 token> <base64 token> ...`
    const tokens = [];
    for (const line of ranks.split('\n')) {
      if (!line) continue;
      const fields = line.split(' ');
      const firstRank = Number.parseInt(fields[1], 10);
      for (let i = 2; i < fields.length; i++) tokens[firstRank + i - 2] = Buffer.from(fields[i], 'base64');
    }
    writeFileSync(join(outDir, `${encoding}.ranks`), encodeRanksFile(pattern, tokens));
  }
}

/**
 * Writes `<id>.ranks` for every open family's vocabulary (vocabularies/<id>.ranks.gz, committed
 * without their hash table to stay small) with the table built in, so they load as fast as OpenAI's.
 */
export async function writeVocabularies(outDir) {
  const { withHashTable } = await loadRankTableModule();
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync('vocabularies')) {
    if (!file.endsWith('.ranks.gz')) continue;
    writeFileSync(join(outDir, file.slice(0, -'.gz'.length)), withHashTable(gunzipSync(readFileSync(join('vocabularies', file)))));
  }
}

async function loadRankTableModule() {
  const { outputFiles } = await esbuild.build({
    entryPoints: ['src/core/tokenize/rankTable.ts'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
  });
  const module = { exports: {} };
  new Function('module', 'exports', outputFiles[0].text)(module, module.exports);
  return module.exports;
}
