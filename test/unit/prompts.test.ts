import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { decodePromptText } from '../../src/core/io/decodePromptText';
import { detectPromptFormat } from '../../src/core/prompts/detectPromptFormat';
import { parsePrompt, parsePromptHead } from '../../src/core/prompts/parsePrompt';
import type { ParsedPrompt, PromptFormat, TextRange } from '../../src/core/types';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/prompts');

function fixture(name: string): { text: string; parsed: ParsedPrompt } {
  const text = readFileSync(path.join(fixtures, name), 'utf8');
  return { text, parsed: parsePrompt(name, text) };
}

function slice(text: string, range: TextRange | undefined): string {
  assert.ok(range, 'expected a range');
  return text.slice(range.start, range.end);
}

function bodyOf(parsed: ParsedPrompt): string {
  return parsed.segments.map((segment) => segment.text).join('');
}

describe('detectPromptFormat', () => {
  test('recognises each prompt file by its extension', () => {
    assert.equal(detectPromptFormat('prompts/support.prompt.md'), 'vscode-prompt');
    assert.equal(detectPromptFormat('C:\\repo\\Ask.PROMPT.MD'), 'vscode-prompt');
    assert.equal(detectPromptFormat('basic.prompty'), 'prompty');
    assert.equal(detectPromptFormat('summarizer.prompt.yml'), 'github-prompt');
    assert.equal(detectPromptFormat('summarizer.prompt.yaml'), 'github-prompt');
    assert.equal(detectPromptFormat('notes.md'), 'markdown');
    assert.equal(detectPromptFormat('notes.markdown'), 'markdown');
    assert.equal(detectPromptFormat('ask.txt'), 'text');
  });

  test('leaves other files alone', () => {
    assert.equal(detectPromptFormat('settings.yml'), undefined);
    assert.equal(detectPromptFormat('index.ts'), undefined);
    assert.equal(detectPromptFormat('README'), undefined);
  });

  test('takes a .json file as a prompt only when it is chat-shaped', () => {
    const read = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');
    assert.equal(detectPromptFormat('conversation.json', read('conversation.json')), 'chat-json');
    assert.equal(detectPromptFormat('request.json', read('request.json')), 'chat-json');
    assert.equal(detectPromptFormat('package.json', read('package-like.json')), undefined);
    assert.equal(detectPromptFormat('data.json', '[1, 2, 3]'), undefined);
    assert.equal(detectPromptFormat('empty.json', '[]'), undefined);
    assert.equal(detectPromptFormat('conversation.json'), undefined, 'no text, no way to tell');
  });

  test('keeps a chat JSON file a prompt while it is mid-edit and malformed', () => {
    const text = readFileSync(path.join(fixtures, 'broken-chat.json'), 'utf8');
    assert.equal(detectPromptFormat('broken-chat.json', text), 'chat-json');
    assert.equal(detectPromptFormat('broken.json', '{"name": '), undefined);
  });
});

describe('plain text', () => {
  test('is one segment holding the whole file', () => {
    const { text, parsed } = fixture('summarize.txt');
    assert.equal(parsed.format, 'text');
    assert.equal(parsed.isChat, false);
    assert.equal(parsed.segments.length, 1);
    assert.equal(parsed.segments[0].text, text);
    assert.deepEqual(parsed.bodyRange, { start: 0, end: text.length });
    assert.deepEqual(parsed.variables, ['article']);
    assert.deepEqual(parsed.problems, []);
  });
});

describe('Markdown', () => {
  test('splits at headings, labelled by the heading, with the text before the first heading on its own', () => {
    const { text, parsed } = fixture('release-notes.md');
    assert.equal(parsed.format, 'markdown');
    assert.deepEqual(
      parsed.segments.map((segment) => segment.label),
      ['Preamble', '# Audience', '## Tone', '## Format'],
    );
    assert.equal(slice(text, parsed.segments[2].range), '## Tone\nPlain and direct. No marketing words.\n\n');
    for (const segment of parsed.segments) assert.equal(slice(text, segment.range), segment.text);
    assert.equal(bodyOf(parsed), text, 'segments concatenate back to the whole text');
    assert.deepEqual(parsed.variables, ['version']);
  });

  test('keeps blank lines before the first heading in the first section', () => {
    const text = '\n\n# Task\nDo it.\n## Notes\nCarefully.';
    const parsed = parsePrompt('task.md', text);
    assert.deepEqual(
      parsed.segments.map((segment) => [segment.label, segment.text]),
      [
        ['# Task', '\n\n# Task\nDo it.\n'],
        ['## Notes', '## Notes\nCarefully.'],
      ],
    );
  });

  test('does not take a `#` line without a space, or seven of them, as a heading', () => {
    const parsed = parsePrompt('tags.md', '#hashtag\n####### seven\nText');
    assert.deepEqual(
      parsed.segments.map((segment) => segment.label),
      ['Prompt'],
    );
  });

  test('a lone `---` line in Markdown is a thematic break, not broken frontmatter', () => {
    const parsed = parsePrompt('notes.md', '---\nJust text.\n');
    assert.deepEqual(parsed.problems, []);
    assert.equal(bodyOf(parsed), '---\nJust text.\n');
  });
});

describe('VS Code .prompt.md', () => {
  test('reads the frontmatter model raw and counts only the body', () => {
    const { text, parsed } = fixture('support-agent.prompt.md');
    assert.equal(parsed.format, 'vscode-prompt');
    assert.equal(parsed.model?.value, 'GPT-4o');
    assert.equal(slice(text, parsed.model?.range), 'GPT-4o');
    assert.equal(text.slice(0, parsed.model?.range.start).split('\n').length, 4, 'model is on line 4');
    assert.equal(parsed.maxOutputTokens, undefined);
    assert.ok(slice(text, parsed.bodyRange).startsWith('You are a support agent'));
    assert.equal(bodyOf(parsed), slice(text, parsed.bodyRange));
    assert.ok(!bodyOf(parsed).includes('tools:'), 'frontmatter is not part of the prompt');
    assert.deepEqual(parsed.problems, []);
  });

  test('splits the body at headings but not at `#` lines inside code fences', () => {
    const { text, parsed } = fixture('support-agent.prompt.md');
    assert.deepEqual(
      parsed.segments.map((segment) => segment.label),
      ['Preamble', '# Context', '## Rules'],
    );
    assert.ok(slice(text, parsed.segments[1].range).startsWith('# Context\n'));
    assert.ok(parsed.segments[1].text.includes('# This is inside a code block'));
  });

  test('lists ${input:…} and {{…}} variables once each, in order of first use', () => {
    const { parsed } = fixture('support-agent.prompt.md');
    assert.deepEqual(parsed.variables, ['plan', 'ticket', 'refundPolicy']);
    assert.equal(parsed.rendered, undefined, 'no sample values in a .prompt.md');
  });

  test('reads Windows line endings', () => {
    const text = '---\r\nmodel: Claude Sonnet 4\r\n---\r\nIntro\r\n# Steps\r\nOne.\r\n';
    const parsed = parsePrompt('crlf.prompt.md', text);
    assert.equal(parsed.model?.value, 'Claude Sonnet 4');
    assert.equal(slice(text, parsed.model?.range), 'Claude Sonnet 4');
    assert.deepEqual(
      parsed.segments.map((segment) => segment.text),
      ['Intro\r\n', '# Steps\r\nOne.\r\n'],
    );
  });

  test('takes the first of a list of models', () => {
    const parsed = parsePrompt('list.prompt.md', "---\nmodel: ['GPT-4.1', 'GPT-4o']\n---\nHi\n");
    assert.equal(parsed.model?.value, 'GPT-4.1');
  });
});

describe('Prompty', () => {
  test('v1: model from configuration, max_tokens from parameters, role lines into messages', () => {
    const { text, parsed } = fixture('basic-v1.prompty');
    assert.equal(parsed.format, 'prompty');
    assert.equal(parsed.isChat, true);
    assert.equal(parsed.model?.value, 'gpt-4o-mini');
    assert.equal(slice(text, parsed.model?.range), 'gpt-4o-mini');
    assert.equal(parsed.maxOutputTokens?.value, 3000);
    assert.equal(slice(text, parsed.maxOutputTokens?.range), '3000');
    assert.deepEqual(
      parsed.segments.map((segment) => segment.role),
      ['system', 'user'],
    );
    const [system, user] = parsed.segments;
    assert.ok(slice(text, system.range).startsWith('system:\nYou are an AI assistant'));
    assert.ok(system.text.startsWith('You are an AI assistant'), 'the role line is not sent as text');
    assert.ok(system.text.endsWith('{{ context }}'), 'content is trimmed, as Prompty does');
    assert.ok(system.text.includes('# Customer'), 'Markdown headings stay inside the message');
    assert.equal(slice(text, user.range), 'user:\n{{question}}');
    assert.equal(user.text, '{{question}}');
  });

  test('v1: renders the sample into the messages', () => {
    const { parsed } = fixture('basic-v1.prompty');
    assert.deepEqual(parsed.variables, ['firstName', 'context', 'question']);
    assert.ok(parsed.rendered);
    assert.ok(parsed.rendered[0].text.includes('You are helping Seth to find answers'));
    assert.ok(parsed.rendered[0].text.endsWith('The Alpine Explorer Tent boasts a detachable divider for privacy.'));
    assert.equal(parsed.rendered[1].text, 'What can you tell me about your tents?');
    assert.deepEqual(parsed.rendered[1].range, parsed.segments[1].range);
  });

  test('v2: model.id and model.options.maxOutputTokens, inputs give the sample values', () => {
    const { text, parsed } = fixture('basic-v2.prompty');
    assert.equal(parsed.model?.value, 'gpt-4.1-mini');
    assert.equal(slice(text, parsed.model?.range), 'gpt-4.1-mini');
    assert.equal(parsed.maxOutputTokens?.value, 512);
    assert.equal(slice(text, parsed.maxOutputTokens?.range), '512');
    assert.deepEqual(
      parsed.segments.map((segment) => [segment.role, segment.text]),
      [
        ['system', 'You are a concise assistant. Address the user as {{firstName}}.'],
        ['user', '{{question}}'],
        ['assistant', 'Paris.'],
        ['user', 'And of Spain?'],
      ],
    );
    assert.deepEqual(
      parsed.rendered?.map((segment) => segment.text).slice(0, 2),
      ['You are a concise assistant. Address the user as Jane.', 'What is the capital of France?'],
    );
  });

  test('text before the first role line is a system message; role lines are case-insensitive', () => {
    const text = '---\nname: x\n---\nBe brief.\n\nUSER:\nHello\n';
    const parsed = parsePrompt('x.prompty', text);
    assert.deepEqual(
      parsed.segments.map((segment) => [segment.role, segment.text, slice(text, segment.range)]),
      [
        ['system', 'Be brief.', 'Be brief.'],
        ['user', 'Hello', 'USER:\nHello'],
      ],
    );
  });

  test('an `${env:…}` deployment is not taken for a model name', () => {
    const text = '---\nmodel:\n  configuration:\n    azure_deployment: ${env:DEPLOYMENT}\n---\nuser:\nHi\n';
    assert.equal(parsePrompt('x.prompty', text).model, undefined);
  });
});

describe('GitHub Models .prompt.yml', () => {
  test('reads model, maxTokens and messages, each ranged over its content value', () => {
    const { text, parsed } = fixture('summarizer.prompt.yml');
    assert.equal(parsed.format, 'github-prompt');
    assert.equal(parsed.isChat, true);
    assert.equal(parsed.model?.value, 'openai/gpt-4o-mini');
    assert.equal(slice(text, parsed.model?.range), 'openai/gpt-4o-mini');
    assert.equal(parsed.maxOutputTokens?.value, 200);
    assert.equal(slice(text, parsed.maxOutputTokens?.range), '200');
    const [system, user] = parsed.segments;
    assert.equal(system.role, 'system');
    assert.equal(slice(text, system.range), 'You are a text summarizer. Your only job is to summarize text given to you.');
    assert.equal(user.role, 'user');
    assert.equal(user.text, 'Summarize the given text, beginning with "Summary -":\n<text>\n{{input}}\n</text>\n');
    assert.ok(slice(text, user.range).startsWith('|\n      Summarize the given text'));
    assert.ok(slice(text, parsed.bodyRange).startsWith('- role: system'));
    assert.deepEqual(parsed.variables, ['input']);
  });

  test('renders the messages with the first testData row', () => {
    const { parsed } = fixture('summarizer.prompt.yml');
    assert.equal(
      parsed.rendered?.[1].text,
      'Summarize the given text, beginning with "Summary -":\n<text>\n' +
        'The quick brown fox jumped over the lazy dog.\nThe dog was too tired to react.\n\n</text>\n',
    );
  });
});

describe('chat JSON', () => {
  test('an array of messages: roles, names, decoded escapes, ranges over each message object', () => {
    const { text, parsed } = fixture('conversation.json');
    const expected = JSON.parse(text) as { role: string; name?: string; content: string }[];
    assert.equal(parsed.format, 'chat-json');
    assert.equal(parsed.isChat, true);
    assert.deepEqual(
      parsed.segments.map((segment) => [segment.role, segment.name, segment.text]),
      expected.map((message) => [message.role, message.name, message.content]),
    );
    assert.equal(parsed.segments[1].text, 'New synergies will help drive top-line growth — café 😀.');
    parsed.segments.forEach((segment, i) => assert.deepEqual(JSON.parse(slice(text, segment.range)), expected[i]));
    assert.equal(parsed.segments[1].label, 'user (example_user)');
    assert.equal(parsed.model, undefined);
  });

  test('a request body: model, max_completion_tokens and text parts of content', () => {
    const { text, parsed } = fixture('request.json');
    assert.equal(parsed.model?.value, 'gpt-4o');
    assert.equal(slice(text, parsed.model?.range), '"gpt-4o"');
    assert.equal(parsed.maxOutputTokens?.value, 800);
    assert.equal(slice(text, parsed.maxOutputTokens?.range), '800');
    assert.equal(
      parsed.segments[0].text,
      'You label support tickets as billing, bug or question.\nAnswer with one word.',
      'image parts are not counted',
    );
    assert.equal(parsed.segments[1].name, 'ticket_bot');
    assert.deepEqual(parsed.variables, ['ticketId']);
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.rule, problem.severity, problem.line, problem.column, problem.message]),
      [['uncounted-parts', 'info', 10, 9, 'Not counted: an image part of this message; its count is a lower bound.']],
    );
    assert.ok(slice(text, parsed.bodyRange).startsWith('[\n    {\n      "role": "developer"'));
  });

  test('says which tool calls and tool definitions are left out of the count, as info', () => {
    const text = JSON.stringify(
      {
        model: 'gpt-4o',
        tools: [{ type: 'function', function: { name: 'refund', parameters: { type: 'object' } } }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Refund order 42.' }, { type: 'input_audio', input_audio: { data: '', format: 'wav' } }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'refund', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: 'Refunded.' },
        ],
      },
      null,
      2,
    );
    const parsed = parsePrompt('request.json', text);
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.rule, problem.severity, problem.message]),
      [
        ['uncounted-parts', 'info', 'Not counted: a non-text part of this message; its count is a lower bound.'],
        ['uncounted-parts', 'info', 'Not counted: `tool_calls` of this message; its count is a lower bound.'],
        ['uncounted-parts', 'info', 'Not counted: the `tools` definitions, which the model reads as input; the count is a lower bound.'],
      ],
    );
    assert.equal(parsed.problems[2].line, 3, 'on the tools key');
    assert.deepEqual(parsed.segments.map((segment) => segment.text), ['Refund order 42.', '', 'Refunded.']);
    assert.deepEqual(fixture('conversation.json').parsed.problems, [], 'a text-only chat has nothing uncounted');
  });

  test('decodes every JSON escape exactly as JSON.parse does', () => {
    const content = 'quote " backslash \\ slash / \b\f\n\r\t nul \u0000 lone \ud800 pair \ud83d\ude00 é';
    const text = JSON.stringify([{ role: 'user', content }]).replace('/', '\\/').replace('é', '\\u00e9');
    const parsed = parsePrompt('escapes.json', text);
    assert.equal(parsed.segments[0].text, (JSON.parse(text) as { content: string }[])[0].content);
    assert.equal(parsed.segments[0].text, content);
  });
});

describe('malformed files', () => {
  test('broken frontmatter YAML: a positioned problem, and the body is still the prompt', () => {
    const { parsed } = fixture('broken-frontmatter.prompt.md');
    assert.equal(parsed.problems.length, 1);
    const [problem] = parsed.problems;
    assert.equal(problem.rule, 'frontmatter-syntax');
    assert.equal(problem.severity, 'error');
    assert.equal(problem.file, 'broken-frontmatter.prompt.md');
    assert.deepEqual([problem.line, problem.column], [3, 14]);
    assert.ok(!problem.message.includes('\n'));
    assert.equal(bodyOf(parsed), 'Explain this code.\n');
    assert.equal(parsed.model?.value, 'GPT-4o', 'what parsed is still read');
  });

  test('frontmatter that is never closed: a problem at its opening line, the whole text as the prompt', () => {
    const { text, parsed } = fixture('unclosed-frontmatter.prompt.md');
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.rule, problem.line, problem.column]),
      [['frontmatter-syntax', 1, 1]],
    );
    assert.equal(bodyOf(parsed), text);
  });

  test('broken chat JSON: json-syntax at the offending character, the whole text as one segment', () => {
    const { text, parsed } = fixture('broken-chat.json');
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.rule, problem.line, problem.column]),
      [['json-syntax', 3, 20]],
    );
    assert.equal(text.split('\n')[2].slice(19, 28), '"content"');
    assert.equal(parsed.format, 'chat-json');
    assert.equal(parsed.isChat, false);
    assert.equal(bodyOf(parsed), text);
  });

  test('broken .prompt.yml: yaml-syntax at the bad value, the messages that parsed are kept', () => {
    const { text, parsed } = fixture('broken.prompt.yml');
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.rule, problem.line, problem.column]),
      [['yaml-syntax', 5, 14]],
    );
    assert.equal(text.split('\n')[4].slice(13), 'Reply in this format: label');
    assert.equal(parsed.model?.value, 'openai/gpt-4o');
    assert.equal(parsed.segments.at(-1)?.text, '{{ticket}}');
  });

  test('YAML so broken that no message parses: the whole text as one segment', () => {
    const text = 'messages: "unclosed\n  - role: user\n    content: Hi\n';
    const parsed = parsePrompt('bad.prompt.yml', text);
    assert.equal(parsed.problems[0]?.rule, 'yaml-syntax');
    assert.equal(bodyOf(parsed), text);
  });

  test('a JSON file forced to chat-json that is not chat says so', () => {
    const { text } = fixture('package-like.json');
    const parsed = parsePrompt('package.json', text, 'chat-json');
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.rule, problem.line, problem.column]),
      [['chat-shape', 1, 1]],
    );
  });

  test('never throws on odd input, and non-chat segments always add up to the body', () => {
    const formats: PromptFormat[] = ['text', 'markdown', 'vscode-prompt', 'prompty', 'github-prompt', 'chat-json'];
    const pieces = fc.constantFrom(
      '---\n', '---', '\r\n', '\n', '\r', '# H\n', '```\n', 'system:\n', 'user:\n', 'model: x\n', '{{a}}', '${input:b}',
      '[', ']', '{', '}', '"', '\\u', '\\', ':', '- ', '\t', '\uFEFF', '\ud800', '\udc00', '\u0000', 'é', '😀',
      'messages:\n  - role: user\n    content: ',
    );
    const oddText = fc.array(fc.oneof(pieces, fc.string()), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(oddText, fc.constantFrom(...formats), (text, format) => {
        const parsed = parsePrompt('odd', text, format);
        if (!parsed.isChat) {
          const body = text.slice(parsed.bodyRange.start, parsed.bodyRange.end);
          assert.equal(bodyOf(parsed), body);
        }
        for (const segment of parsed.segments) {
          assert.ok(segment.range.start >= 0 && segment.range.start <= segment.range.end && segment.range.end <= text.length);
        }
        for (const problem of parsed.problems) assert.ok(problem.line >= 1 && problem.column >= 1);
      }),
      { numRuns: 300 },
    );
  });

  test('survives deeply nested JSON and a large file', () => {
    const nested = parsePrompt('deep.json', '['.repeat(100_000), 'chat-json');
    assert.equal(nested.problems[0]?.rule, 'json-syntax');
    const big = '# Part\n' + 'All work and no play makes Jack a dull boy. {{x}}\n'.repeat(40_000);
    const parsed = parsePrompt('big.md', big);
    assert.equal(bodyOf(parsed), big);
    assert.deepEqual(parsed.variables, ['x']);
  });
});

describe('a BOM', () => {
  const withBoms = (count: number, text: string) => new Uint8Array([...Array.from({ length: count }, () => [0xef, 0xbb, 0xbf]).flat(), ...new TextEncoder().encode(text)]);
  const decoded = (bytes: Uint8Array) => {
    const result = decodePromptText('f', bytes);
    assert.ok('text' in result);
    return result.text;
  };

  test('exactly one is dropped when the file is read; a second is part of the prompt, as it is sent', () => {
    const plain = readFileSync(path.join(fixtures, 'support-agent.prompt.md'), 'utf8');
    const one = parsePrompt('support-agent.prompt.md', decoded(withBoms(1, plain)));
    assert.deepEqual(one, parsePrompt('support-agent.prompt.md', plain), 'one BOM: as if there were none');
    assert.equal(one.model?.value, 'GPT-4o');

    const twoText = decoded(withBoms(2, 'Summarize the ticket.\n'));
    assert.equal(twoText, '\uFEFFSummarize the ticket.\n');
    assert.equal(bodyOf(parsePrompt('ask.txt', twoText)), '\uFEFFSummarize the ticket.\n', 'the second BOM is counted');
    assert.equal(decoded(withBoms(3, 'x')), '\uFEFF\uFEFFx');
  });

  test('a chat JSON file with a second BOM is not valid JSON, and says so', () => {
    const broken = parsePrompt('chat.json', decoded(withBoms(2, '[{"role":"user","content":"Hi"}]')), 'chat-json');
    assert.equal(broken.problems[0]?.rule, 'json-syntax');
  });
});

describe('parsePromptHead', () => {
  const long = '\n\nReply briefly and cite the policy. {{topic}}\n'.repeat(3000);

  test('reads the model and max output a long file declares from its frontmatter, as the whole parse does', () => {
    for (const [fileName, text] of [
      ['agent.prompt.md', `---\nmodel: gpt-4\nmaxOutputTokens: 300\n---\n# Task${long}`],
      ['notes.md', `---\r\nmodel: Claude Sonnet 4.5\r\n---\r\n${long}`],
      ['chat.prompty', `---\nmodel:\n  id: gpt-4o-mini\n  parameters:\n    max_tokens: 50\n---\nsystem:\n${long}`],
    ]) {
      const head = parsePromptHead(fileName, text);
      const whole = parsePrompt(fileName, text);
      assert.ok(whole.model, `${fileName} declares a model`);
      assert.deepEqual(head?.model, whole.model, fileName);
      assert.deepEqual(head?.maxOutputTokens, whole.maxOutputTokens, fileName);
    }
  });

  test('finds nothing declared where the whole parse finds nothing, and leaves long files of other formats to it', () => {
    assert.deepEqual(parsePromptHead('notes.md', `# Task${long}`), {});
    assert.deepEqual(parsePromptHead('agent.prompt.md', `---\nmodel: gpt-4\n${long}`), {}, 'an unclosed frontmatter declares nothing');
    assert.equal(parsePrompt('agent.prompt.md', `---\nmodel: gpt-4\n${long}`).model, undefined);
    assert.equal(parsePromptHead('chat.json', JSON.stringify({ model: 'gpt-4', messages: [{ role: 'user', content: long }] })), undefined);
    // A short file is parsed whole, whatever its format.
    assert.equal(parsePromptHead('chat.json', JSON.stringify({ model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] }))?.model?.value, 'gpt-4');
  });
});
