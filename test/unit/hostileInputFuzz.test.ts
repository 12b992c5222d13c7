// Fuzzing the config parser and every prompt parser with hostile text (anchors, aliases, merge keys,
// BOMs, broken quotes and brackets, huge numbers): none throws, each returns, and every problem names
// its file and a real line and column. A fixed number of runs keeps the time bounded.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';
import { parsePrompt } from '../../src/core/prompts/parsePrompt';
import type { Problem, PromptFormat } from '../../src/core/types';

const RUNS = 200;

const YAML_PIECES = [
  '\n', '\r\n', '\r', '  ', '- ', ': ', '---\n', '...\n', '#', '&a ', '*a', '&b ', '*b', '<<: *a\n', '!!str ', '!!binary ', '? ', '|\n', '>-\n',
  '"', "'", '\\', '{', '}', '[', ']', ',', '\uFEFF', '\u2028', '\t', '%YAML 1.2\n', 'é', '😀', '\ud800',
  'model: ', 'gpt-4o', 'messages:\n', 'role: ', 'user', 'content: ', 'testData:\n', 'modelParameters:\n', 'maxTokens: ',
  'maxOutputTokens: ', 'inputs:\n', 'sample: ', 'system:\n', 'user:\n', '1e23', '-5', '20000.5', '0x1F', '.inf', '~', 'null', '{{x}}',
];

const CONFIG_PIECES = [
  ...YAML_PIECES, 'version: 1\n', 'version: 2\n', 'budgets:\n', '  - name: a\n', '    files: "**/*.md"\n', '    files: ["[", "**"]\n',
  '    maxInputTokens: ', '    maxCostPerCall: ', 'models:\n', '  - id: m\n', '    contextWindow: ', 'defaultModel: ', 'warnAt: ',
  'usage:\n', '  files: ', '  quotas:\n', '    - period: day\n', 'ignore: ', '9007199254740993', '1e308', '-0',
];

const JSON_PIECES = [
  '[', ']', '{', '}', ',', ':', '"', '\\"', '\\u', '\\ud800', 'null', 'true', '1e23', '-5', '20000.5', '"role"', '"user"', '"content"',
  '"messages"', '"max_tokens"', '"model"', '"text"', '"type"', '"image_url"', '"tool_calls"', '"name"', ' ', '\n', '\uFEFF', '7',
];

const textFrom = (pieces: string[]) =>
  fc.oneof(fc.array(fc.constantFrom(...pieces), { maxLength: 80 }).map((parts) => parts.join('')), fc.string({ maxLength: 200, unit: 'binary' }));

const FORMATS: [string, PromptFormat][] = [
  ['p.txt', 'text'],
  ['p.md', 'markdown'],
  ['p.prompt.md', 'vscode-prompt'],
  ['p.prompty', 'prompty'],
  ['p.prompt.yml', 'github-prompt'],
  ['p.json', 'chat-json'],
];

/** Whether a problem is one a user can be shown: this file, a real line and column, one line of text. */
function assertShowable(problem: Problem, file: string, text: string): void {
  assert.equal(problem.file, file);
  const lines = text.split(/\r\n|\n|\r/).length;
  assert.ok(Number.isInteger(problem.line) && problem.line >= 1 && problem.line <= lines + 1, `line ${problem.line} of ${lines}`);
  assert.ok(Number.isInteger(problem.column) && problem.column >= 1, `column ${problem.column}`);
  assert.ok(problem.message.length > 0 && !/[\r\n]/.test(problem.message), problem.message);
  assert.ok(['error', 'warning', 'info'].includes(problem.severity));
}

describe('fuzzing the parsers with hostile text', () => {
  test('parseBudgetConfig never throws and positions every problem in the file', () => {
    fc.assert(
      fc.property(textFrom(CONFIG_PIECES), (text) => {
        const parsed = parseBudgetConfig('prompt-budget.yaml', text);
        for (const problem of parsed.problems) assertShowable(problem, 'prompt-budget.yaml', text);
        // A config is in force only when nothing in it is an error.
        assert.equal(parsed.config !== undefined, !parsed.problems.some((problem) => problem.severity === 'error'));
      }),
      { numRuns: RUNS },
    );
  });

  for (const [file, format] of FORMATS) {
    test(`${format}: parsePrompt never throws, keeps ranges inside the text and positions every problem`, () => {
      fc.assert(
        fc.property(textFrom(format === 'chat-json' ? JSON_PIECES : YAML_PIECES), (text) => {
          const parsed = parsePrompt(file, text, format);
          assert.ok(!parsed.problems.some((problem) => problem.rule === 'parse-failure'), 'no parser bug reached the fallback');
          for (const problem of parsed.problems) assertShowable(problem, file, text);
          for (const segment of [...parsed.segments, ...(parsed.rendered ?? [])]) {
            assert.ok(segment.range.start >= 0 && segment.range.start <= segment.range.end && segment.range.end <= text.length, 'segment range');
          }
          if (parsed.maxOutputTokens) assert.ok(Number.isSafeInteger(parsed.maxOutputTokens.value) && parsed.maxOutputTokens.value >= 0);
        }),
        { numRuns: RUNS },
      );
    });
  }
});
