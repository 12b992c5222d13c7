import type { CustomTokenizerId } from '../types';

/** What users are told about a vocabulary file a config names. */
export interface CustomVocabularyInfo {
  /** 'custom tokenizer.json', 'custom tiktoken'. */
  label: string;
  /** The file as the config names it, and its sha256 prefix: './tokenizers/acme/tokenizer.json, sha256 1a2b3c4d5e6f'. */
  source: string;
}

// Per process: what the resolver (or a load of the converted file) found out about each custom id,
// and the compact forms ready to count with.
const infos = new Map<CustomTokenizerId, CustomVocabularyInfo>();
const ranksById = new Map<CustomTokenizerId, Uint8Array>();

/** True for the id of a vocabulary file named in a config. */
export function isCustomTokenizer(id: string): id is CustomTokenizerId {
  return /^custom:[0-9a-f]{12}$/.test(id);
}

/** The id of a vocabulary file: derived from its content, so the same file has the same id wherever it is. */
export function customTokenizerId(sha256: string): CustomTokenizerId {
  return `custom:${sha256.slice(0, 12)}`;
}

/** Records how a custom vocabulary is described in tooltips and tables. */
export function describeCustomVocabularyAs(id: CustomTokenizerId, info: CustomVocabularyInfo): void {
  infos.set(id, info);
}

/** How `id` is described: as recorded, else by its hash alone. */
export function customVocabularyInfo(id: CustomTokenizerId): CustomVocabularyInfo {
  return infos.get(id) ?? { label: 'custom tokenizer', source: `sha256 ${id.slice('custom:'.length)}` };
}

/** Makes a custom vocabulary's compact form countable in this process (loadTokenCounter reads it from here). */
export function registerCustomVocabulary(id: CustomTokenizerId, ranks: Uint8Array): void {
  if (!ranksById.has(id)) ranksById.set(id, ranks);
}

/** The compact form of custom vocabulary `id`, if registered in this process. */
export function registeredCustomVocabulary(id: CustomTokenizerId): Uint8Array | undefined {
  return ranksById.get(id);
}
