import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkDirectory } from '../../src/cli/checkDirectory';
import { listFilesBelow } from '../../src/cli/listFilesBelow';
import { reportRows } from '../../src/core/report/reportRows';
import { reportTable } from '../../src/core/report/reportTable';
import { toCsv } from '../../src/core/report/toCsv';
import type { BudgetTreeNode } from '../../src/extension/budgetTree';
import { closeAllEditors, currentAnalysis, diagnosticsWhen, extensionApi, ruleOf, statusTooltip, waitFor } from './editorTestSupport';

// A package of a monorepo with a prompt-budget.yaml of its own, created (and removed) by the test so the
// other suites see the fixture workspace as it is: one config at its root.
const PACKAGE = 'packages/nested-config-test';
const NESTED_CONFIG = `version: 1
models:
  nested-fixture-model:
    contextWindow: 50000
    maxOutputTokens: 1000
    inputPerMillion: 3
    outputPerMillion: 9
    tokenizer: o200k_base
budgets:
  - name: Nested
    files: ["prompts/**"]
    model: nested-fixture-model
    maxInputTokens: 5
`;
const PROMPT = 'Answer the customer in two short sentences, politely, and never promise a refund date.\n';

describe('Nested budget configs (the nearest prompt-budget.yaml up governs a file)', () => {
  const encoder = new TextEncoder();
  const folder = () => {
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'no workspace folder is open');
    return first;
  };
  const packageUri = () => vscode.Uri.joinPath(folder().uri, PACKAGE);
  const configUri = () => vscode.Uri.joinPath(packageUri(), 'prompt-budget.yaml');
  const promptUri = () => vscode.Uri.joinPath(packageUri(), 'prompts', 'reply.prompt.md');

  before(async () => {
    await vscode.workspace.fs.writeFile(promptUri(), encoder.encode(PROMPT));
    await vscode.workspace.fs.writeFile(configUri(), encoder.encode(NESTED_CONFIG));
  });

  after(async () => {
    await closeAllEditors();
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder().uri, 'packages'), { recursive: true });
    const api = await extensionApi();
    await waitFor('the nested config to be forgotten', () => api.budgets.all().length === 1);
    await api.budgetTree.scan.whenIdle();
  });

  it('judges a prompt below the nested config by that config: live count, status bar and diagnostics', async () => {
    const api = await extensionApi();
    await waitFor('the nested config to be found and read', () => api.budgets.all().find((state) => state.root.toString() === packageUri().toString())?.config);
    const document = await vscode.workspace.openTextDocument(promptUri());
    await vscode.window.showTextDocument(document, { preview: false });
    const analysis = await currentAnalysis(api, document, (candidate) => candidate.context.budgetName === 'Nested');
    assert.equal(analysis.resolved.model?.id, 'nested-fixture-model');
    await waitFor('the status bar to name the nested budget', () => statusTooltip(api).includes('Nested'));
    const diagnostics = await diagnosticsWhen(document.uri, (all) => all.some((d) => ruleOf(d).startsWith('budget-')), "the nested budget's limit");
    const over = diagnostics.find((d) => ruleOf(d).startsWith('budget-'))!;
    assert.equal(over.severity, vscode.DiagnosticSeverity.Error);
    // A file at the root is still governed by the root's config (no budget matches hello.prompt.md there).
    assert.equal(api.budgets.folderOf(vscode.Uri.joinPath(folder().uri, 'hello.prompt.md'))?.root.toString(), folder().uri.toString());
  });

  it("shows the nested config's problems on its own file, unsaved text included", async () => {
    const api = await extensionApi();
    await waitFor('the nested config to be read', () => api.budgets.folderOf(configUri())?.config);
    const document = await vscode.workspace.openTextDocument(configUri());
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const line = document.getText().split('\n').findIndex((text) => text.includes('maxInputTokens'));
    await editor.edit((edit) => edit.replace(document.lineAt(line).range, '    maxInputTokens: lots'));
    const errors = await diagnosticsWhen(configUri(), (all) => all.some((d) => d.severity === vscode.DiagnosticSeverity.Error), 'an error on the nested config');
    assert.equal(document.lineAt(errors.find((d) => d.severity === vscode.DiagnosticSeverity.Error)!.range.start.line).text.trim(), 'maxInputTokens: lots');
    // The root config shows none of them.
    const rootConfig = vscode.Uri.joinPath(folder().uri, 'prompt-budget.yaml');
    assert.equal(vscode.languages.getDiagnostics(rootConfig).some((d) => d.message.includes('lots')), false);
    await closeAllEditors();
    await diagnosticsWhen(configUri(), (all) => !all.some((d) => d.severity === vscode.DiagnosticSeverity.Error), 'the error to go with the reverted edit');
  });

  it('groups the Prompt Budgets view by config, the nested budget under its folder', async () => {
    const api = await extensionApi();
    const tree = api.budgetTree;
    await tree.scan.whenIdle();
    const label = (node: BudgetTreeNode) => String(tree.getTreeItem(node).label);
    const group = await waitFor('a node for the nested config', () => tree.getChildren().find((node) => node.kind === 'folder' && label(node) === PACKAGE));
    const nested = tree.getChildren(group);
    const budget = nested.find((node) => node.kind === 'budget');
    assert.ok(budget && budget.kind === 'budget', `no budget under ${PACKAGE}: ${nested.map(label).join(', ')}`);
    assert.equal(budget.evaluation.name, 'Nested');
    assert.equal(budget.evaluation.status, 'over');
    assert.deepEqual(budget.evaluation.files.map((file) => file.file), ['prompts/reply.prompt.md']);
    // The root's group keeps its own budgets and no longer lists the package's prompt.
    const root = tree.getChildren().find((node) => node.kind === 'folder' && label(node) === folder().name);
    assert.ok(root, `no node for ${folder().name}`);
    const rootFiles = JSON.stringify(tree.getChildren(root).map(label));
    assert.ok(tree.getChildren(root).some((node) => node.kind === 'budget' && node.evaluation.name === 'Support'), rootFiles);
    const scan = tree.scan.folders().find((candidate) => candidate.folder.uri.toString() === folder().uri.toString());
    assert.equal([...(scan?.results.keys() ?? [])].some((path) => path.startsWith('packages/')), false);
  });

  it('exports the report `prompt-budget report` prints from the root: every config, files named from the root', async () => {
    const api = await extensionApi();
    await api.budgetTree.scan.whenIdle();
    const target = vscode.Uri.file(path.join(os.tmpdir(), `prompt-budget-nested-report-${process.pid}-${Date.now()}.csv`));
    try {
      await vscode.commands.executeCommand<vscode.Uri>('promptBudget.exportReport', 'csv', target, folder().uri);
      const root = folder().uri.fsPath;
      const io = { cwd: root, stdout: () => undefined, stderr: () => undefined, readFile: (file: string) => readFile(file), listFiles: listFilesBelow };
      const cli = await checkDirectory(root, {}, io, false);
      assert.ok(typeof cli !== 'number', `the CLI engine stopped with exit code ${String(cli)}`);
      const table = reportTable(reportRows(cli.check.budgets, cli.check.unbudgeted), 'raw');
      const expected = toCsv([table.headers, ...table.rows]);
      assert.match(expected, /packages\/nested-config-test\/prompts\/reply\.prompt\.md/);
      assert.equal(await readFile(target.fsPath, 'utf8'), expected);
    } finally {
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    }
  });
});
