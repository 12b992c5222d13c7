// Where a verified copy of a pinned vocabulary is found on this machine, in order: the converted copy in
// our cache folder, the user's folders (files matched by size and sha256, whatever their names), the
// Hugging Face cache (its snapshots' symlinks to blobs followed). A file found is converted once and the
// compact form kept in the cache folder. Node only: the CLI, the library and the count worker use it.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { replaceFileWhole } from '../../io/replaceFileWhole';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { readRegularFile } from '../../io/readRegularFile';
import { convertVocabulary } from '../convertVocabulary';
import { RankTable } from '../rankTable';
import { parseVocabularyHeader } from '../vocabularyHeader';
import { describeLocation, type PinnedVocabulary } from './pinnedVocabularies';

/** Where vocabulary files are looked for, and where converted ones are kept. */
export interface VocabularySources {
  /** The user's folders of vocabulary files (PROMPT_BUDGET_TOKENIZERS, --tokenizers, the editor's setting). */
  folders: readonly string[];
  /** The Hugging Face hub cache (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub). */
  huggingFaceCache: string | undefined;
  /** Where converted vocabularies are written and read (the CLI's user cache folder, the extension's global storage). */
  cacheDir: string | undefined;
  /** Other folders of converted vocabularies, only read (the editor reads what `prompt-budget tokenizers pull` kept). */
  otherCacheDirs?: readonly string[];
}

/** Where a verified vocabulary was found. */
export type VocabularyPlace = 'cache' | 'folder' | 'huggingface-cache' | 'download';

/** A verified vocabulary in its compact form, and where it came from. */
export interface FoundVocabulary {
  ranks: Uint8Array;
  place: VocabularyPlace;
  path: string;
}

// A folder is listed, not walked: a few hundred entries are plenty for a folder of vocabularies.
const MAX_FOLDER_ENTRIES = 2000;

/** The sources the environment names (and the CLI's `--tokenizers` folders), with the CLI's cache folder. */
export function vocabularySourcesFromEnv(env: Readonly<Record<string, string | undefined>>, extraFolders: readonly string[] = [], home: string = homedir()): VocabularySources {
  const fromEnv = (env.PROMPT_BUDGET_TOKENIZERS ?? '').split(delimiter).filter((folder) => folder !== '');
  const hfHome = env.HF_HOME || join(env.XDG_CACHE_HOME || join(home, '.cache'), 'huggingface');
  return {
    folders: [...extraFolders, ...fromEnv],
    huggingFaceCache: env.HF_HUB_CACHE || join(hfHome, 'hub'),
    // Beside the CLI's price cache: $PROMPT_BUDGET_CACHE_DIR, else $XDG_CACHE_HOME/prompt-budget, else ~/.cache/prompt-budget.
    cacheDir: join(env.PROMPT_BUDGET_CACHE_DIR || join(env.XDG_CACHE_HOME || join(home, '.cache'), 'prompt-budget'), 'tokenizers'),
  };
}

/** The converted file's name in the cache folder: the id and the source's hash, so a new pin never reads an old file. */
export function cachedFileName(vocabulary: PinnedVocabulary): string {
  return `${vocabulary.id}-${vocabulary.sha256.slice(0, 16)}.ranks`;
}

/** The vocabulary's compact form from the first place that has a verified copy, or undefined. Never throws for a missing or bad file. */
export async function findVocabulary(vocabulary: PinnedVocabulary, sources: VocabularySources): Promise<FoundVocabulary | undefined> {
  for (const dir of [sources.cacheDir, ...(sources.otherCacheDirs ?? [])]) {
    if (!dir) continue;
    const path = join(dir, cachedFileName(vocabulary));
    const ranks = await readConverted(path, vocabulary);
    if (ranks) return { ranks, place: 'cache', path };
  }
  try {
    for (const folder of sources.folders) {
      const match = await matchInFolder(folder, vocabulary);
      if (match) return await keep(vocabulary, match.bytes, 'folder', match.path, sources);
    }
    if (sources.huggingFaceCache) {
      const match = await matchInHuggingFaceCache(sources.huggingFaceCache, vocabulary);
      if (match) return await keep(vocabulary, match.bytes, 'huggingface-cache', match.path, sources);
    }
  } catch {
    // The pinned file itself cannot be converted: the estimate stays (`tokenizers pull` says why).
  }
  return undefined;
}

/** Converts a verified source file, keeps the result in the cache folder (when there is one) and returns it. */
export async function keep(vocabulary: PinnedVocabulary, source: Uint8Array, place: VocabularyPlace, path: string, sources: Pick<VocabularySources, 'cacheDir'>): Promise<FoundVocabulary> {
  const origin = { source: `${describeLocation(vocabulary.locations[0])} (from ${path})`, sha256: vocabulary.sha256, matchSpecialTokens: vocabulary.matchSpecialTokens };
  const ranks = convertVocabulary(new TextDecoder().decode(source), origin, vocabulary.tiktoken);
  if (sources.cacheDir) {
    try {
      await replaceFileWhole(join(sources.cacheDir, cachedFileName(vocabulary)), ranks);
    } catch {
      // A read-only cache folder costs a conversion per run, not the exact count.
    }
  }
  return { ranks, place, path };
}

/** The bytes of `path` if it is exactly the pinned file (size, then sha256). */
export async function readIfPinned(path: string, vocabulary: PinnedVocabulary): Promise<Uint8Array | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size !== vocabulary.bytes) return undefined;
    const bytes = await readRegularFile(path, vocabulary.bytes);
    return sha256Of(bytes) === vocabulary.sha256 ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** Hex sha256 of `bytes`. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readConverted(path: string, vocabulary: PinnedVocabulary): Promise<Uint8Array | undefined> {
  try {
    // A compact form is at most a few times its source: more is not ours.
    const ranks = await readRegularFile(path, Math.max(vocabulary.bytes * 4, 64 * 1024 * 1024));
    const header = parseVocabularyHeader(new RankTable(ranks).pattern);
    return header?.sha256 === vocabulary.sha256 ? ranks : undefined;
  } catch {
    return undefined;
  }
}

async function matchInFolder(folder: string, vocabulary: PinnedVocabulary): Promise<{ path: string; bytes: Uint8Array } | undefined> {
  let names: string[];
  try {
    names = (await readdir(folder)).slice(0, MAX_FOLDER_ENTRIES);
  } catch {
    return undefined;
  }
  for (const name of names.sort()) {
    const path = join(folder, name);
    const bytes = await readIfPinned(path, vocabulary);
    if (bytes) return { path, bytes };
  }
  return undefined;
}

/** `models--org--repo/snapshots/<commit>/<file>`: the pinned commit first, then any other snapshot with the same bytes. */
async function matchInHuggingFaceCache(hub: string, vocabulary: PinnedVocabulary): Promise<{ path: string; bytes: Uint8Array } | undefined> {
  for (const location of vocabulary.locations) {
    const snapshots = join(hub, `models--${location.repo.replace('/', '--')}`, 'snapshots');
    let commits: string[];
    try {
      commits = (await readdir(snapshots)).slice(0, MAX_FOLDER_ENTRIES);
    } catch {
      continue;
    }
    const ordered = [location.commit, ...commits.filter((commit) => commit !== location.commit).sort()];
    for (const commit of ordered) {
      const path = join(snapshots, commit, location.file);
      const bytes = await readIfPinned(path, vocabulary);
      if (bytes) return { path, bytes };
    }
  }
  return undefined;
}
