// The Compare Models page: static structure only; media/compareView.js fills it from the `rows`
// message. The page's CSP and nonce come from webviewPage.
import type * as vscode from 'vscode';
import type { ComparisonSortKey } from '../core/count/compareModels';
import { webviewPage } from './webviewPage';

/** The page: static structure only; the script fills it from the `rows` message. */
export function renderCompareHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const header = (label: string, key?: ComparisonSortKey, numeric = false, extraClass = '') =>
    key
      ? `<th scope="col" data-sort="${key}" class="${numeric ? 'numeric' : ''} ${extraClass}" aria-sort="none"><button type="button" class="sort">${label}<span class="sort-mark" aria-hidden="true"></span></button></th>`
      : `<th scope="col" class="${numeric ? 'numeric' : ''} ${extraClass}">${label}</th>`;
  return webviewPage(webview, extensionUri, {
    name: 'compareView',
    title: 'Compare Models',
    body: `  <header class="top">
    <div>
      <h1 id="subject-title">Compare Models</h1>
      <p id="subject-detail" class="muted">Counting…</p>
    </div>
    <div class="actions">
      <button type="button" id="copy-markdown">Copy as Markdown</button>
      <button type="button" id="save-csv" class="secondary">Save as CSV</button>
      <button type="button" id="add-model" class="secondary">Add model…</button>
    </div>
  </header>
  <p id="problem" class="problem" role="alert" hidden></p>
  <p id="output-note" class="note"></p>
  <p id="unknown-models" class="note warning" hidden></p>
  <div class="table-wrap">
    <table id="comparison">
      <caption class="visually-hidden">Tokens and cost per call by model; column headers sort the table</caption>
      <thead>
        <tr>
          ${header('Model', 'model')}
          ${header('Tokens', 'tokens', true)}
          ${header('Input', 'inputCost', true, 'input-cost')}
          ${header('Expected per call', 'expectedCostPerCall', true)}
          ${header('Worst-case output', 'outputCost', true)}
          ${header('Worst case per call', 'costPerCall', true)}
          ${header('Worst case per 1,000 calls', undefined, true, 'per-thousand')}
          ${header('Context used <span class="block muted sub">input; with worst-case output below</span>', 'contextShare')}
        </tr>
      </thead>
      <tbody id="rows"></tbody>
    </table>
  </div>
  <p id="empty" class="muted" hidden>No models to compare. Check the <code>promptBudget.compareModels</code> setting.</p>
  <section class="chart-section" aria-labelledby="chart-title">
    <h2 id="chart-title">Worst-case cost per call</h2>
    <ol id="chart" class="chart"></ol>
  </section>
  <footer>
    <p id="estimate-note" class="muted" hidden>≈ marks estimates: these models have no public tokenizer, or theirs is not on this machine yet (Prompt Budget: Download Tokenizer…), so their tokens and input cost are approximate (purple bars in the chart).</p>
    <ul id="sources" class="sources muted"></ul>
  </footer>`,
  });
}
