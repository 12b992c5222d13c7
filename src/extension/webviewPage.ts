// The frame of every Prompt Budget webview: a strict CSP (nothing remote; scripts only with this
// page's nonce, styles and images only from the extension), the shared stylesheet, and the page's own
// stylesheet and script from media/.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Options for panels that show a page of ours: scripts on, resources only from media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

/** A page with `body`, styled by media/webview.css and media/NAME.css, and run by media/NAME.js. */
export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, page: { name: string; title: string; body: string }): string {
  const nonce = randomBytes(18).toString('base64');
  const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file)).toString();
  const csp = `default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'; img-src ${webview.cspSource} data:;`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${media('webview.css')}">
  <link rel="stylesheet" href="${media(`${page.name}.css`)}">
  <title>${page.title}</title>
</head>
<body>
${page.body}
  <script nonce="${nonce}" src="${media(`${page.name}.js`)}"></script>
</body>
</html>`;
}
