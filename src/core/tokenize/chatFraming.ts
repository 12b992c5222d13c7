import type { PromptSegment, TokenCounter } from '../types';

// OpenAI's documented chat framing (the openai-cookbook "How to count tokens with tiktoken"):
// every message costs 3 tokens plus the tokens of its role and, when present, its name plus 1;
// every reply is primed with 3 more. Models with no published template (the estimates) use it too.
const OPENAI_TOKENS_PER_MESSAGE = 3;
const OPENAI_TOKENS_PER_NAME = 1;
const OPENAI_REPLY_PRIMING_TOKENS = 3;

/**
 * The open families' chat templates (tokenizer_config.json `chat_template`, generation prompt on),
 * reduced to what surrounds each message and the conversation. Their special tokens are counted by
 * the family's own counter, which matches them as single tokens.
 */
const TEMPLATES: Partial<Record<string, { start: string; reply: string; message: (role: string) => [string, string] }>> = {
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
    let tokens = counter.count(template.start) + counter.count(template.reply);
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
