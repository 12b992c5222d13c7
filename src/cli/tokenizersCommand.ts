import {
  setFetchedRanksReader,
  downloadVocabulary,
  isOffline,
  describeLocation,
  FETCHED_VOCABULARY_IDS,
  isFetchedVocabulary,
  PINNED_VOCABULARIES,
  pinnedUrls,
  type FetchedVocabularyId,
  findVocabulary,
  type FoundVocabulary,
  type VocabularySources,
  VOCABULARIES,
  VOCABULARY_IDS,
} from '../core';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cliIo';
import type { CliOptions } from './cliOptions';
import { cliVocabularySources } from './cliVocabularySources';

/** Counts in this run find the fetched vocabularies where `cliVocabularySources` says. */
export function useTokenizersOption(options: CliOptions, io: CliIo): void {
  const sources = cliVocabularySources(options, io);
  setFetchedRanksReader(async (id) => (await findVocabulary(PINNED_VOCABULARIES[id], sources))?.ranks);
}

/**
 * `prompt-budget tokenizers [list]`: each vocabulary, its tier and where its file is;
 * `prompt-budget tokenizers pull [FAMILY...]`: downloads the pinned files (all missing ones by default),
 * verifies and converts them for exact counts.
 */
export async function runTokenizers(args: string[], options: CliOptions, io: CliIo): Promise<number> {
  const [action = 'list', ...families] = args;
  const sources = cliVocabularySources(options, io);
  if (action === 'list' && families.length === 0) return listTokenizers(sources, options, io);
  if (action === 'pull') return pullTokenizers(families, sources, io);
  io.stderr(`prompt-budget tokenizers: unknown action '${args.join(' ')}'; use 'list' or 'pull [FAMILY...]'.\nRun 'prompt-budget tokenizers --help' for its options.`);
  return EXIT_USAGE;
}

async function listTokenizers(sources: VocabularySources, options: CliOptions, io: CliIo): Promise<number> {
  const rows: Array<{ id: string; label: string; tier: string; where: string; licence: string; source: string }> = [];
  for (const id of VOCABULARY_IDS) {
    const info = VOCABULARIES[id];
    if (!isFetchedVocabulary(id)) {
      rows.push({ id, label: info.label, tier: 'exact, shipped', where: 'shipped with Prompt Budget', licence: info.licence, source: info.source });
      continue;
    }
    const found = await findVocabulary(PINNED_VOCABULARIES[id], sources);
    rows.push({
      id,
      label: info.label,
      tier: found ? 'exact' : '≈ until pulled',
      where: found ? describeFound(found) : `not on this machine: prompt-budget tokenizers pull ${id}`,
      licence: info.licence,
      source: info.source,
    });
  }
  if (options.json) {
    io.stdout(JSON.stringify(rows, null, 2));
    return EXIT_OK;
  }
  io.stdout(`${'id'.padEnd(12)} ${'vocabulary'.padEnd(15)} ${'tier'.padEnd(15)} where`);
  for (const row of rows) io.stdout(`${row.id.padEnd(12)} ${row.label.padEnd(15)} ${row.tier.padEnd(15)} ${row.where}`);
  io.stderr(`Looked in: ${[...sources.folders, sources.huggingFaceCache, sources.cacheDir].filter(Boolean).join(', ')}.`);
  return EXIT_OK;
}

async function pullTokenizers(families: string[], sources: VocabularySources, io: CliIo): Promise<number> {
  const unknown = families.filter((family) => !isFetchedVocabulary(family));
  if (unknown.length > 0) {
    const shipped = unknown.filter((family) => (VOCABULARY_IDS as string[]).includes(family));
    io.stderr(
      `prompt-budget tokenizers pull: ${unknown.map((family) => `'${family}'`).join(', ')} ${shipped.length === unknown.length ? 'ships with Prompt Budget; nothing to pull' : 'is not a family to pull'}. Families: ${FETCHED_VOCABULARY_IDS.join(', ')}.`,
    );
    return EXIT_USAGE;
  }
  const env = io.env ?? process.env;
  const wanted = (families.length > 0 ? families : FETCHED_VOCABULARY_IDS) as FetchedVocabularyId[];
  let failed = false;
  for (const id of wanted) {
    const pinned = PINNED_VOCABULARIES[id];
    const found = await findVocabulary(pinned, sources);
    if (found) {
      io.stdout(`${id}: already here, ${describeFound(found)}`);
      continue;
    }
    if (isOffline(env)) {
      io.stderr(`${id}: HF_HUB_OFFLINE is set, so nothing is downloaded; put ${describeLocation(pinned.locations[0])} in a --tokenizers folder instead.`);
      failed = true;
      continue;
    }
    if (!sources.cacheDir) {
      io.stderr(`${id}: no cache folder to keep it in; set PROMPT_BUDGET_CACHE_DIR.`);
      failed = true;
      continue;
    }
    io.stderr(`${id}: downloading ${(pinned.bytes / 1e6).toFixed(1)} MB from ${pinnedUrls(pinned, env.HF_ENDPOINT || undefined)[0]}…`);
    try {
      await downloadVocabulary(pinned, { cacheDir: sources.cacheDir, env });
      io.stdout(`${id}: verified (sha256 ${pinned.sha256.slice(0, 12)}…) and kept in ${sources.cacheDir}; counts for it are exact now.`);
    } catch (error) {
      io.stderr(`${id}: ${error instanceof Error ? error.message : String(error)}`);
      failed = true;
    }
  }
  return failed ? EXIT_USAGE : EXIT_OK;
}

function describeFound(found: FoundVocabulary): string {
  const place = { cache: 'converted copy', folder: 'your folder', 'huggingface-cache': 'Hugging Face cache', download: 'downloaded' }[found.place];
  return `${place}: ${found.path}`;
}
