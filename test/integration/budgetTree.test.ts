import * as assert from 'node:assert/strict';
import { symlinkSync, unlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { BudgetTreeNode, BudgetTreeProvider } from '../../src/extension/budgetTree';
import { formatUsd } from '../../src/core/report/formatNumbers';
import { checkJson } from '../../src/cli/checkDirectory';
import { listFilesBelow } from '../../src/cli/listFilesBelow';
import { runCli } from '../../src/cli/runCli';
import { extensionApi, waitFor } from './editorTestSupport';

// Independent of the extension's own tokenizer code: gpt-tokenizer's o200k_base.
const { encode } = require('gpt-tokenizer/encoding/o200k_base') as { encode: (text: string) => number[] };

// The fixture's budget-fixture-model: USD 2 per million input tokens, 8 per million output.
const INPUT_USD_PER_TOKEN = 2 / 1e6;
const OUTPUT_USD_PER_TOKEN = 8 / 1e6;
const SUPPORT_OUTPUT_TOKENS = 300;
const SUPPORT_CALLS_PER_DAY = 1000;

function folderUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri;
}

async function fixtureText(relativePath: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folderUri(), relativePath)));
}

/** OpenAI's chat framing, counted from the JSON itself: 3 per message + role + content, 3 to prime the reply. */
async function chatTokens(relativePath: string): Promise<{ total: number; messages: number[] }> {
  const chat = JSON.parse(await fixtureText(relativePath)) as { messages: { role: string; content: string }[] };
  const messages = chat.messages.map((message) => encode(message.content).length);
  const framing = chat.messages.reduce((sum, message) => sum + 3 + encode(message.role).length, 3);
  return { total: messages.reduce((sum, tokens) => sum + tokens, 0) + framing, messages };
}

describe('Prompt Budgets tree', () => {
  let tree: BudgetTreeProvider;

  const roots = () => tree.getChildren();
  const labelOf = (node: BudgetTreeNode) => String(tree.getTreeItem(node).label);
  const budget = (name: string) => {
    const node = roots().find((candidate) => candidate.kind === 'budget' && candidate.evaluation.name === name);
    assert.ok(node, `no budget node '${name}' among ${roots().map(labelOf).join(', ')}`);
    return node;
  };
  const iconOf = (node: BudgetTreeNode) => {
    const icon = tree.getTreeItem(node).iconPath;
    assert.ok(icon instanceof vscode.ThemeIcon);
    return `${icon.id} ${icon.color?.id}`;
  };

  before(async () => {
    const api = await extensionApi();
    tree = api.budgetTree;
    await tree.scan.whenIdle();
  });

  it('agrees with `prompt-budget check` run on the same folder: budgets, figures, statuses and problems', async () => {
    const out: string[] = [];
    const code = await runCli(['check', '--format', 'json'], {
      cwd: folderUri().fsPath,
      stdout: (text) => out.push(text),
      stderr: () => undefined,
      readFile: (path) => readFile(path),
      listFiles: listFilesBelow,
    });
    assert.equal(code, 1, 'the fixture has a budget over its monthly cap');
    const cli = JSON.parse(out.join('\n')) as ReturnType<typeof checkJson>;
    const check = tree.scan.folders()[0].check;
    assert.ok(check, 'the view has no results');
    const view = checkJson(check);
    assert.deepEqual(view.budgets, cli.budgets);
    assert.deepEqual(view.unbudgeted, cli.unbudgeted);
    assert.deepEqual(view.problems, cli.problems);
    // And the tree shows those figures.
    const support = cli.budgets.find((entry) => entry.name === 'Support');
    assert.ok(support && support.monthlyCost !== null);
    assert.equal(tree.getTreeItem(budget('Support')).description, `$${Math.round(support.monthlyCost).toLocaleString('en-US')} of $100/mo`);
  });

  it('shows each budget of prompt-budget.yaml with its status icon and its tightest limit', async () => {
    assert.deepEqual(
      roots().filter((node) => node.kind === 'budget').map(labelOf),
      ['Support', 'Summaries', 'Drafts'],
    );
    const agent = encode(await fixtureText('budgets/support/agent.prompt.md')).length;
    const triage = (await chatTokens('budgets/support/triage.json')).total;
    const costOf = (tokens: number) => tokens * INPUT_USD_PER_TOKEN + SUPPORT_OUTPUT_TOKENS * OUTPUT_USD_PER_TOKEN;
    const monthly = (costOf(agent) + costOf(triage)) * SUPPORT_CALLS_PER_DAY * 30;
    const support = tree.getTreeItem(budget('Support'));
    // Short enough for a normal side bar: the monthly cost is the limit furthest past its cap; the rest is in the tooltip.
    assert.equal(support.description, `$${Math.round(monthly)} of $100/mo`);
    assert.equal(support.description, '$150 of $100/mo');
    assert.match((support.tooltip as vscode.MarkdownString).value, new RegExp(`Cost per call: \\${formatUsd(Math.max(costOf(agent), costOf(triage)))}`));
    // Over: $150.24 a month against a $100 cap.
    assert.equal(iconOf(budget('Support')), 'error problemsErrorIcon.foreground');

    const weekly = encode(await fixtureText('budgets/summaries/weekly.prompt.md')).length;
    assert.equal(tree.getTreeItem(budget('Summaries')).description, `${weekly} / 50 tok`);
    // 43 of 50 tokens is past warnAt 0.8.
    assert.equal(iconOf(budget('Summaries')), 'warning problemsWarningIcon.foreground');

    assert.equal(tree.getTreeItem(budget('Drafts')).description, 'no files');
    assert.equal(iconOf(budget('Drafts')), 'pass testing.iconPassed');
  });

  it('explains every limit, the model and the count method in the tooltip', () => {
    const tooltip = tree.getTreeItem(budget('Support')).tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    const text = tooltip.value;
    assert.match(text, /\*\*Support\*\*: over budget/);
    assert.match(text, /\| Input tokens per call \(largest prompt\) \| 64 \| 2,000 \| 3% \| within budget \|/);
    assert.match(text, /\| Cost per call \(dearest prompt\) \| \$0\.0025 \| \$0\.01 \| 25% \| within budget \|/);
    assert.match(text, /\| Monthly cost \(all prompts\) \| \$150\.24 \| \$100\.00 \| 150% \| over budget \|/);
    assert.match(text, /Model: `budget-fixture-model`/);
    assert.match(text, /Counts: exact/);
  });

  it("lists a budget's files with tokens and share of the budget (cost in the tooltip); a click opens the file", async () => {
    const files = tree.getChildren(budget('Support'));
    const items = files.map((node) => tree.getTreeItem(node));
    assert.deepEqual(items.map((item) => item.label), ['agent.prompt.md', 'triage.json']);
    const agent = encode(await fixtureText('budgets/support/agent.prompt.md')).length;
    const cost = agent * INPUT_USD_PER_TOKEN + SUPPORT_OUTPUT_TOKENS * OUTPUT_USD_PER_TOKEN;
    // The share is of the tightest per-call limit: $0.0025 of $0.01 beats 64 of 2,000 tokens.
    assert.equal(items[0].description, `${agent} tok · ${Math.round((cost / 0.01) * 100)}%`);
    assert.match(String((items[0].tooltip as vscode.MarkdownString).value), new RegExp(`Cost per call: \\${formatUsd(cost)}`));
    assert.equal(items[0].contextValue, 'promptBudget.file');
    assert.equal(items[0].command?.command, 'vscode.open');
    const target = items[0].command?.arguments?.[0] as vscode.Uri;
    assert.equal(target.toString(), vscode.Uri.joinPath(folderUri(), 'budgets/support/agent.prompt.md').toString());
    await vscode.commands.executeCommand(items[0].command!.command, ...items[0].command!.arguments!);
    await waitFor('the file opened from the tree', () => vscode.window.activeTextEditor?.document.uri.toString() === target.toString());
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('shows the messages of a chat file with their tokens', async () => {
    const [, triageNode] = tree.getChildren(budget('Support'));
    assert.equal(tree.getTreeItem(triageNode).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const { messages } = await chatTokens('budgets/support/triage.json');
    const children = tree.getChildren(triageNode).map((node) => tree.getTreeItem(node));
    assert.deepEqual(
      children.map((item) => `${item.label}: ${item.description}`),
      [`system: ${messages[0]} tok`, `user: ${messages[1]} tok`],
    );
    // A click opens the file at the message, not at its top.
    const userMessage = children[1].command!;
    await vscode.commands.executeCommand(userMessage.command, ...userMessage.arguments!);
    const editor = await waitFor('triage.json in the editor', () => vscode.window.activeTextEditor?.document.uri.path.endsWith('/triage.json') && vscode.window.activeTextEditor);
    const lineText = editor.document.lineAt(editor.selection.active.line).text;
    assert.match(lineText, /"role": "user"/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('puts prompt files that no budget matches under "No budget"', async () => {
    const noBudget = roots().find((node) => node.kind === 'noBudget');
    assert.ok(noBudget, 'no "No budget" node');
    assert.equal(labelOf(noBudget), 'No budget');
    const items = tree.getChildren(noBudget).map((node) => tree.getTreeItem(node));
    const scratch = items.find((item) => item.label === 'scratch.prompt.md');
    assert.ok(scratch, `scratch.prompt.md missing from ${items.map((item) => item.label).join(', ')}`);
    // No budget: counted for the default model, priced on its input alone, and no share of a budget.
    const tokens = encode(await fixtureText('budgets/loose/scratch.prompt.md')).length;
    assert.match(String(scratch.description), new RegExp(`^${tokens} tok · \\$0\\.0000\\d+$`));
    assert.ok(items.some((item) => item.label === 'hello.prompt.md'));
  });

  it('adds a new prompt file that matches a budget, and removes it when the file is deleted', async () => {
    const draftsFolder = vscode.Uri.joinPath(folderUri(), 'budgets/drafts');
    const uri = vscode.Uri.joinPath(draftsFolder, 'new-draft.prompt.md');
    const text = 'Draft a polite reply declining the meeting invitation.\n';
    const drafts = () => tree.getTreeItem(budget('Drafts')).description;
    const changes: number[] = [];
    const listener = tree.onDidChangeTreeData(() => changes.push(Date.now()));
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      const tokens = encode(text).length;
      await waitFor('the new draft in the tree', () => drafts() === `${tokens} / 1k tok`);
      assert.ok(changes.length > 0, 'the tree did not announce the change');
      assert.deepEqual(tree.getChildren(budget('Drafts')).map(labelOf), ['new-draft.prompt.md']);
    } finally {
      // The whole folder, as a user would: its files leave the tree with it.
      await vscode.workspace.fs.delete(draftsFolder, { recursive: true });
      listener.dispose();
    }
    await waitFor('the deleted draft to leave the tree', () => drafts() === 'no files');
    assert.deepEqual(tree.getChildren(budget('Drafts')), []);
  });

  it('drops a listed file that is gone when it is read, instead of listing it as not counted', async () => {
    // A link to nowhere is listed by the watcher but cannot be opened: as a file deleted between listing and reading.
    const draftsFolder = vscode.Uri.joinPath(folderUri(), 'budgets/drafts');
    await vscode.workspace.fs.createDirectory(draftsFolder);
    const link = vscode.Uri.joinPath(draftsFolder, 'dangling.prompt.md');
    try {
      symlinkSync(vscode.Uri.joinPath(draftsFolder, 'nowhere.md').fsPath, link.fsPath);
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(draftsFolder, 'real.prompt.md'), new TextEncoder().encode('Say hello.\n'));
      await waitFor('the real draft in the tree', () => tree.getChildren(budget('Drafts')).some((node) => labelOf(node) === 'real.prompt.md'));
      await tree.scan.whenIdle();
      assert.deepEqual(tree.getChildren(budget('Drafts')).map(labelOf), ['real.prompt.md']);
      assert.equal(roots().find((node) => labelOf(node) === 'Not counted'), undefined, 'a file that is not there is listed as not counted');
    } finally {
      await vscode.workspace.fs.delete(draftsFolder, { recursive: true });
    }
    await waitFor('the drafts to leave the tree', () => tree.getTreeItem(budget('Drafts')).description === 'no files');
  });

  it('counts a file reached again through a linked folder once, as check does', async () => {
    const link = vscode.Uri.joinPath(folderUri(), 'budgets/support-again');
    try {
      symlinkSync(vscode.Uri.joinPath(folderUri(), 'budgets/support').fsPath, link.fsPath);
      await tree.scan.rescan();
      await tree.scan.whenIdle();
      const check = tree.scan.folders()[0].check;
      assert.ok(check, 'the view has no results');
      const paths = [...check.files.map((file) => file.relativePath)];
      assert.ok(paths.includes('budgets/support/agent.prompt.md'), paths.join(', '));
      assert.deepEqual(paths.filter((path) => path.startsWith('budgets/support-again/')), [], 'a linked copy is not counted again');
      const out: string[] = [];
      await runCli(['check', '--format', 'json'], { cwd: folderUri().fsPath, stdout: (text) => out.push(text), stderr: () => undefined, readFile: (path) => readFile(path), listFiles: listFilesBelow });
      assert.deepEqual(checkJson(check).unbudgeted, (JSON.parse(out.join('\n')) as ReturnType<typeof checkJson>).unbudgeted);
    } finally {
      unlinkSync(link.fsPath);
      await tree.scan.rescan();
      await tree.scan.whenIdle();
    }
  });

  it('lists a prompt file it cannot count (binary) under "Not counted", as check fails on it', async () => {
    const draftsFolder = vscode.Uri.joinPath(folderUri(), 'budgets/drafts');
    const uri = vscode.Uri.joinPath(draftsFolder, 'image.prompt.md');
    const notCounted = () => roots().find((node) => labelOf(node) === 'Not counted');
    try {
      await vscode.workspace.fs.writeFile(uri, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0d, 0x0a]));
      await waitFor('a "Not counted" node', () => notCounted() !== undefined);
      const [file] = tree.getChildren(notCounted()!);
      const item = tree.getTreeItem(file);
      assert.equal(item.label, 'image.prompt.md');
      assert.match(String(item.description), /binary file/);
    } finally {
      await vscode.workspace.fs.delete(draftsFolder, { recursive: true });
    }
    await waitFor('the node to go with the file', () => notCounted() === undefined);
  });
});
