// The Compare Models webview: renders the rows the extension posts, sorts them, draws the
// cost chart. Every piece of data goes into the page through textContent, never as markup.
// @ts-check
(function () {
  // @ts-expect-error acquireVsCodeApi is provided by the webview host.
  const vscode = acquireVsCodeApi();

  /** @typedef {{ key: string, direction: 'ascending' | 'descending' }} Sort */
  /** @type {{ sort?: Sort, uri?: string, selection?: unknown } | undefined} */
  const saved = vscode.getState();
  /** @type {Sort | undefined} */
  let sort = saved && saved.sort;
  /** @type {any} */
  let latest;

  const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || message.command !== 'rows') return;
    latest = message;
    sort = sort || message.state.sort || { key: 'costPerCall', direction: 'ascending' };
    persist();
    render();
  });

  for (const header of document.querySelectorAll('th[data-sort]')) {
    const button = header.querySelector('button');
    if (!button) continue;
    button.addEventListener('click', () => {
      const key = header.getAttribute('data-sort') || 'costPerCall';
      const direction = sort && sort.key === key && sort.direction === 'ascending' ? 'descending' : 'ascending';
      sort = { key, direction };
      persist();
      render();
    });
  }

  byId('copy-markdown').addEventListener('click', () => vscode.postMessage({ command: 'copyMarkdown', sort }));
  byId('save-csv').addEventListener('click', () => vscode.postMessage({ command: 'saveCsv', sort }));
  byId('add-model').addEventListener('click', () => vscode.postMessage({ command: 'addModel' }));

  function persist() {
    vscode.setState(Object.assign({}, latest ? latest.state : saved, { sort }));
  }

  function render() {
    if (!latest || !sort) return;
    byId('subject-title').textContent = latest.subject.title;
    byId('subject-detail').textContent = latest.subject.detail;
    const problem = byId('problem');
    problem.hidden = !latest.notes.problem;
    problem.textContent = latest.notes.problem || '';
    byId('output-note').textContent = latest.notes.output;
    const unknown = byId('unknown-models');
    unknown.hidden = latest.notes.unknownModels.length === 0;
    unknown.textContent = `Not in the catalog, left out: ${latest.notes.unknownModels.join(', ')} (promptBudget.compareModels).`;
    byId('estimate-note').hidden = !latest.notes.estimates;
    const sources = byId('sources');
    sources.replaceChildren(...latest.notes.sources.map((/** @type {string} */ line) => element('li', '', line)));
    byId('empty').hidden = latest.rows.length > 0 || Boolean(latest.notes.problem);

    for (const header of document.querySelectorAll('th[data-sort]')) {
      const key = header.getAttribute('data-sort');
      header.setAttribute('aria-sort', key === sort.key ? sort.direction : 'none');
    }
    const rows = sortRows(latest.rows, sort);
    byId('rows').replaceChildren(...rows.map(tableRow));
    renderChart(rows);
  }

  /** Same order as the core's sortComparisonRows: missing values last either way, ties by model id. */
  function sortRows(/** @type {any[]} */ rows, /** @type {Sort} */ order) {
    const sign = order.direction === 'ascending' ? 1 : -1;
    const value = (/** @type {any} */ entry) => {
      const row = entry.row;
      if (order.key === 'model') return row.modelName.toLowerCase();
      if (order.key === 'provider') return row.provider.toLowerCase();
      return row[order.key] === undefined ? null : row[order.key];
    };
    return [...rows].sort((a, b) => {
      const valueA = value(a);
      const valueB = value(b);
      if (valueA === null || valueB === null) {
        if (valueA !== valueB) return valueA === null ? 1 : -1;
      } else if (valueA !== valueB) {
        const difference = typeof valueA === 'string' ? valueA.localeCompare(valueB) : valueA - valueB;
        if (difference !== 0) return sign * difference;
      }
      return a.row.modelId.localeCompare(b.row.modelId);
    });
  }

  function tableRow(/** @type {any} */ entry) {
    const { row, shown } = entry;
    const tr = document.createElement('tr');
    if (row.inputCost === null) tr.classList.add('unpriced');

    const model = element('td', 'model');
    model.append(element('span', 'model-name', shown.model));
    model.append(element('span', 'model-id muted', `${shown.modelId} · ${shown.provider}`));
    tr.append(model);

    const tokens = element('td', 'numeric', shown.tokens);
    // Which vocabulary counted (or that it is an estimate), its source on hover.
    tokens.append(element('span', 'muted block', shown.counting));
    tokens.title = shown.countingSource;
    tr.append(tokens);
    tr.append(element('td', 'numeric input-cost', shown.inputCost));
    const expected = element('td', 'numeric');
    expected.append(element('span', '', shown.expectedCostPerCall));
    expected.append(element('span', 'muted block', row.expectedOutputTokens === null ? 'no expected output set' : `${shown.expectedOutputTokens} output tokens`));
    tr.append(expected);
    const output = element('td', 'numeric');
    output.append(element('span', '', shown.outputCost));
    output.append(element('span', 'muted block', shown.outputTokens === 'n/a' ? 'no max output' : `${shown.outputTokens} tokens`));
    tr.append(output);
    tr.append(element('td', 'numeric strong', shown.costPerCall));
    tr.append(element('td', 'numeric per-thousand', shown.perThousandCalls));
    tr.append(contextCell(row, shown));
    return tr;
  }

  /** A bar of the context window: input solid (the context used), worst-case output lighter; red past 100%. */
  function contextCell(/** @type {any} */ row, /** @type {any} */ shown) {
    const cell = element('td', 'context');
    if (row.contextShare === null) {
      cell.append(element('span', 'muted', shown.context));
      return cell;
    }
    const bar = element('div', shown.over ? 'bar over' : 'bar');
    bar.setAttribute('role', 'img');
    bar.setAttribute('aria-label', `${shown.context} of ${shown.contextWindow} tokens used by the input, ${shown.worstCaseContext} with worst-case output`);
    const input = element('span', 'bar-input');
    const output = element('span', 'bar-output');
    const inputShare = Math.min(row.contextShare, 1);
    input.style.width = `${inputShare * 100}%`;
    output.style.width = row.worstCaseShare === null ? '0%' : `${Math.max(0, Math.min(row.worstCaseShare, 1) - inputShare) * 100}%`;
    bar.append(input, output);
    cell.append(bar);
    const label = element('span', shown.over ? 'context-label over-text' : 'context-label muted', `${shown.context} of ${shown.contextWindowCompact}`);
    cell.append(label);
    // What the lighter part of the bar is: the input plus the worst-case output.
    cell.append(element('span', 'context-label muted block', `with worst-case output ${shown.worstCaseContext}`));
    return cell;
  }

  function renderChart(/** @type {any[]} */ rows) {
    const priced = rows.filter((entry) => entry.row.costPerCall !== null);
    const largest = Math.max(0, ...priced.map((entry) => entry.row.costPerCall));
    const items = rows.map((entry) => {
      const { row, shown } = entry;
      const item = element('li', row.inputCost === null ? 'chart-row unpriced' : 'chart-row');
      item.append(element('span', 'chart-label', shown.model));
      const track = element('span', 'chart-track');
      if (row.costPerCall !== null) {
        const fill = element('span', row.exact ? 'chart-fill' : 'chart-fill estimate');
        // At least a sliver, so a cheap model still shows a bar next to an expensive one.
        fill.style.width = largest > 0 ? `${Math.max(0.5, (row.costPerCall / largest) * 100)}%` : '0.5%';
        track.append(fill);
      }
      item.append(track);
      // A priced model without a known max output has no worst case to draw: its cell says unknown.
      item.append(element('span', 'chart-value', row.inputCost === null ? 'n/a (no price)' : shown.costPerCall));
      return item;
    });
    byId('chart').replaceChildren(...items);
  }

  /** An element with a class and text; text is always set through textContent. */
  function element(/** @type {string} */ tag, /** @type {string} */ className, /** @type {string=} */ text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  vscode.postMessage({ command: 'ready' });
})();
