// Writes each encoding's ranks as a compact binary file (dist/<encoding>.ranks), read by the
// core's rankTable.ts. js-tiktoken ships them as a JS string of base64 tokens, which takes
// over a second to parse into a 200,000-entry Map; this form loads in milliseconds.
//
// Layout, little-endian:
//   "PBR1"                         magic
//   u32 patternLength, pattern     the pre-tokenizer regex (pat_str), UTF-8
//   u32 tokenCount                 highest rank + 1
//   u8  length[tokenCount]         bytes of the token of each rank (0: no token has that rank)
//   bytes                          the tokens' bytes, in rank order
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export const ENCODINGS = ['o200k_base', 'cl100k_base'];

/** The binary ranks of one encoding, from js-tiktoken's `{ pat_str, bpe_ranks }`. */
export function encodeRanks({ pat_str: pattern, bpe_ranks: ranks }) {
  const tokens = [];
  for (const line of ranks.split('\n')) {
    if (!line) continue;
    const fields = line.split(' ');
    const firstRank = Number.parseInt(fields[1], 10);
    for (let i = 2; i < fields.length; i++) tokens[firstRank + i - 2] = Buffer.from(fields[i], 'base64');
  }
  const patternBytes = Buffer.from(pattern, 'utf8');
  const lengths = Buffer.alloc(tokens.length);
  for (let rank = 0; rank < tokens.length; rank++) {
    const length = tokens[rank]?.length ?? 0;
    if (length > 255) throw new Error(`token ${rank} is ${length} bytes: the format holds at most 255`);
    lengths[rank] = length;
  }
  const header = Buffer.alloc(8);
  header.write('PBR1', 0, 'latin1');
  header.writeUInt32LE(patternBytes.length, 4);
  const count = Buffer.alloc(4);
  count.writeUInt32LE(tokens.length, 0);
  return Buffer.concat([header, patternBytes, count, lengths, ...tokens.filter(Boolean)]);
}

/** Writes `<encoding>.ranks` for every encoding into `outDir`. */
export function writeRanks(outDir) {
  mkdirSync(outDir, { recursive: true });
  for (const encoding of ENCODINGS) {
    const source = require(`js-tiktoken/ranks/${encoding}`);
    writeFileSync(join(outDir, `${encoding}.ranks`), encodeRanks(source.default ?? source));
  }
}
