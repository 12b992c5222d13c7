import type { PromptSegment, TokenCounter } from '../types';

// OpenAI's documented chat framing (the openai-cookbook "How to count tokens with tiktoken"):
// every message costs 3 tokens plus the tokens of its role and, when present, its name plus 1;
// every reply is primed with 3 more. Models with no published template (the estimates) use it too.
const OPENAI_TOKENS_PER_MESSAGE = 3;
const OPENAI_TOKENS_PER_NAME = 1;
const OPENAI_REPLY_PRIMING_TOKENS = 3;

// Kimi K2's turn headers by role; its template writes none for other roles.
const KIMI_K2_HEADERS: Partial<Record<string, string>> = {
  system: '<|im_system|>system<|im_middle|>',
  user: '<|im_user|>user<|im_middle|>',
  assistant: '<|im_assistant|>assistant<|im_middle|>',
  tool: '<|im_system|>tool<|im_middle|>',
};

/** What a family's chat template puts around the conversation and around each message. */
interface ChatTemplate {
  /** Before the first message; Kimi K2's depends on whether the chat opens with a system prompt. */
  start: string | ((messages: readonly PromptSegment[]) => string);
  /** The generation prompt that primes the reply. */
  reply: string;
  /** Before and after a message of `role`. */
  message: (role: string) => [string, string];
}

/**
 * The open families' chat templates (tokenizer_config.json `chat_template`, generation prompt on),
 * reduced to what surrounds each message and the conversation. Their special tokens are counted by
 * the family's own counter, which matches them as single tokens.
 */
const TEMPLATES: Partial<Record<string, ChatTemplate>> = {
  // Llama 3.0's template; 3.1 and later also add a dated system header (about 15-25 tokens) when they run it.
  llama3: {
    start: '<|begin_of_text|>',
    reply: '<|start_header_id|>assistant<|end_header_id|>\n\n',
    message: (role) => [`<|start_header_id|>${role}<|end_header_id|>\n\n`, '<|eot_id|>'],
  },
  // ChatML, as Qwen 3's template writes it (with thinking on, the default, the reply adds nothing).
  qwen3: {
    start: '',
    reply: '<|im_start|>assistant\n',
    message: (role) => [`<|im_start|>${role}\n`, '<|im_end|>\n'],
  },
  // DeepSeek V3: the system prompt goes in bare after the BOS token; turns are marked by one token each.
  deepseek_v3: {
    start: '<｜begin▁of▁sentence｜>',
    reply: '<｜Assistant｜>',
    message: (role) => (role === 'system' ? ['', ''] : role === 'assistant' ? ['<｜Assistant｜>', '<｜end▁of▁sentence｜>'] : ['<｜User｜>', '']),
  },
  // Gemma 3 (and Gemini 2.x through its open relative): the assistant is 'model'; the system prompt has no
  // turn of its own but opens the first user turn, followed by a blank line.
  gemma3: {
    start: '<bos>',
    reply: '<start_of_turn>model\n',
    message: (role) => (role === 'system' ? ['', '\n\n'] : [`<start_of_turn>${role === 'assistant' ? 'model' : role}\n`, '<end_of_turn>\n']),
  },
  // Kimi K2: the template of moonshotai/Kimi-K2-Instruct as llama.cpp keeps it
  // (ggml-org/llama.cpp models/templates/moonshotai-Kimi-K2.jinja). A chat without a system prompt gets
  // a default one; tool results are system-marked turns.
  kimi_k2: {
    start: (messages) => (messages[0]?.role === 'system' ? '' : '<|im_system|>system<|im_middle|>You are a helpful assistant<|im_end|>'),
    reply: '<|im_assistant|>assistant<|im_middle|>',
    message: (role) => [KIMI_K2_HEADERS[role] ?? '', '<|im_end|>'],
  },
  // GLM-4.5 and 4.6: zai-org's template as llama.cpp keeps it (ggml-org/llama.cpp
  // models/templates/GLM-4.6.jinja), rendered as transformers does (trim_blocks). Past assistant turns
  // carry an empty think block; the reply is primed with the bare assistant token (thinking left on).
  glm45: {
    start: '[gMASK]<sop>',
    reply: '<|assistant|>',
    message: (role) =>
      role === 'assistant'
        ? ['<|assistant|>\n<think></think>\n', '']
        : role === 'tool'
          ? ['<|observation|>\n<tool_response>\n', '\n</tool_response>']
          : [role === 'system' ? '<|system|>\n' : '<|user|>\n', ''],
  },
  // Qwen 3.5 / 3.6: ChatML as Qwen 3, with the reply opening a think block (thinking on, the default).
  // Qwen's own file was not readable here; this is the framing of two copies built on it that agree
  // (w32zhong/qwen3.6-fp8-config-fix and Li-Lee/vllm-qwen3.5-nvfp4-5090, chat_template.jinja).
  qwen35: {
    start: '',
    reply: '<|im_start|>assistant\n<think>\n',
    message: (role) => (role === 'tool' ? ['<|im_start|>user\n<tool_response>\n', '\n</tool_response><|im_end|>\n'] : [`<|im_start|>${role}\n`, '<|im_end|>\n']),
  },
  // DeepSeek V4 has no Jinja template but a reference encoder (deepseek-ai/DeepSeek-V4-Pro
  // encoding/encoding_dsv4.py and encoding/README.md), thinking mode: the system prompt bare after BOS,
  // `<｜User｜>` before each user turn, `<｜Assistant｜></think>` before a past answer and EOS after it,
  // `<｜Assistant｜><think>` for the reply. Tool results become user turns.
  deepseek_v4: {
    start: '<｜begin▁of▁sentence｜>',
    reply: '<｜Assistant｜><think>',
    message: (role) => (role === 'system' ? ['', ''] : role === 'assistant' ? ['<｜Assistant｜></think>', '<｜end▁of▁sentence｜>'] : ['<｜User｜>', '']),
  },
  // Gemma 4 (and Gemini 3.1+ through it): google/gemma-4-31B-it's template as llama.cpp keeps it
  // (ggml-org/llama.cpp models/templates/gemma4.jinja): the system prompt has a turn of its own, the
  // assistant is 'model', and with thinking off (the default) the reply opens an empty thought channel.
  gemma4: {
    start: '<bos>',
    reply: '<|turn>model\n<|channel>thought\n<channel|>',
    message: (role) => [`<|turn>${role === 'assistant' ? 'model' : role}\n`, '<turn|>\n'],
  },
};

// Mistral's tekken templates (mistral-common): `<s>`, then `[INST]…[/INST]` around each user turn and
// `</s>` after each assistant turn; a system prompt is put before the last user message with a blank line.
// Its special tokens are never matched in text, so they are counted here, one token each.
const TEKKEN_START = 1;
const TEKKEN_PER_USER = 2;
const TEKKEN_PER_ASSISTANT = 1;
const TEKKEN_PER_SYSTEM = 1;

/** Framing tokens of a chat counted with `counter`: the family's template around the messages, or OpenAI's rule. */
export function chatFramingTokens(messages: readonly PromptSegment[], counter: TokenCounter): number {
  if (messages.length === 0) return 0;
  const template = TEMPLATES[counter.tokenizer];
  if (template) {
    const start = typeof template.start === 'string' ? template.start : template.start(messages);
    let tokens = counter.count(start) + counter.count(template.reply);
    for (const message of messages) {
      const [before, after] = template.message(message.role ?? 'user');
      tokens += counter.count(before) + counter.count(after);
    }
    return tokens;
  }
  if (counter.tokenizer === 'tekken') {
    let tokens = TEKKEN_START;
    for (const { role } of messages) tokens += role === 'assistant' ? TEKKEN_PER_ASSISTANT : role === 'system' ? TEKKEN_PER_SYSTEM : TEKKEN_PER_USER;
    return tokens;
  }
  let tokens = OPENAI_REPLY_PRIMING_TOKENS;
  for (const message of messages) {
    tokens += OPENAI_TOKENS_PER_MESSAGE + counter.count(message.role ?? '');
    if (message.name !== undefined) tokens += OPENAI_TOKENS_PER_NAME + counter.count(message.name);
  }
  return tokens;
}
