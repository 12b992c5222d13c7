// The vocabulary files a config names (`models.<id>.tokenizer: ./tokenizer.json` or `hf:org/repo[@rev]`):
// found, read (bounded), converted once to the compact form kept in the cache folder by content hash,
// and made countable under an id derived from that content. Node only: the CLI, the library and the
// editor's host call it; the count worker reads the converted file from the same cache folder.
import { stat } from 'node:fs/promises';
import { replaceFileWhole } from '../../io/replaceFileWhole';
import { isAbsolute, join, resolve } from 'node:path';
import type { BudgetConfig } from '../../config/budgetConfig';
import type { BudgetConfigRead } from '../../config/readBudgetConfig';
import { readRegularFile } from '../../io/readRegularFile';
import type { CustomTokenizerId, CustomTokenizerSpec, ModelOverride, Problem } from '../../types';
import { O200K_PATTERN } from '../asciiPieces';
import { convertVocabulary, vocabularyFormatOf } from '../convertVocabulary';
import { customTokenizerId, describeCustomVocabularyAs, registerCustomVocabulary, type CustomVocabularyInfo } from '../customVocabularies';
import { RankTable } from '../rankTable';
import { parseVocabularyHeader } from '../vocabularyHeader';
import { sha256Of, type VocabularySources } from './vocabularyFiles';

/** The largest vocabulary file read (the largest published tokenizer.json files are about 33 MB). */
export const CUSTOM_TOKENIZER_MAX_BYTES = 64 * 1024 * 1024;

/** The rule of a problem with a config's custom tokenizer (docs/rules.md). */
export const CUSTOM_TOKENIZER_RULE = 'tokenizer-file';

/** File names looked for in a Hugging Face repository, in order. */
const HF_FILES = ['tokenizer.json', 'tekken.json', 'tiktoken.model'];

/** The config with each custom tokenizer replaced by its id (the estimate where it could not be used), and why not. */
export interface ResolvedCustomTokenizers {
  config: BudgetConfig;
  problems: Problem[];
}

/** A custom vocabulary found and converted. */
interface CustomVocabulary {
  id: CustomTokenizerId;
  info: CustomVocabularyInfo;
}

// Per process: a file already converted, by path, size and modification time, so a config reload
// does not read and hash it again.
const converted = new Map<string, CustomVocabulary>();

/**
 * Resolves every `models.<id>.tokenizer` that names a file or `hf:` repository: `configDir` is the
 * folder relative paths start from, `configFile` names the config in problems. A model whose file is
 * missing, too large or of an unsupported kind keeps the estimate, with a problem on its config line.
 */
export async function resolveCustomTokenizers(config: BudgetConfig, configDir: string, configFile: string, sources: VocabularySources): Promise<ResolvedCustomTokenizers> {
  if (!config.models.some((model) => model.tokenizerFile)) return { config, problems: [] };
  const problems: Problem[] = [];
  const models: ModelOverride[] = [];
  for (const model of config.models) {
    const spec = model.tokenizerFile;
    if (!spec) {
      models.push(model);
      continue;
    }
    try {
      const found = await findCustomVocabulary(spec.spec, configDir, sources);
      if ('missing' in found) {
        problems.push(problemAt(configFile, spec, 'warning', `${found.missing} '${model.id}' counts as an estimate (≈) until it is there.`));
        models.push(model);
        continue;
      }
      const vocabulary = await loadCustomVocabulary(found.path, found.describe, sources);
      models.push({ ...model, tokenizer: vocabulary.id });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(problemAt(configFile, spec, 'error', `Tokenizer '${spec.spec}' ${reason}; '${model.id}' counts as an estimate (≈).`));
      models.push(model);
    }
  }
  return { config: { ...config, models }, problems };
}

/**
 * A config as read (readBudgetConfig), with its custom tokenizers resolved and their problems added:
 * the one step the CLI, the library and the editor take after reading a config.
 */
export async function withCustomTokenizers(read: BudgetConfigRead | undefined, configDir: string, sources: VocabularySources): Promise<BudgetConfigRead | undefined> {
  const config = read?.parsed.config;
  if (!read || !config) return read;
  const resolved = await resolveCustomTokenizers(config, configDir, read.file, sources);
  if (resolved.problems.length === 0 && resolved.config === config) return read;
  return { ...read, parsed: { config: resolved.config, problems: [...read.parsed.problems, ...resolved.problems] } };
}

/** The compact form of custom vocabulary `id` in `cacheDir`, if an earlier run converted it there. */
export async function readConvertedCustomVocabulary(cacheDir: string, id: CustomTokenizerId): Promise<Uint8Array | undefined> {
  try {
    const ranks = await readRegularFile(join(cacheDir, convertedFileName(id)), CUSTOM_TOKENIZER_MAX_BYTES * 4);
    const header = parseVocabularyHeader(new RankTable(ranks).pattern);
    return header && customTokenizerId(header.sha256) === id ? ranks : undefined;
  } catch {
    return undefined;
  }
}

/** Where the file of a custom tokenizer is: a path, or a repository's snapshot found on this machine. */
type FoundFile = { path: string; describe: (sha256: string) => string } | { missing: string };

async function findCustomVocabulary(spec: string, configDir: string, sources: VocabularySources): Promise<FoundFile> {
  if (!spec.startsWith('hf:')) {
    const path = isAbsolute(spec) ? spec : resolve(configDir, spec);
    return { path, describe: (sha256) => `${spec}, sha256 ${sha256.slice(0, 12)}` };
  }
  const { repo, revision } = parseHuggingFaceSpec(spec);
  const looked: string[] = [];
  for (const folder of sources.folders) {
    for (const name of HF_FILES) {
      const path = join(folder, ...repo.split('/'), name);
      looked.push(path);
      if (await isFile(path)) return { path, describe: (sha256) => takenAsFound(spec, name, sha256) };
    }
  }
  if (sources.huggingFaceCache) {
    const repoDir = join(sources.huggingFaceCache, `models--${repo.replace('/', '--')}`);
    const commit = /^[0-9a-f]{40}$/.test(revision) ? revision : await readRef(join(repoDir, 'refs', revision));
    if (commit) {
      for (const name of HF_FILES) {
        const path = join(repoDir, 'snapshots', commit, name);
        if (await isFile(path)) return { path, describe: (sha256) => takenAsFound(`hf:${repo}@${commit.slice(0, 8)}`, name, sha256) };
      }
    }
    looked.push(join(repoDir, 'snapshots'));
  }
  return { missing: `No ${HF_FILES.join(', ')} of ${repo}@${revision} in the tokenizer folders or the Hugging Face cache (${looked.join(', ') || 'none set'}); download it with \`huggingface-cli download ${repo} tokenizer.json\`.` };
}

/** A repository's file is not pinned: it is used as found, and its hash shown, never called verified. */
function takenAsFound(where: string, name: string, sha256: string): string {
  return `${where} ${name}, taken as found, sha256 ${sha256.slice(0, 12)}`;
}

/** `hf:org/repo[@rev]`, checked by the config parser; the revision is `main` unless given. */
export function parseHuggingFaceSpec(spec: string): { repo: string; revision: string } {
  const match = /^hf:([\w.-]+\/[\w.-]+)(?:@([\w./-]+))?$/.exec(spec);
  if (!match) throw new Error('is not hf:<org>/<repo>[@<revision>]');
  return { repo: match[1], revision: match[2] ?? 'main' };
}

async function loadCustomVocabulary(path: string, describe: (sha256: string) => string, sources: VocabularySources): Promise<CustomVocabulary> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`cannot be read: there is no file ${path}`);
  }
  if (!info.isFile()) throw new Error(`is not a file (${path})`);
  if (info.size > CUSTOM_TOKENIZER_MAX_BYTES) throw new Error(`is ${info.size} bytes, more than the ${CUSTOM_TOKENIZER_MAX_BYTES / 1024 / 1024} MB read`);
  const key = `${path}\u0000${info.size}\u0000${info.mtimeMs}`;
  const known = converted.get(key);
  if (known) return known;
  const bytes = await readRegularFile(path, CUSTOM_TOKENIZER_MAX_BYTES);
  const sha256 = sha256Of(bytes);
  const id = customTokenizerId(sha256);
  const vocabulary: CustomVocabulary = { id, info: { label: 'custom', source: describe(sha256) } };
  const cached = sources.cacheDir ? await readConvertedCustomVocabulary(sources.cacheDir, id) : undefined;
  const text = cached ? undefined : new TextDecoder().decode(bytes);
  vocabulary.info.label = labelOf(text === undefined ? cached : text);
  const ranks = cached ?? convertCustom(text ?? '', vocabulary.info, sha256);
  if (!cached && sources.cacheDir) await keepConverted(sources.cacheDir, id, ranks);
  registerCustomVocabulary(id, ranks);
  describeCustomVocabularyAs(id, vocabulary.info);
  converted.set(key, vocabulary);
  return vocabulary;
}

/** 'custom tokenizer.json', from the file's text or from the label a converted copy recorded. */
function labelOf(textOrRanks: string | Uint8Array | undefined): string {
  if (typeof textOrRanks === 'string') return `custom ${vocabularyFormatOf(textOrRanks)}`;
  if (!textOrRanks) return 'custom tokenizer';
  return parseVocabularyHeader(new RankTable(textOrRanks).pattern)?.label ?? 'custom tokenizer';
}

/** The compact form of a custom file, or a reason naming what this engine does not count exactly. */
function convertCustom(text: string, info: CustomVocabularyInfo, sha256: string): Uint8Array {
  const format = vocabularyFormatOf(text);
  if (format === 'tokenizer.json') {
    let model: unknown;
    try {
      model = (JSON.parse(text) as { model?: { type?: unknown } }).model;
    } catch {
      throw new Error('is not JSON');
    }
    const type = (model as { type?: unknown } | undefined)?.type;
    if (typeof type !== 'string') throw new Error('is JSON, but neither a Hugging Face tokenizer.json (no model.type) nor a tekken.json');
    if (type !== 'BPE') throw new Error(`is a ${type} tokenizer; only BPE tokenizers (byte-level, or SentencePiece-style with byte_fallback) are counted`);
  }
  const origin = { source: info.source.replace(/, sha256 [0-9a-f]{12}$/, ''), sha256, matchSpecialTokens: format === 'tokenizer.json', label: `custom ${format}` };
  try {
    return convertVocabulary(text, origin, { pattern: O200K_PATTERN, specialTokens: [] });
  } catch (error) {
    throw new Error(`cannot be counted exactly: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function convertedFileName(id: CustomTokenizerId): string {
  return `custom-${id.slice('custom:'.length)}.ranks`;
}

async function keepConverted(cacheDir: string, id: CustomTokenizerId, ranks: Uint8Array): Promise<void> {
  try {
    // Replaced whole, so the count worker never reads half a file.
    await replaceFileWhole(join(cacheDir, convertedFileName(id)), ranks);
  } catch {
    // A read-only cache folder costs a conversion per run; the count worker then counts the estimate.
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The commit a Hugging Face cache ref (`refs/main`) names. */
async function readRef(path: string): Promise<string | undefined> {
  try {
    const commit = new TextDecoder().decode(await readRegularFile(path, 256)).trim();
    return /^[0-9a-f]{40}$/.test(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

function problemAt(file: string, spec: CustomTokenizerSpec, severity: Problem['severity'], message: string): Problem {
  return { file, line: spec.line, column: spec.column, endLine: spec.endLine, endColumn: spec.endColumn, severity, rule: CUSTOM_TOKENIZER_RULE, message };
}
