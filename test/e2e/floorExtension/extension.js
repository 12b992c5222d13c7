// The floor of the opening check (test/e2e/opening.e2e.mjs): an extension that does nothing but show
// the active document's name and line count in a status bar item of its own, on opening, on a switch of
// editors and on each edit. Timed beside Prompt Budget in the same runs, it shows what VS Code's own
// round trip (page → extension host → page) costs, which no extension can go below.
// Only files the check writes (open-*) get the item, so it stays out of other checks' screenshots.
// Its Sync command answers the page once the extension host has taken in everything the page did
// before (the host handles the page's messages in order): editors closed before it are closed there too.
const vscode = require('vscode');
const path = require('node:path');

function activate(context) {
  const item = vscode.window.createStatusBarItem('openingFloor.status', vscode.StatusBarAlignment.Right, 99);
  item.name = 'Opening floor';
  const render = () => {
    const document = vscode.window.activeTextEditor?.document;
    const name = document ? path.basename(document.fileName) : '';
    if (!document || !name.startsWith('open-')) {
      item.hide();
      return;
    }
    item.text = `${name} · ${document.lineCount} lines`;
    item.show();
  };
  let syncs = 0;
  context.subscriptions.push(
    item,
    vscode.commands.registerCommand('openingFloor.sync', () => {
      item.text = `Opening floor in step ${++syncs}`;
      item.show();
    }),
    vscode.window.onDidChangeActiveTextEditor(render),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === vscode.window.activeTextEditor?.document) render();
    }),
  );
  render();
}

module.exports = { activate };
