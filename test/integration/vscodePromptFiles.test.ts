// VS Code checks the header of a `.prompt.md` itself (its chat prompt files). With VS Code's defaults,
// the README's example must pass those checks, and Prompt Budget must still read its model.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../src/extension/problemDiagnostics';
import { closeAllEditors, currentAnalysis, extensionApi, waitFor } from './editorTestSupport';

/** The README's `.prompt.md` example: its first ```markdown block that starts with a header. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
  const block = /```markdown\n(---\n[\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README shows a .prompt.md example');
  return block[1];
}

/** VS Code's own findings on a prompt file (not ours), once its checker has run on the open editor. */
const scratch: string[] = [];

async function vscodeFindings(text: string, name: string, settled: (found: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-budget-vscode-'));
  scratch.push(folder);
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  const theirs = () => vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source !== DIAGNOSTIC_SOURCE);
  return waitFor(`VS Code's prompt header findings on ${name}`, () => (settled(theirs()) ? theirs() : undefined), 15_000);
}

describe("VS Code's own prompt-file checks", () => {
  afterEach(async () => {
    await closeAllEditors();
    for (const folder of scratch.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('flag a header VS Code 1.100 cannot read (an unquoted value, a number): the check runs here', async () => {
    const found = await vscodeFindings('---\ndescription: Answers a ticket\nmaxOutputTokens: 20000\n---\nAnswer the ticket.\n', 'control.prompt.md', (all) =>
      all.some((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error),
    );
    assert.ok(found.some((diagnostic) => /Unexpected token/.test(diagnostic.message)), found.map((diagnostic) => diagnostic.message).join('\n'));
  });

  it("find no error in the README's example, and Prompt Budget counts it for the model it names", async () => {
    const api = await extensionApi();
    // VS Code reports its findings (here: that 1.100 ignores `model`) once it has parsed the header.
    const found = await vscodeFindings(readmeExample(), 'readme-example.prompt.md', (all) => all.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const uri = vscode.window.activeTextEditor!.document.uri;
    const settled = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source !== DIAGNOSTIC_SOURCE);
    assert.deepEqual(
      settled.filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error).map((diagnostic) => diagnostic.message),
      [],
    );
    assert.ok(found.length > 0);
    for (const diagnostic of settled) assert.match(diagnostic.message, /metadata record 'model'/, 'the only remark is about model');
    const analysis = await currentAnalysis(api, vscode.window.activeTextEditor!.document);
    assert.equal(analysis.resolved.model?.id, 'gpt-4o-mini');
    assert.equal(analysis.resolved.source, 'file');
  });
});
