import type { CustomTokenizerId, VocabularyTokenizerId } from '../types';
import { customVocabularyInfo, isCustomTokenizer } from './customVocabularies';
import { describeLocation, FETCHED_VOCABULARY_IDS, PINNED_VOCABULARIES, type FetchedVocabularyId } from './sources/pinnedVocabularies';

/** A tokenizer the core counts exactly with, from a vocabulary file shipped with Prompt Budget. */
export type VocabularyId = VocabularyTokenizerId;

/** What users are told about a vocabulary: its name, where it comes from and under which licence it ships. */
export interface VocabularyInfo {
  /** Short name for tooltips and tables: 'Llama 3', 'o200k_base'. */
  label: string;
  /** The file next to the bundle (dist/) the counter loads; none for a vocabulary fetched on demand. */
  fileName?: string;
  /** Where the vocabulary was published, with the commit it was taken from. */
  source: string;
  licence: string;
}

/** Every vocabulary the core counts exactly with. */
export const VOCABULARIES: Readonly<Record<VocabularyId, VocabularyInfo>> = {
  o200k_base: { label: 'o200k_base', fileName: 'o200k_base.ranks', source: 'OpenAI tiktoken (via js-tiktoken)', licence: 'MIT' },
  cl100k_base: { label: 'cl100k_base', fileName: 'cl100k_base.ranks', source: 'OpenAI tiktoken (via js-tiktoken)', licence: 'MIT' },
  llama3: {
    label: 'Llama 3',
    fileName: 'llama3.ranks',
    source: "Meta's tokenizer.json, as in nvidia/Llama3-ChatQA-1.5-8B@3b98162e",
    licence: 'Llama 3 Community License',
  },
  qwen3: { label: 'Qwen 3', fileName: 'qwen3.ranks', source: 'Qwen/Qwen3-8B@b968826d tokenizer.json', licence: 'Apache-2.0' },
  deepseek_v3: { label: 'DeepSeek V3', fileName: 'deepseek_v3.ranks', source: 'deepseek-ai/DeepSeek-V3@e815299b tokenizer.json', licence: 'DeepSeek Model License' },
  tekken: { label: 'Mistral tekken', fileName: 'tekken.ranks', source: 'mistralai/Mistral-Nemo-Instruct-2407@04d8a905 tokenizer.json', licence: 'Apache-2.0' },
  // Google's own local tokenizer for Gemini 2.0/2.5 and the gemini-3 previews (google-genai SDKs' LocalTokenizer).
  gemma3: { label: 'Gemma 3', fileName: 'gemma3.ranks', source: "Google's tokenizer.json, as in unsloth/gemma-3-27b-it@7a5a3053", licence: 'Gemma Terms of Use' },
  ...fetchedVocabularies(),
};

function fetchedVocabularies(): Record<FetchedVocabularyId, VocabularyInfo> {
  const infos = {} as Record<FetchedVocabularyId, VocabularyInfo>;
  for (const id of FETCHED_VOCABULARY_IDS) {
    const { label, locations, licence } = PINNED_VOCABULARIES[id];
    infos[id] = { label, source: describeLocation(locations[0]), licence };
  }
  return infos;
}

/** The ids of VOCABULARIES, OpenAI's first. */
export const VOCABULARY_IDS = Object.keys(VOCABULARIES) as VocabularyId[];

/** Which vocabulary counted, for tooltips and tables: 'o200k_base', 'Qwen 3 (Qwen/Qwen3-8B@b968826d tokenizer.json)'. */
export function describeVocabulary(tokenizer: string): string {
  if (isCustomTokenizer(tokenizer)) {
    const { label, source } = customVocabularyInfo(tokenizer);
    return `${label} (${source})`;
  }
  if (!Object.hasOwn(VOCABULARIES, tokenizer) || tokenizer === 'o200k_base' || tokenizer === 'cl100k_base') return tokenizer;
  const { label, source } = VOCABULARIES[tokenizer as VocabularyId];
  return `${label} (${source})`;
}

/** A counting vocabulary's label and source: a published one's, or a custom file's (customVocabularies.ts). */
export function vocabularyInfo(tokenizer: VocabularyId | CustomTokenizerId): Pick<VocabularyInfo, 'label' | 'source'> {
  return isCustomTokenizer(tokenizer) ? customVocabularyInfo(tokenizer) : VOCABULARIES[tokenizer as VocabularyId];
}
