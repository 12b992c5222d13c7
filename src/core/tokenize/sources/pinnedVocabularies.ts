import type { EstimateTokenizerId, FetchedTokenizerId } from '../../types';
import type { TiktokenConventions } from '../tiktokenRanks';

/** The vocabularies not shipped with Prompt Budget, counted exactly once a verified copy is on this machine. */
export type FetchedVocabularyId = FetchedTokenizerId;

/** A place a vocabulary file is published: a Hugging Face repository at a commit. */
export interface PinnedLocation {
  repo: string;
  commit: string;
  file: string;
}

/** A vocabulary file pinned by size and sha256, with every place it may be taken from. */
export interface PinnedVocabulary {
  id: FetchedVocabularyId | string;
  /** Short name for tooltips and tables: 'Kimi K2'. */
  label: string;
  licence: string;
  bytes: number;
  sha256: string;
  /** Places with this very file (same sha256), tried in order. */
  locations: readonly PinnedLocation[];
  /** For a tiktoken ranks file, which does not carry them: its pattern and special tokens. */
  tiktoken?: TiktokenConventions;
  /** Whether special-token literals in prompt text count as one token each. */
  matchSpecialTokens: boolean;
  /** The estimate that counts until a verified copy is here; the generic one unless the family has its own. */
  standIn?: EstimateTokenizerId;
  /** The repository is gated: a download needs a Hugging Face token (HF_TOKEN) of an account that accepted its terms. */
  gated?: boolean;
}

// tokenization_kimi.py's TikTokenTokenizer.pat_str (moonshotai/Kimi-K2-Instruct): Han runs on their
// own, letters other than Han, digits in threes, then cl100k's tail.
const KIMI_K2_PATTERN = [
  '[\\p{Han}]+',
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}&&[^\\p{Han}]]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}&&[^\\p{Han}]]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}&&[^\\p{Han}]]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}&&[^\\p{Han}]]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
  '\\p{N}{1,3}',
  ' ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*',
  '\\s*[\\r\\n]+',
  '\\s+(?!\\S)',
  '\\s+',
].join('|');

// The named special tokens of tokenization_kimi.py and its chat template; Kimi's encode() matches them in text.
const KIMI_K2_SPECIAL_TOKENS = ['[BOS]', '[EOS]', '[EOT]', '<|im_end|>', '<|im_user|>', '<|im_assistant|>', '<|im_system|>', '<|im_middle|>', '<|start_header_id|>', '<|end_header_id|>'];

/**
 * The pinned sources of the families fetched on demand (docs/tokenizers.md). Sizes and hashes are
 * from the public pin lists in the research notes; none of these files has been converted here yet,
 * so each is checked again when it arrives (size, sha256, then the converter's own checks).
 */
export const PINNED_VOCABULARIES: Readonly<Record<FetchedVocabularyId, PinnedVocabulary>> = {
  kimi_k2: {
    id: 'kimi_k2',
    label: 'Kimi K2',
    licence: 'Modified MIT License',
    bytes: 2_795_286,
    sha256: 'b6c497a7469b33ced9c38afb1ad6e47f03f5e5dc05f15930799210ec050c5103',
    locations: [{ repo: 'moonshotai/Kimi-K2-Instruct', commit: 'fd1984e2b7a3350dbf7305fe73a4ede25c14de50', file: 'tiktoken.model' }],
    tiktoken: { pattern: KIMI_K2_PATTERN, specialTokens: KIMI_K2_SPECIAL_TOKENS },
    matchSpecialTokens: true,
  },
  glm45: {
    id: 'glm45',
    label: 'GLM-4.5',
    licence: 'MIT',
    bytes: 19_970_699,
    sha256: '9340665016419c825c4bdabbcc9acc43b7ca2c68ce142724afa829abb1be5efd',
    locations: [{ repo: 'zai-org/GLM-4.5', commit: 'cbb2c7cfb52fa128a9660cb1a7a78e017899e115', file: 'tokenizer.json' }],
    matchSpecialTokens: true,
  },
  qwen35: {
    id: 'qwen35',
    label: 'Qwen 3.5',
    licence: 'Apache-2.0',
    bytes: 12_807_982,
    sha256: '5f9e4d4901a92b997e463c1f46055088b6cca5ca61a6522d1b9f64c4bb81cb42',
    locations: [{ repo: 'Qwen/Qwen3.5-9B', commit: 'c202236235762e1c871ad0ccb60c8ee5ba337b9a', file: 'tokenizer.json' }],
    matchSpecialTokens: true,
  },
  // Google's SDKs count gemini-3.1-pro-preview, gemini-3.1-flash-lite and gemini-3.5-flash with Gemma 4's
  // tokenizer; until it is here, the Gemini estimate (fitted to Gemma 3) counts them.
  gemma4: {
    id: 'gemma4',
    label: 'Gemma 4',
    licence: 'Apache-2.0 (Google: the Gemma Terms of Use of April 2026 send Gemma 4 to ai.google.dev/gemma/apache_2)',
    bytes: 32_169_626,
    sha256: 'cc8d3a0ce36466ccc1278bf987df5f71db1719b9ca6b4118264f45cb627bfe0f',
    locations: [{ repo: 'google/gemma-4-31B-it', commit: '842da3794eaa0b77d5f08bae87a17459d91ff475', file: 'tokenizer.json' }],
    matchSpecialTokens: true,
    standIn: 'estimate-gemini',
    gated: true,
  },
  deepseek_v4: {
    id: 'deepseek_v4',
    label: 'DeepSeek V4',
    licence: 'see the repository (not checked here)',
    bytes: 6_367_146,
    sha256: '8f9f37ca37fdc4f5fd36d5cf4d3b0e8392edb4e894fd10cc0d70b4957c8633cf',
    locations: [{ repo: 'deepseek-ai/DeepSeek-V4-Pro', commit: 'b5968e9190ef611bbf34a7229255be88a0e937c1', file: 'tokenizer.json' }],
    matchSpecialTokens: true,
  },
};

/** The ids of PINNED_VOCABULARIES. */
export const FETCHED_VOCABULARY_IDS = Object.keys(PINNED_VOCABULARIES) as FetchedVocabularyId[];

/** True for the vocabularies fetched on demand. */
export function isFetchedVocabulary(id: string): id is FetchedVocabularyId {
  return Object.hasOwn(PINNED_VOCABULARIES, id);
}

/** `repo@commit8 file`, for headers and tables. */
export function describeLocation(location: PinnedLocation): string {
  return `${location.repo}@${location.commit.slice(0, 8)} ${location.file}`;
}

/** The download URLs of a vocabulary, through `endpoint` (HF_ENDPOINT, a mirror) when given. */
export function pinnedUrls(vocabulary: PinnedVocabulary, endpoint = 'https://huggingface.co'): string[] {
  const base = endpoint.replace(/\/+$/, '');
  return vocabulary.locations.map((location) => `${base}/${location.repo}/resolve/${location.commit}/${location.file}`);
}

/**
 * Whether a count made with `counted` is the count `expected` gives today: the same tokenizer, or the
 * estimate standing in for a fetched vocabulary not on this machine or a custom one not converted here.
 */
export function countsAs(expected: string, counted: string): boolean {
  return counted === expected || (isFetchedVocabulary(expected) && counted === standInEstimate(expected)) || (expected.startsWith('custom:') && counted === 'estimate');
}

/** The estimate a fetched vocabulary counts as until a verified copy is on this machine. */
export function standInEstimate(id: FetchedVocabularyId): EstimateTokenizerId {
  return PINNED_VOCABULARIES[id].standIn ?? 'estimate';
}
