import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';
import { budgetsForFile, isPromptFile, unmatchedGlobs } from '../../src/core/check/matchBudgets';
import type { BudgetConfig } from '../../src/core/config/budgetConfig';

const root = path.resolve(__dirname, '../../..');

function load(name: string): BudgetConfig {
  const { config, problems } = parseBudgetConfig('prompt-budget.yaml', fs.readFileSync(path.join(root, 'test/fixtures/budgets', name), 'utf8'));
  assert.ok(config, JSON.stringify(problems));
  return config;
}

function configOf(text: string): BudgetConfig {
  const { config, problems } = parseBudgetConfig('prompt-budget.yaml', text);
  assert.ok(config, JSON.stringify(problems));
  return config;
}

const names = (config: BudgetConfig, file: string): string[] => budgetsForFile(config, file).map((budget) => budget.name);

describe('budgetsForFile', () => {
  const config = load('valid.yaml');

  test('matches nested prompt files with **, including files directly in the folder', () => {
    assert.deepEqual(names(config, 'prompts/support/triage.md'), ['Support agent']);
    assert.deepEqual(names(config, 'prompts/support/billing/refunds.md'), ['Support agent']);
    assert.deepEqual(names(config, 'prompts/summaries/daily.md'), ['Nightly summaries']);
  });

  test("honours a budget's exclude", () => {
    assert.deepEqual(names(config, 'prompts/support/triage.test.md'), []);
    assert.deepEqual(names(config, 'prompts/support/deep/er/triage.test.md'), []);
  });

  test('a single * does not cross folders', () => {
    assert.deepEqual(names(config, 'prompts/summaries/weekly/digest.md'), []);
  });

  test('accepts Windows separators and a leading ./ in the path', () => {
    assert.deepEqual(names(config, 'prompts\\support\\triage.md'), ['Support agent']);
    assert.deepEqual(names(config, './prompts/support/triage.md'), ['Support agent']);
  });

  test('matches dot folders, as .github/prompts needs', () => {
    const dotted = configOf('budgets:\n  - name: Copilot\n    files: ".github/prompts/**/*.prompt.md"\n  - name: Any\n    files: "**/*.md"\n');
    assert.deepEqual(names(dotted, '.github/prompts/review.prompt.md'), ['Copilot', 'Any']);
    assert.deepEqual(names(dotted, '.hidden/x.md'), ['Any']);
  });

  test('a file can belong to several budgets, in config order', () => {
    const overlapping = configOf('budgets:\n  - name: All\n    files: "prompts/**"\n  - name: Support\n    files: ["./prompts/support/*.md"]\n');
    assert.deepEqual(names(overlapping, 'prompts/support/a.md'), ['All', 'Support']);
  });

  test('top-level ignore removes a file from every budget', () => {
    const ignoring = configOf('ignore: ["prompts/support/old/**"]\nbudgets:\n  - name: S\n    files: "prompts/support/**"\n');
    assert.deepEqual(names(ignoring, 'prompts/support/old/v1.md'), []);
    assert.deepEqual(names(ignoring, 'prompts/support/new.md'), ['S']);
  });

  test('matching is case-sensitive, like the paths on Linux CI', () => {
    assert.deepEqual(names(config, 'Prompts/Support/triage.md'), []);
  });
});

describe('isPromptFile', () => {
  const markdownByDefault = (file: string): boolean => file.endsWith('.md');

  test('uses top-level files when set, plus every budget glob, minus ignore', () => {
    const config = load('valid.yaml');
    assert.equal(isPromptFile(config, 'agents/x.prompty', markdownByDefault), true);
    assert.equal(isPromptFile(config, 'README.md', markdownByDefault), false, 'top-level files replaces the default');
    assert.equal(isPromptFile(config, 'prompts/drafts/idea.md', markdownByDefault), false, 'ignored');
  });

  test("falls back to the caller's default without top-level files", () => {
    const config = configOf('budgets:\n  - name: T\n    files: "templates/*.txt"\n');
    assert.equal(isPromptFile(config, 'notes.md', markdownByDefault), true);
    assert.equal(isPromptFile(config, 'templates/a.txt', markdownByDefault), true);
    assert.equal(isPromptFile(config, 'other.txt', markdownByDefault), false);
  });
});

describe('unmatchedGlobs', () => {
  test('warns at each glob that matches no file, and at excludes that remove nothing', () => {
    const config = load('valid.yaml');
    const problems = unmatchedGlobs(config, ['prompts/support/triage.md', 'prompts/other.md', 'README.md']);
    assert.deepEqual(
      problems.map((problem) => `${problem.line}:${problem.column}-${problem.endLine}:${problem.endColumn} ${problem.severity} ${problem.rule} ${problem.message}`),
      [
        "4:28-4:42 warning unmatched-glob Glob '**/*.prompty' in 'files' matches no file.",
        "22:15-22:45 warning unmatched-glob Exclude 'prompts/support/**/*.test.md' of budget 'Support agent' removes no file from it.",
        "31:12-31:34 warning unmatched-glob Glob 'prompts/summaries/*.md' of budget 'Nightly summaries' matches no file.",
      ],
    );
    assert.ok(problems.every((problem) => problem.file === 'prompt-budget.yaml'));
  });

  test('says nothing when every glob matches', () => {
    const config = load('valid.yaml');
    const files = ['prompts/support/a.md', 'prompts/support/a.test.md', 'prompts/summaries/d.md', 'x/y.prompty'];
    assert.deepEqual(unmatchedGlobs(config, files), []);
  });

  test('an empty workspace makes every include glob a warning', () => {
    const config = load('brief-example.yaml');
    const [problem] = unmatchedGlobs(config, []);
    assert.equal(problem.message, "Glob 'prompts/support/**/*.md' of budget 'Support agent' matches no file.");
    assert.deepEqual([problem.line, problem.column], [13, 13]);
  });
});
