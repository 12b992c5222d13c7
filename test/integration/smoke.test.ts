import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'prompt-budget.prompt-budget';

describe('Prompt Budget in a real VS Code', () => {
  it('runs in VS Code 1.100', () => {
    assert.match(vscode.version, /^1\.100\./);
  });

  it('is installed and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
  });

  it('reports how long activation took', async () => {
    const extension = vscode.extensions.getExtension<{ activationMs: number }>(EXTENSION_ID)!;
    const api = await extension.activate();
    assert.ok(Number.isFinite(api.activationMs));
    // Reported, not asserted against a limit: timings belong to benchmarks, not to tests.
    console.log(`activate() took ${api.activationMs.toFixed(1)} ms`);
  });

  it('opens the fixture workspace', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    const files = await vscode.workspace.findFiles('**/*.prompt.md');
    assert.ok(files.length > 0, 'no *.prompt.md file in the fixture workspace');
    const document = await vscode.workspace.openTextDocument(files[0]);
    assert.ok(document.getText().length > 0);
  });
});
