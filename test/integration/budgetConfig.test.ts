import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkDirectory } from '../../src/cli/checkDirectory';
import { listFilesBelow } from '../../src/cli/listFilesBelow';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';
import { starterConfig } from '../../src/core/config/starterConfig';
import { reportRows } from '../../src/core/report/reportRows';
import { reportTable } from '../../src/core/report/reportTable';
import { toCsv } from '../../src/core/report/toCsv';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { closeAllEditors, describeDiagnostic, diagnosticsWhen, extensionApi, ruleOf, waitFor } from './editorTestSupport';

function folder(): vscode.WorkspaceFolder {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'no workspace folder is open');
  return first;
}

const configUri = () => vscode.Uri.joinPath(folder().uri, 'prompt-budget.yaml');

/** The 0-based range of `needle` on the line that contains `lineText`. */
function rangeOf(document: vscode.TextDocument, lineText: string, needle: string): vscode.Range {
  const offset = document.getText().indexOf(lineText);
  assert.ok(offset >= 0, `'${lineText}' not in ${document.fileName}`);
  const start = document.positionAt(offset + lineText.indexOf(needle));
  return new vscode.Range(start, start.translate(0, needle.length));
}

describe('Budget config in the editor', () => {
  let api: PromptBudgetApi;

  before(async () => {
    api = await extensionApi();
    await api.budgetTree.scan.whenIdle();
  });
  afterEach(async () => {
    await closeAllEditors();
  });

  it("shows a budget's monthly cost and globs that match nothing on the config, at the key", async () => {
    const document = await vscode.workspace.openTextDocument(configUri());
    const diagnostics = await diagnosticsWhen(
      document.uri,
      (all) => all.some((d) => ruleOf(d) === 'budget-monthly-cost') && all.some((d) => ruleOf(d) === 'unmatched-glob'),
      'the scan findings on prompt-budget.yaml',
    );
    const monthly = diagnostics.find((d) => ruleOf(d) === 'budget-monthly-cost')!;
    assert.equal(monthly.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(monthly.range, rangeOf(document, 'maxMonthlyCost: 100', '100'));
    assert.equal(monthly.message, "Budget 'Support' costs $150.24 a month (2 prompts x 1,000 calls a day x 30 days); its limit is $100.00.");
    const glob = diagnostics.find((d) => ruleOf(d) === 'unmatched-glob')!;
    assert.equal(glob.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(glob.range, rangeOf(document, 'files: ["budgets/drafts/**"]', '"budgets/drafts/**"'));
    assert.equal(glob.message, "Glob 'budgets/drafts/**' of budget 'Drafts' matches no file.");
  });

  it('points at a broken value while typing and keeps the last good config in force', async () => {
    const document = await vscode.workspace.openTextDocument(configUri());
    const editor = await vscode.window.showTextDocument(document);
    const original = document.getText();
    const tree = api.budgetTree;
    const summaries = () => {
      const node = tree.getChildren().find((candidate) => candidate.kind === 'budget' && candidate.evaluation.name === 'Summaries');
      return node && tree.getTreeItem(node).description;
    };
    const before = summaries();
    assert.ok(before, 'no Summaries budget before the edit');
    try {
      // In memory only: the fixture on disk is never written.
      const value = rangeOf(document, 'maxInputTokens: 50', '50');
      assert.ok(await editor.edit((edit) => edit.replace(value, '-50')));
      const broken = rangeOf(document, 'maxInputTokens: -50', '-50');
      const all = await diagnosticsWhen(document.uri, (found) => found.some((d) => d.severity === vscode.DiagnosticSeverity.Error && ruleOf(d) === 'invalid-value'), 'an invalid-value error');
      const error = all.find((d) => ruleOf(d) === 'invalid-value')!;
      assert.deepEqual(describeDiagnostic(error), `invalid-value Error ${broken.start.line}:${broken.start.character}-${broken.end.line}:${broken.end.character}`);
      assert.match(error.message, /maxInputTokens/);
      assert.ok(all.some((d) => /keeps the last valid version/.test(d.message)), 'no notice that the last valid config stays in force');

      const errorNode = await waitFor('the config-error node', () => tree.getChildren().find((node) => node.kind === 'configError'));
      const item = tree.getTreeItem(errorNode);
      assert.equal(item.label, 'prompt-budget.yaml has errors');
      assert.equal(item.description, 'last valid version in force');
      assert.equal(item.command?.command, 'vscode.open');
      assert.equal(String(item.command?.arguments?.[0]), String(configUri()));
      // The last good config still governs: Summaries keeps its 50-token limit.
      assert.equal(summaries(), before);
      assert.equal(api.budgets.folderOf(configUri())?.stale, true);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(document.getText(), original);
    await waitFor('the config-error node to go', () => !tree.getChildren().some((node) => node.kind === 'configError'));
    await diagnosticsWhen(document.uri, (found) => !found.some((d) => ruleOf(d) === 'invalid-value'), 'the error to clear');
    assert.equal(summaries(), before);
  });

  it('warns at a model name no catalog knows, naming the closest, with the config in force', async () => {
    const document = await vscode.workspace.openTextDocument(configUri());
    const editor = await vscode.window.showTextDocument(document);
    const original = document.getText();
    try {
      // In memory only: the fixture on disk is never written.
      const version = rangeOf(document, 'version: 1', 'version: 1');
      assert.ok(await editor.edit((edit) => edit.insert(version.end, '\ndefaultModel: gpt4o')));
      const all = await diagnosticsWhen(document.uri, (found) => found.some((d) => ruleOf(d) === 'unknown-model'), 'an unknown-model warning');
      const warning = all.find((d) => ruleOf(d) === 'unknown-model')!;
      assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(warning.message, /^Unknown model 'gpt4o'\. Did you mean .*'gpt-4o'/);
      assert.deepEqual(warning.range, rangeOf(document, 'defaultModel: gpt4o', 'gpt4o'));
      // A warning only: the edited config is the one in force.
      assert.equal(api.budgets.folderOf(configUri())?.config?.defaultModel, 'gpt4o');
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(document.getText(), original);
    await diagnosticsWhen(document.uri, (found) => !found.some((d) => ruleOf(d) === 'unknown-model'), 'the warning to clear');
  });

  it('opens the existing config instead of overwriting it when asked to create one', async () => {
    const before = await readFile(configUri().fsPath, 'utf8');
    await vscode.commands.executeCommand('promptBudget.createConfig', folder().uri);
    await waitFor('the config in the editor', () => vscode.window.activeTextEditor?.document.uri.toString() === configUri().toString());
    assert.equal(await readFile(configUri().fsPath, 'utf8'), before);
  });

  it('writes a starter config that parses without problems', () => {
    const parsed = parseBudgetConfig('prompt-budget.yaml', starterConfig());
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.config?.budgets[0]?.name, 'All prompts');
  });

  it('exports the same CSV report as `prompt-budget report --format csv`', async () => {
    const target = vscode.Uri.file(path.join(os.tmpdir(), `prompt-budget-report-${process.pid}-${Date.now()}.csv`));
    try {
      const written = await vscode.commands.executeCommand<vscode.Uri>('promptBudget.exportReport', 'csv', target, folder().uri);
      assert.equal(written?.toString(), target.toString());
      const root = folder().uri.fsPath;
      const cli = await checkDirectory(
        root,
        {},
        { cwd: root, stdout: () => undefined, stderr: () => undefined, readFile: (file) => readFile(file), listFiles: listFilesBelow },
        false,
      );
      assert.ok(typeof cli !== 'number', `the CLI engine stopped with exit code ${String(cli)}`);
      const table = reportTable(reportRows(cli.check.budgets, cli.check.unbudgeted), 'raw');
      const expected = toCsv([table.headers, ...table.rows]);
      assert.equal(await readFile(target.fsPath, 'utf8'), expected);
      assert.match(expected, /^level,budget,file,model,tokens/);
      assert.match(expected, /\r\nbudget,Support,,budget-fixture-model,64,true,,/);
    } finally {
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    }
  });
});
