import type { TokenizerId } from '../types';

// Family rules, so that new ids of a family (gpt-5.5, o4-mini-deep-research, llama-3.3-70b-specdec)
// are covered without a list. A family is counted exactly only where its published vocabulary is
// the one shipped (see tokenize/vocabularies.ts); other models are estimates.
const O200K = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|gpt-oss|codex)(?![a-z0-9])/;
const CL100K = /^(gpt-4|gpt-3\.5|text-embedding-3)(?![a-z0-9])/;
// Qwen 3 with open weights (3.5 and later have another vocabulary; Max, Plus, Flash and Turbo are API-only, unpublished).
const QWEN3 = /(^|[-_])qwen-?3(?![.p]?\d)(?!.*-(max|plus|flash|turbo)(?![a-z]))/;
// Llama 3.0-3.3 and their fine-tunes (Llama Guard 2 and 3, Nemotron, Hermes, DeepSeek's Llama distills).
const LLAMA3 = /((^|[-_])llama-?v?3([._p-]\d+)?(?![\d.])|^llama-guard-[23](?!\d)|distill-llama)/;
// DeepSeek V3.x and R1, which share V3's vocabulary (not the R1 distills into Llama and Qwen, not V4).
const DEEPSEEK_V3 = /^deepseek(-chat|-reasoner|-v3(p\d)?|_v3|-r1(?!-distill)|-prover-v2)(?![a-z])/;
// tekken as published with Mistral NeMo (2407): NeMo, Pixtral 12B and Ministral 3B/8B (2410).
const TEKKEN = /^(open-)?(mistral-nemo|pixtral-12b|ministral-[38]b(-2410|-latest)?$)(?![a-z])|nemo-12b$/;
// Fetched on demand (tokenize/sources/pinnedVocabularies.ts), estimated until a verified copy is present.
// Kimi K2 and its updates (0905, turbo, thinking), taken to share K2's tiktoken.model; K2.5 and later stay
// estimates until their files are checked.
const KIMI_K2 = /^kimi-k2(?![.p\d])/;
// GLM-4.5 (and Air, V) and GLM-4.6, taken to share GLM-4.5's tokenizer.json.
const GLM45 = /^glm-4\.[56](?!\d)/;
// Qwen 3.5 and 3.6 with open weights (the API-only Max, Plus, Flash and Turbo are left to the estimate, as for Qwen 3).
const QWEN35 = /(^|[-_])qwen-?3[.p][56](?!\d)(?!.*-(max|plus|flash|turbo)(?![a-z]))/;
const DEEPSEEK_V4 = /^deepseek-v4(?!\d)/;

// Claude: Opus 4.7 brought a new tokenizer (about 1-1.35× the tokens of before); later generations are taken to keep it.
const CLAUDE = /^claude-(?:(?:opus|sonnet|haiku)-)?(\d+)(?:[-.](\d))?(?!\d)/;
// Gemma 3's vocabulary: Google's own local tokenizer (google-genai's LocalTokenizer) for Gemini 2.0,
// 2.5 and the gemini-3 previews. gemini-3.1 and later use Gemma 4's; Gemma 1/2 and Gemini 1.x an older one.
const GEMMA3 = /^(gemma-?3(?![.\d])|gemini-(live-)?2\.[05](?!\d)|gemini-3-)/;
// Gemma 4's vocabulary, fetched on request: gemini-3.1 and later (Google's SDKs map them to it) and Gemma 4.
const GEMMA4 = /^(gemma-?4(?![.\d])|gemini-3\.[1-9](?!\d))/;
// The other Gemini and Gemma models: estimated from Gemma 3's measured ratio.
const GEMINI = /^(gemini|gemma)-/;

/**
 * The tokenizer a model id counts with: a published vocabulary for its family (shipped, or fetched on
 * demand and estimated until it is present), else the family's
 * estimate profile (Claude, Gemini), else the generic estimate.
 * A reseller's id counts as the model it resells: 'openai/gpt-4o', 'azure/gpt-4.1',
 * 'openai.gpt-oss-120b-1:0', 'groq/llama-3.3-70b-versatile', 'aws/meta.llama3-1-70b-instruct-v1:0'.
 */
export function tokenizerForModel(id: string): TokenizerId {
  const lower = id.toLowerCase();
  const model = lower.slice(lower.lastIndexOf('/') + 1).replace(/^(openai|meta|qwen|mistral|deepseek|google)\./, '');
  // o200k first: 'gpt-4o' and 'gpt-4.1' also start with 'gpt-4'.
  if (O200K.test(model)) return 'o200k_base';
  if (CL100K.test(model)) return 'cl100k_base';
  // Qwen before DeepSeek: 'deepseek-r1-0528-qwen3-8b' is a Qwen 3 model.
  if (QWEN3.test(model)) return 'qwen3';
  if (LLAMA3.test(model)) return 'llama3';
  if (DEEPSEEK_V3.test(model)) return 'deepseek_v3';
  if (TEKKEN.test(model)) return 'tekken';
  if (GEMMA3.test(model)) return 'gemma3';
  if (GEMMA4.test(model)) return 'gemma4';
  if (KIMI_K2.test(model)) return 'kimi_k2';
  if (GLM45.test(model)) return 'glm45';
  if (QWEN35.test(model)) return 'qwen35';
  if (DEEPSEEK_V4.test(model)) return 'deepseek_v4';
  return estimateForModel(model);
}

function estimateForModel(model: string): TokenizerId {
  if (GEMINI.test(model)) return 'estimate-gemini';
  const claude = CLAUDE.exec(model);
  if (claude) {
    const major = Number(claude[1]);
    const minor = Number(claude[2] ?? 0);
    return major > 4 || (major === 4 && minor >= 7) ? 'estimate-claude-4.7' : 'estimate-claude';
  }
  return 'estimate';
}
