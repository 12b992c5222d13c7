// Usage dashboard page: draws the daily chart (SVG, stacked by model) and the table from the
// extension's `update` message. No network, no eval; text goes in through textContent only.
// Figures arrive formatted (`shown`, `summary`): the extension formats them as its views and the
// CLI do, so this page never formats a number itself.
// @ts-check
(function () {
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const SERIES = 7;

  /** @param {string} tag @param {string} [text] @param {string} [className] */
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  /** @param {string} tag @param {Record<string, string | number>} attributes */
  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    return node;
  }

  function drawQuotas(quotas) {
    const section = /** @type {HTMLElement} */ (document.getElementById('quotas'));
    section.replaceChildren();
    for (const quota of quotas) {
      const card = el('div', undefined, 'quota ' + quota.status);
      card.append(el('strong', quota.shown.heading));
      const bar = el('div', undefined, 'bar');
      const fill = el('div', undefined, 'fill');
      fill.style.width = Math.min(100, quota.share * 100) + '%';
      const forecast = el('div', undefined, 'forecast');
      forecast.style.left = Math.min(100, quota.limit > 0 ? (quota.forecast / quota.limit) * 100 : 0) + '%';
      forecast.title = 'Forecast to the end of the period';
      bar.append(fill, forecast);
      card.append(bar);
      card.append(el('div', quota.shown.amounts, 'muted'));
      card.append(el('div', quota.shown.forecast, 'muted'));
      section.append(card);
    }
  }

  /** Stacked bars: one per day, one segment per model with a cost that day. */
  function drawChart(data) {
    const chart = /** @type {HTMLElement} */ (document.getElementById('chart'));
    const legend = /** @type {HTMLElement} */ (document.getElementById('legend'));
    chart.replaceChildren();
    legend.replaceChildren();
    const width = 800;
    const height = 240;
    const left = 48;
    const bottom = 20;
    const max = data.chartTop.cost || 1;
    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none' });
    root.append(svg('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: 'axis' }));
    const top = svg('text', { x: 2, y: 10 });
    top.textContent = data.chartTop.shown;
    root.append(top);
    const slot = (width - left) / Math.max(1, data.days.length);
    const barWidth = Math.max(2, slot * 0.7);
    let bars = 0;
    let segments = 0;
    data.days.forEach((day, index) => {
      let y = height - bottom;
      const x = left + index * slot + (slot - barWidth) / 2;
      const group = svg('g', {});
      for (const row of data.rows) {
        if (row.day !== day || !row.cost) continue;
        const h = (row.cost / max) * (height - bottom - 14);
        y -= h;
        const rect = svg('rect', { x, y, width: barWidth, height: Math.max(0.5, h), class: 'series-' + (data.models.indexOf(row.model) % SERIES) });
        const title = svg('title', {});
        title.textContent = day + ' · ' + row.model + ': ' + row.shown.cost + ', ' + row.shown.calls + ' calls';
        rect.append(title);
        group.append(rect);
        segments++;
      }
      root.append(group);
      bars++;
      if (data.days.length <= 31 || index % Math.ceil(data.days.length / 31) === 0) {
        const label = svg('text', { x: x, y: height - 6 });
        label.textContent = day.slice(5);
        root.append(label);
      }
    });
    chart.append(root);
    data.models.forEach((model, index) => {
      const item = el('li');
      item.append(el('span', undefined, 'swatch series-' + (index % SERIES)), document.createTextNode(model));
      legend.append(item);
    });
    return { bars, segments };
  }

  /** Draws the table, newest day first; returns its cells as shown. */
  function drawTable(rows) {
    const body = /** @type {HTMLElement} */ (document.getElementById('rows'));
    body.replaceChildren();
    const cells = [];
    for (const row of [...rows].reverse()) {
      const tr = el('tr');
      tr.append(el('td', row.day), el('td', row.model));
      const { calls, inputTokens, cachedInputTokens, outputTokens, cost } = row.shown;
      for (const value of [calls, inputTokens, cachedInputTokens, outputTokens, cost]) tr.append(el('td', value, 'numeric'));
      body.append(tr);
      cells.push([...tr.children].map((cell) => cell.textContent ?? ''));
    }
    return cells;
  }

  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.command !== 'update') return;
    const summary = /** @type {HTMLElement} */ (document.getElementById('summary'));
    summary.textContent = data.summary;
    drawQuotas(data.quotas);
    const { bars, segments } = drawChart(data);
    const cells = drawTable(data.rows);
    vscode.postMessage({ command: 'rendered', bars, segments, tableRows: cells.length, summary: summary.textContent, cells });
  });

  /** @type {HTMLElement} */ (document.getElementById('export-csv')).addEventListener('click', () => vscode.postMessage({ command: 'exportCsv' }));
  vscode.postMessage({ command: 'ready' });
})();
