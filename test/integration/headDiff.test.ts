import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listFilesBelow } from '../../src/cli/listFilesBelow';
import { runCli } from '../../src/cli/runCli';
import type { PromptDiff, PromptFileDiff } from '../../src/core/promptDiff/diffPromptChecks';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { closeAllEditors, extensionApi, o200k, statusTooltip, waitFor } from './editorTestSupport';

const BEFORE = 'You are a support agent. Answer briefly.\n';
const AFTER = `${BEFORE}Cite the knowledge base article behind each answer, and never invent article numbers.\n`;
const TINY_TOKENIZER = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'tokenizers', 'tiny-tokenizer.json');
const CONFIG = 'version: 1\nbudgets:\n  - name: support\n    files: ["prompts/**"]\n    model: gpt-4o\n    expectedOutputTokens: 200\n    callsPerDay: 1000\n';

// A git repository of its own inside the workspace folder. The test host turns off git's automatic
// repository detection (test/host/codeServer.mjs), so the test opens it as a user would with Git: Open Repository.
describe('Prompts against HEAD (git)', () => {
  let api: PromptBudgetApi;
  let repository: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, stdio: 'pipe' });

  before(async () => {
    api = await extensionApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    repository = path.join(folder.uri.fsPath, `head-diff-${process.pid}`);
    mkdirSync(path.join(repository, 'prompts'), { recursive: true });
    git('init', '-q');
    git('config', 'user.name', 'Prompt Budget Test');
    git('config', 'user.email', 'test@example.com');
    git('config', 'commit.gpgsign', 'false');
    writeFileSync(path.join(repository, 'prompt-budget.yaml'), CONFIG);
    writeFileSync(path.join(repository, 'prompts', 'support.prompt.md'), BEFORE);
    git('add', '-A');
    git('commit', '-qm', 'base');
    writeFileSync(path.join(repository, 'prompts', 'support.prompt.md'), AFTER);
    const gitExtension = vscode.extensions.getExtension<{ getAPI(version: 1): { openRepository(root: vscode.Uri): Promise<unknown> } }>('vscode.git');
    assert.ok(gitExtension, 'VS Code’s git extension is not loaded');
    const gitApi = (gitExtension.isActive ? gitExtension.exports : await gitExtension.activate()).getAPI(1);
    assert.ok(await gitApi.openRepository(vscode.Uri.file(repository)), 'git did not open the repository');
  });

  after(async () => {
    await closeAllEditors();
    rmSync(repository, { recursive: true, force: true });
  });

  it('shows a changed prompt’s tokens and monthly cost against HEAD in the status bar tooltip', async () => {
    const uri = vscode.Uri.file(path.join(repository, 'prompts', 'support.prompt.md'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const change = await waitFor('the prompt’s change against HEAD', () => api.headDiffs.deltaFor(uri), 30_000);
    const added = o200k().encode(AFTER).length - o200k().encode(BEFORE).length;
    assert.equal(change.status, 'grown');
    assert.equal(change.delta.tokens, added);
    // gpt-4o input is $2.50 per million tokens; 1,000 calls a day for 30 days.
    assert.ok(Math.abs(change.monthly!.delta - (added * 2.5 * 1000 * 30) / 1e6) < 1e-9);
    const tooltip = await waitFor('the tooltip’s line against HEAD', () => statusTooltip(api).includes('Against HEAD') && statusTooltip(api));
    // Markdown-escaped, as the tooltip holds it: \+16 tok \(\+$1\.20/month\)
    assert.ok(tooltip.includes(`Against HEAD (saved file, grown): **\\+${added} tok \\(\\+$`), tooltip);
  });

  it('adds the delta to the changed prompt in the Prompt Budgets view', async () => {
    const tree = api.budgetTree;
    await tree.scan.start();
    // The repository's own prompt-budget.yaml governs its prompts: they are under its folder's node, in its budget.
    const file = 'prompts/support.prompt.md';
    const item = await waitFor(
      'the changed prompt in the Prompt Budgets view, with its delta',
      () => {
        const group = tree.getChildren().find((node) => node.kind === 'folder' && node.folder.uri.fsPath === repository);
        const budget = group && tree.getChildren(group).find((node) => node.kind === 'budget' && node.evaluation.name === 'support');
        const node = budget && tree.getChildren(budget).find((candidate) => candidate.kind === 'file' && candidate.usage.file === file);
        const shown = node && tree.getTreeItem(node);
        return shown && String(shown.description).includes('vs HEAD') ? shown : undefined;
      },
      30_000,
    );
    const added = o200k().encode(AFTER).length - o200k().encode(BEFORE).length;
    assert.match(String(item.description), new RegExp(` · \\+${added} tok \\(\\+\\$[\\d.]+/month\\) vs HEAD$`));
  });

  it('follows a save, not the keystrokes before it', async () => {
    const uri = vscode.Uri.file(path.join(repository, 'prompts', 'support.prompt.md'));
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const saved = api.headDiffs.deltaFor(uri);
    assert.ok(saved, 'no delta before the edit');
    const more = 'Thank the customer by name.\n';
    await editor.edit((edit) => edit.insert(document.lineAt(document.lineCount - 1).range.end, more));
    // Unsaved: the delta still describes the file on disk.
    assert.equal(api.headDiffs.deltaFor(uri)?.delta.tokens, saved.delta.tokens);
    await document.save();
    const expected = o200k().encode(AFTER + more).length - o200k().encode(BEFORE).length;
    const updated = await waitFor('the delta after the save', () => api.headDiffs.deltaFor(uri)?.delta.tokens === expected && api.headDiffs.deltaFor(uri), 30_000);
    assert.equal(updated.status, 'grown');
  });

  it('Compare with HEAD opens the same Markdown table as `prompt-budget diff --format md`', async () => {
    // The command compares the active prompt's repository.
    const prompt = vscode.Uri.file(path.join(repository, 'prompts', 'support.prompt.md'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(prompt), { preview: false });
    const document = (await vscode.commands.executeCommand('promptBudget.compareWithHead')) as vscode.TextDocument | undefined;
    assert.ok(document, 'the command opened no document');
    const text = document.getText();
    assert.match(text, /^### Prompt Budget: HEAD → working tree/);
    const now = readFileSync(path.join(repository, 'prompts', 'support.prompt.md'), 'utf8');
    const added = o200k().encode(now).length - o200k().encode(BEFORE).length;
    assert.ok(text.includes(`| prompts/support.prompt.md | grown | gpt-4o | ${o200k().encode(BEFORE).length} → ${o200k().encode(now).length} | +${added} |`), text);
    assert.match(text, /\| support \| /);
  });

  it('finds a new prompt without listing the repository again, and lists it afresh once HEAD moves', async function () {
    // Three waits on git and the worker: a busy machine needs more than the default 30 s.
    this.timeout(120_000);
    const support = vscode.Uri.file(path.join(repository, 'prompts', 'support.prompt.md'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(support), { preview: false });
    await waitFor('the prompt’s change against HEAD', () => api.headDiffs.deltaFor(support), 30_000);
    const listings = api.headDiffs.fullListings;
    const added = vscode.Uri.file(path.join(repository, 'prompts', 'greeting.prompt.md'));
    const text = 'Greet the customer by name.\n';
    writeFileSync(added.fsPath, text);
    // git learns of a file written outside VS Code on its own watcher's schedule, slow on a busy machine: ask it now.
    await refreshGit(repository);
    const change = await waitFor('the new prompt against HEAD', () => api.headDiffs.deltaFor(added), 30_000);
    assert.equal(change.status, 'added');
    assert.equal(change.delta.tokens, o200k().encode(text).length);
    assert.equal(api.headDiffs.fullListings, listings, 'the new file was looked at alone');

    git('add', '-A');
    git('commit', '-qm', 'greeting');
    const more = `${text}Keep it short.\n`;
    writeFileSync(added.fsPath, more);
    await refreshGit(repository);
    const grown = await waitFor('the committed prompt’s change against the new HEAD', () => (api.headDiffs.deltaFor(added)?.status === 'grown' ? api.headDiffs.deltaFor(added) : undefined), 30_000);
    assert.equal(grown.delta.tokens, o200k().encode(more).length - o200k().encode(text).length);
    assert.equal(api.headDiffs.fullListings, listings + 1, 'one listing for the new commit');
  });

  it('counts a model with a custom tokenizer file as `prompt-budget diff` does: exactly, with the file the config names', async function () {
    this.timeout(120_000);
    mkdirSync(path.join(repository, 'tokenizers'), { recursive: true });
    copyFileSync(TINY_TOKENIZER, path.join(repository, 'tokenizers', 'tiny-tokenizer.json'));
    writeFileSync(path.join(repository, 'prompt-budget.yaml'), `${CONFIG}  - name: fine-tuned\n    files: ["tuned/**"]\n    model: acme-ft\nmodels:\n  acme-ft:\n    contextWindow: 8192\n    tokenizer: ./tokenizers/tiny-tokenizer.json\n`);
    const tuned = vscode.Uri.file(path.join(repository, 'tuned', 'greet.prompt.md'));
    mkdirSync(path.dirname(tuned.fsPath), { recursive: true });
    writeFileSync(tuned.fsPath, 'hello hello\n');
    git('add', '-A');
    git('commit', '-qm', 'fine-tuned model');
    writeFileSync(tuned.fsPath, 'hello hello hello, hello\n');
    await refreshGit(repository);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(tuned), { preview: false });
    const editor = await waitFor('the fine-tuned prompt against HEAD', () => (api.headDiffs.deltaFor(tuned)?.status === 'grown' ? api.headDiffs.deltaFor(tuned) : undefined), 30_000);

    const cacheDir = mkdtempSync(path.join(tmpdir(), 'prompt-budget-head-diff-'));
    const out: string[] = [];
    try {
      const code = await runCli(['diff', '--format', 'json'], {
        cwd: repository,
        env: { ...process.env, PROMPT_BUDGET_CACHE_DIR: cacheDir },
        stdout: (text) => out.push(text),
        stderr: () => undefined,
        readFile: (file) => readFile(file),
        listFiles: listFilesBelow,
      });
      assert.equal(code, 0);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    const cli = (JSON.parse(out.join('\n')) as PromptDiff).files.find((change) => change.file === 'tuned/greet.prompt.md');
    assert.ok(cli, out.join('\n'));
    const sides = (change: PromptFileDiff) => ({ before: change.before && { tokens: change.before.tokens, exact: change.before.exact }, after: change.after && { tokens: change.after.tokens, exact: change.after.exact } });
    assert.deepEqual(sides(editor), sides(cli));
    assert.equal(editor.after?.exact, true, 'counted with the tokenizer file, not the estimate');
  });
});

/** Asks git for the repository's status now, as its own watcher would a moment later (git's API `status()`). */
async function refreshGit(root: string): Promise<void> {
  const gitExtension = vscode.extensions.getExtension<{ getAPI(version: 1): { getRepository(uri: vscode.Uri): { status(): Promise<void> } | null } }>('vscode.git');
  await gitExtension?.exports.getAPI(1).getRepository(vscode.Uri.file(root))?.status();
}
