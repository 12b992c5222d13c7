import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { chatFramingTokens } from '../../src/core/tokenize/chatFraming';
import { loadTokenCounter } from '../../src/core/tokenize/tokenCounter';
import type { PromptSegment, TokenCounter, TokenizerId } from '../../src/core/types';

// The fetched families' vocabularies are not on this machine, so these tests count with a stand-in that
// shows the structure: each of the family's special tokens is one token (as its own counter matches
// them), the text between them is counted with o200k_base ("user", "assistant", "\n" are one token
// there as in every one of these vocabularies).
const SPECIAL_TOKENS: Record<'kimi_k2' | 'glm45' | 'qwen35' | 'deepseek_v4' | 'gemma4', string[]> = {
  kimi_k2: ['<|im_system|>', '<|im_user|>', '<|im_assistant|>', '<|im_middle|>', '<|im_end|>'],
  glm45: ['[gMASK]', '<sop>', '<|system|>', '<|user|>', '<|assistant|>', '<|observation|>', '<think>', '</think>'],
  qwen35: ['<|im_start|>', '<|im_end|>', '<think>', '</think>'],
  deepseek_v4: ['<｜begin▁of▁sentence｜>', '<｜end▁of▁sentence｜>', '<｜User｜>', '<｜Assistant｜>', '<think>', '</think>'],
  gemma4: ['<bos>', '<|turn>', '<turn|>', '<|channel>', '<channel|>'],
};

function structureCounter(tokenizer: TokenizerId, specialTokens: readonly string[], text: TokenCounter): TokenCounter {
  const special = new RegExp(specialTokens.map((token) => token.replace(/[|[\]]/g, '\\$&')).join('|'), 'g');
  return {
    tokenizer,
    exact: false,
    count(value: string): number {
      let tokens = 0;
      let last = 0;
      for (const match of value.matchAll(special)) {
        tokens += text.count(value.slice(last, match.index)) + 1;
        last = match.index + match[0].length;
      }
      return tokens + text.count(value.slice(last));
    },
    tokenBoundaries: () => [],
  };
}

function segment(role: string, text: string): PromptSegment {
  return { label: role, role, text, range: { start: 0, end: 0 } };
}

describe('chat framing of the families fetched on demand', () => {
  let o200k: TokenCounter;
  const counters = {} as Record<keyof typeof SPECIAL_TOKENS, TokenCounter>;

  before(async () => {
    o200k = await loadTokenCounter('o200k_base');
    for (const id of Object.keys(SPECIAL_TOKENS) as Array<keyof typeof SPECIAL_TOKENS>) counters[id] = structureCounter(id, SPECIAL_TOKENS[id], o200k);
  });

  const system = segment('system', 'You are terse.');
  const user = segment('user', 'Summarise this report in French.');
  const answer = segment('assistant', 'Le rapport est bon.');
  const followUp = segment('user', 'Shorter.');

  // Each chat as its family's template renders it, generation prompt on.
  const rendered: Array<{ id: keyof typeof SPECIAL_TOKENS; messages: PromptSegment[]; text: string; framing: number; why: string }> = [
    {
      id: 'kimi_k2',
      messages: [system, user],
      text: '<|im_system|>system<|im_middle|>You are terse.<|im_end|><|im_user|>user<|im_middle|>Summarise this report in French.<|im_end|><|im_assistant|>assistant<|im_middle|>',
      framing: 11,
      why: 'a header of three tokens per turn (marker, role, <|im_middle|>) and <|im_end|>: 4 + 4, and 3 for the reply',
    },
    {
      id: 'kimi_k2',
      messages: [user],
      text: '<|im_system|>system<|im_middle|>You are a helpful assistant<|im_end|><|im_user|>user<|im_middle|>Summarise this report in French.<|im_end|><|im_assistant|>assistant<|im_middle|>',
      framing: 16,
      why: 'without a system prompt the template adds its default one: 3 + 5 words + 1, then 4 for the user turn and 3 for the reply',
    },
    {
      id: 'glm45',
      messages: [system, user, answer, followUp],
      text: '[gMASK]<sop><|system|>\nYou are terse.<|user|>\nSummarise this report in French.<|assistant|>\n<think></think>\nLe rapport est bon.<|user|>\nShorter.<|assistant|>',
      framing: 14,
      why: '[gMASK]<sop>, 2 per system or user turn (token and line break), 5 for the past answer (its empty think block), 1 for the reply',
    },
    {
      id: 'qwen35',
      messages: [system, user],
      text: '<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nSummarise this report in French.<|im_end|>\n<|im_start|>assistant\n<think>\n',
      framing: 15,
      why: 'ChatML: 5 per turn, and 5 for the reply with its opening think block',
    },
    {
      id: 'deepseek_v4',
      messages: [system, user, answer, followUp],
      text: '<｜begin▁of▁sentence｜>You are terse.<｜User｜>Summarise this report in French.<｜Assistant｜></think>Le rapport est bon.<｜end▁of▁sentence｜><｜User｜>Shorter.<｜Assistant｜><think>',
      framing: 8,
      why: 'BOS, the system prompt bare, 1 per user turn, 3 around the past answer, 2 for the reply',
    },
    {
      id: 'gemma4',
      messages: [system, user],
      text: '<bos><|turn>system\nYou are terse.<turn|>\n<|turn>user\nSummarise this report in French.<turn|>\n<|turn>model\n<|channel>thought\n<channel|>',
      framing: 18,
      why: '<bos>, 5 per turn (the system prompt has its own), 7 for the reply with its empty thought channel',
    },
  ];

  for (const { id, messages, text, framing, why } of rendered) {
    test(`${id}: a chat of ${messages.map((message) => message.role).join(', ')} counts as its chat template renders it (${why})`, () => {
      const counter = counters[id];
      const content = messages.reduce((sum, message) => sum + counter.count(message.text), 0);
      assert.equal(chatFramingTokens(messages, counter), framing);
      assert.equal(content + framing, counter.count(text));
    });
  }

  test("until the vocabulary is here, the stand-in estimate frames the chat by OpenAI's rule", () => {
    const estimate: TokenCounter = { tokenizer: 'estimate', exact: false, count: (text) => o200k.count(text), tokenBoundaries: () => [] };
    // 3 per message plus its role (1 token each), 3 for the reply.
    assert.equal(chatFramingTokens([system, user], estimate), 11);
  });
});
