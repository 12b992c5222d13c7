import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateBudget, type FileUsage } from '../../src/core/check/evaluateBudget';
import { renderReport } from '../../src/core/report/renderReport';
import { reportRows } from '../../src/core/report/reportRows';
import { REPORT_COLUMNS, reportTable } from '../../src/core/report/reportTable';
import { toCsv } from '../../src/core/report/toCsv';
import { toJson, type JsonReport } from '../../src/core/report/toJson';
import { toMarkdownTable } from '../../src/core/report/toMarkdownTable';
import { toSarif, type SarifLog } from '../../src/core/report/toSarif';
import type { Problem } from '../../src/core/types';
import { RULE_DESCRIPTIONS } from '../../src/core/report/ruleDescriptions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const triage: FileUsage = { file: 'prompts/support/triage.md', tokens: 1850, exact: true, model: 'gpt-4o-mini', costPerCall: 0.0005175, outputTokens: 400 };
const refund: FileUsage = { file: 'prompts/support/refund.md', tokens: 2310, exact: true, model: 'gpt-4o-mini', costPerCall: 0.0005865, outputTokens: 400 };
const support = evaluateBudget(
  { name: 'Support agent', warnAt: 0.8, maxInputTokens: 2000, maxCostPerCall: 0.01, callsPerDay: 5000, maxMonthlyCost: 50 },
  [triage, refund],
);

describe('reportRows', () => {
  test('gives a budget row followed by its files, then files in no budget', () => {
    const loose: FileUsage = { file: 'notes/idea.md', tokens: 120, exact: false, model: 'claude-sonnet-4-5' };
    const rows = reportRows([support], [loose]);
    assert.deepEqual(
      rows.map((row) => [row.level, row.budget, row.file, row.tokens, row.status]),
      [
        ['budget', 'Support agent', '', 2310, 'over'],
        ['file', 'Support agent', 'prompts/support/triage.md', 1850, 'warning'],
        ['file', 'Support agent', 'prompts/support/refund.md', 2310, 'over'],
        ['file', '', 'notes/idea.md', 120, 'no-budget'],
      ],
    );
    assert.equal(rows[0].maxMonthlyCost, 50);
    assert.equal(rows[1].maxMonthlyCost, undefined, 'the monthly cap belongs to the budget row');
    assert.equal(rows[1].maxInputTokens, 2000);
    assert.equal(rows[0].model, 'gpt-4o-mini');
  });

  test('as a display table, numbers read as people write them', () => {
    const table = reportTable(reportRows([support]), 'display');
    // Headers are words for people; CSV and JSON keep the keys.
    assert.deepEqual(table.headers.slice(5, 9), ['exact', 'expected output tokens', 'expected per call', 'per month']);
    assert.deepEqual(reportTable(reportRows([support]), 'raw').headers, [...REPORT_COLUMNS]);
    const budgetRow = table.rows[0];
    assert.equal(budgetRow[REPORT_COLUMNS.indexOf('tokens')], '2,310');
    assert.equal(budgetRow[REPORT_COLUMNS.indexOf('monthlyCost')], '$165.60');
    assert.equal(budgetRow[REPORT_COLUMNS.indexOf('costPerCall')], '$0.00059');
    assert.equal(budgetRow[REPORT_COLUMNS.indexOf('exact')], 'yes');
  });

  test('as a display table, estimated figures carry ≈ and limits do not', () => {
    const claude: FileUsage = { file: 'prompts/support/refund.md', tokens: 2772, exact: false, model: 'claude-sonnet-4', costPerCall: 0.0143, outputTokens: 400 };
    const estimated = evaluateBudget({ name: 'Support agent', warnAt: 0.8, maxInputTokens: 4000, maxCostPerCall: 0.05, callsPerDay: 10 }, [claude]);
    const [budgetRow, fileRow] = reportTable(reportRows([estimated]), 'display').rows;
    const cell = (row: unknown[], column: (typeof REPORT_COLUMNS)[number]) => row[REPORT_COLUMNS.indexOf(column)];
    assert.equal(cell(fileRow, 'tokens'), '≈2,772');
    assert.equal(cell(fileRow, 'costPerCall'), '≈$0.014');
    assert.equal(cell(fileRow, 'monthlyCost'), '≈$4.29');
    assert.equal(cell(fileRow, 'exact'), 'estimate');
    assert.equal(cell(fileRow, 'outputTokens'), '400', 'the expected output is a stated number');
    assert.equal(cell(fileRow, 'maxInputTokens'), '4,000');
    assert.equal(cell(budgetRow, 'tokens'), '≈2,772');
    assert.equal(cell(budgetRow, 'maxCostPerCall'), '$0.05');
    // Raw cells stay numbers and booleans for CSV and scripts.
    assert.deepEqual(reportTable(reportRows([estimated]), 'raw').rows[1].slice(4, 6), [2772, false]);
  });
});

describe('renderReport', () => {
  const check = { budgets: [support], unbudgeted: [], problems: [] };

  test('renders the same report in each format the CLI and the editor offer', () => {
    const csv = renderReport(check, 'csv', '1.2.3');
    assert.equal(csv.split('\r\n')[0], REPORT_COLUMNS.join(','));
    assert.match(csv, /prompts\/support\/refund\.md,gpt-4o-mini,2310,true/);
    const md = renderReport(check, 'md', '1.2.3');
    assert.match(md, /^\| level \| budget \|/);
    assert.match(md, /\| 2,310 \| yes \|/);
    const json = JSON.parse(renderReport(check, 'json', '1.2.3')) as JsonReport;
    assert.equal(json.tool.version, '1.2.3');
    assert.equal(json.budgets[0].name, 'Support agent');
  });
});

describe('toCsv', () => {
  test('neutralises cells a spreadsheet would run as formulas', () => {
    const csv = toCsv([['=HYPERLINK("http://evil")', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'safe']]);
    assert.equal(csv, `"'=HYPERLINK(""http://evil"")",'+1,'-2,'@SUM(A1),'\tx,"'\rx",safe\r\n`);
  });

  test('quotes commas, quotes and line breaks per RFC 4180, with CRLF rows', () => {
    assert.equal(toCsv([['a,b', 'say "hi"', 'two\nlines', 'plain'], ['x', '', '', 'y']]), `"a,b","say ""hi""","two\nlines",plain\r\nx,,,y\r\n`);
  });

  test('writes numbers plainly: negative numbers stay numbers, no exponents, no float noise', () => {
    assert.equal(toCsv([[-5, 1e-7, 0.1 + 0.2, 165.6, 2310, true, null, undefined]]), '-5,0.0000001,0.3,165.6,2310,true,,\r\n');
  });

  test('a whole report round-trips its header', () => {
    const table = reportTable(reportRows([support]));
    const csv = toCsv([table.headers, ...table.rows]);
    assert.equal(csv.split('\r\n')[0], REPORT_COLUMNS.join(','));
    assert.equal(csv.split('\r\n')[1], 'budget,Support agent,,gpt-4o-mini,2310,true,,0.0005865,165.6,2000,,0.01,50,over');
  });
});

describe('toMarkdownTable', () => {
  test('escapes pipes and line breaks and aligns number columns right', () => {
    const markdown = toMarkdownTable(['Budget', 'Tokens'], [['a | b', 1200], ['multi\nline', null]], ['left', 'right']);
    assert.equal(markdown, '| Budget | Tokens |\n| --- | ---: |\n| a \\| b | 1200 |\n| multi<br>line |  |\n');
  });
});

describe('toJson', () => {
  test('has a versioned shape with a summary', () => {
    const problem: Problem = { file: 'prompt-budget.yaml', line: 3, column: 5, severity: 'warning', rule: 'unknown-key', message: 'x' };
    const report = JSON.parse(toJson({ budgets: [support], problems: [problem] }, { toolVersion: '0.1.0' })) as JsonReport;
    assert.equal(report.reportVersion, 1);
    assert.deepEqual(report.tool, { name: 'prompt-budget', version: '0.1.0' });
    assert.deepEqual(report.summary, { budgets: 1, over: 1, warning: 0, ok: 0, errors: 0, warnings: 1 });
    assert.equal(report.budgets[0].files.length, 2);
    assert.deepEqual(report.unbudgeted, []);
  });

  test('writes an infinite ratio (use against a zero limit) as null', () => {
    const free = evaluateBudget({ name: 'Free', warnAt: 0.8, maxCostPerCall: 0 }, [triage]);
    const report = JSON.parse(toJson({ budgets: [free], problems: [] }, { toolVersion: '0.1.0' })) as JsonReport;
    assert.equal(report.budgets[0].limits.costPerCall?.ratio, null);
  });
});

describe('toSarif', () => {
  const problems: Problem[] = [
    { file: 'prompts/support/refund.md', line: 1, column: 1, endLine: 40, endColumn: 12, severity: 'error', rule: 'budget-input-tokens', message: 'over' },
    { file: 'prompts\\support\\triage.md', line: 1, column: 1, severity: 'warning', rule: 'budget-input-tokens', message: 'close' },
    { file: 'prompt-budget.yaml', line: 6, column: 5, endLine: 6, endColumn: 18, severity: 'warning', rule: 'unknown-key', message: "Unknown key 'maxInputToken'." },
    { file: '/repo/My Prompts/a#1.md', line: 2, column: 3, endLine: 2, endColumn: 3, severity: 'info', rule: 'prompt-note', message: 'fyi' },
  ];
  const log = JSON.parse(toSarif(problems, { toolVersion: '0.1.0', rulesHelpUri: 'https://example.com/readme#rules', root: '/repo' })) as SarifLog;

  test('is a SARIF 2.1.0 log with one run and the tool version', () => {
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.runs.length, 1);
    assert.equal(log.runs[0].tool.driver.name, 'Prompt Budget');
    assert.equal(log.runs[0].tool.driver.version, '0.1.0');
  });

  test('lists each rule once, with help links, descriptions and the most severe level', () => {
    const rules = log.runs[0].tool.driver.rules;
    assert.deepEqual(rules.map((rule) => rule.id), ['budget-input-tokens', 'unknown-key', 'prompt-note']);
    assert.equal(rules[0].name, 'BudgetInputTokens');
    assert.equal(rules[0].helpUri, 'https://example.com/readme#rule-budget-input-tokens', 'the README anchor of the rule');
    assert.equal(rules[0].defaultConfiguration.level, 'error');
    assert.match(rules[0].shortDescription.text, /maxInputTokens/);
    assert.equal(rules[2].shortDescription.text, 'prompt-note', 'an unknown rule falls back to its id');
  });

  test('maps severities to levels and positions to regions with relative uris', () => {
    const results = log.runs[0].results;
    assert.deepEqual(results.map((result) => result.level), ['error', 'warning', 'warning', 'note']);
    assert.deepEqual(results.map((result) => result.ruleIndex), [0, 0, 1, 2]);
    const location = (index: number) => results[index].locations[0].physicalLocation;
    assert.deepEqual(location(0), {
      artifactLocation: { uri: 'prompts/support/refund.md', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1, startColumn: 1, endLine: 40, endColumn: 12 },
    });
    assert.equal(location(1).artifactLocation.uri, 'prompts/support/triage.md');
    assert.deepEqual(location(2).region, { startLine: 6, startColumn: 5, endLine: 6, endColumn: 18 });
    assert.equal(location(3).artifactLocation.uri, 'My%20Prompts/a%231.md');
    assert.deepEqual(location(3).region, { startLine: 2, startColumn: 3 }, 'an empty region keeps only its start');
    assert.equal(results[2].message.text, "Unknown key 'maxInputToken'.");
  });

  test('an absolute path outside the root stays a file uri', () => {
    const outside = JSON.parse(toSarif([{ ...problems[0], file: '/elsewhere/x.md' }], { toolVersion: '1' })) as SarifLog;
    assert.deepEqual(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'file:///elsewhere/x.md' });
  });
});

describe('rule documentation', () => {
  test('every rule has a description and an anchor in docs/rules.md, the page diagnostics link to', () => {
    const rulesPage = readFileSync(join(__dirname, '../../../docs/rules.md'), 'utf8');
    const anchors = [...rulesPage.matchAll(/<a id="rule-([a-z0-9-]+)"><\/a>/g)].map((match) => match[1]).sort();
    assert.deepEqual(anchors, Object.keys(RULE_DESCRIPTIONS).sort());
  });
});
