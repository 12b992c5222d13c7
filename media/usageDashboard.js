// Usage dashboard page: draws the daily chart (SVG, stacked by model) and the table from the
// extension's `update` message. No network, no eval; text goes in through textContent only.
// @ts-check
(function () {
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const SERIES = 7;

  /** @param {number} usd */
  function cost(usd) {
    if (usd === 0) return '$0';
    if (usd >= 100) return '$' + Math.round(usd).toLocaleString('en');
    if (usd >= 0.1) return '$' + usd.toFixed(2);
    return '$' + Number(usd.toPrecision(2)).toString();
  }
  /** @param {number} n */
  function count(n) {
    return Math.round(n).toLocaleString('en');
  }
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

  function amount(metric, value) {
    return metric === 'cost' ? cost(value) : count(value) + ' ' + metric;
  }

  function drawQuotas(quotas) {
    const section = /** @type {HTMLElement} */ (document.getElementById('quotas'));
    section.replaceChildren();
    for (const quota of quotas) {
      const card = el('div', undefined, 'quota ' + quota.status);
      card.append(el('strong', quota.name + ' (' + quota.metric + ', ' + quota.period + ')'));
      const bar = el('div', undefined, 'bar');
      const fill = el('div', undefined, 'fill');
      fill.style.width = Math.min(100, quota.share * 100) + '%';
      const forecast = el('div', undefined, 'forecast');
      forecast.style.left = Math.min(100, quota.limit > 0 ? (quota.forecast / quota.limit) * 100 : 0) + '%';
      forecast.title = 'Forecast to the end of the period';
      bar.append(fill, forecast);
      card.append(bar);
      card.append(el('div', amount(quota.metric, quota.used) + ' of ' + amount(quota.metric, quota.limit) + ' (' + Math.round(quota.share * 100) + '%) — ' + quota.status, 'muted'));
      card.append(el('div', 'Forecast by ' + quota.periodEnd + ': ' + amount(quota.metric, quota.forecast), 'muted'));
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
    const perDay = new Map(data.days.map((day) => [day, 0]));
    for (const row of data.rows) perDay.set(row.day, (perDay.get(row.day) ?? 0) + (row.cost ?? 0));
    const max = Math.max(0, ...perDay.values()) || 1;
    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none' });
    root.append(svg('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: 'axis' }));
    const top = svg('text', { x: 2, y: 10 });
    top.textContent = cost(max);
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
        title.textContent = day + ' · ' + row.model + ': ' + cost(row.cost) + ', ' + count(row.calls) + ' calls';
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

  function drawTable(rows) {
    const body = /** @type {HTMLElement} */ (document.getElementById('rows'));
    body.replaceChildren();
    for (const row of [...rows].reverse()) {
      const tr = el('tr');
      tr.append(el('td', row.day), el('td', row.model));
      for (const value of [count(row.calls), count(row.inputTokens), count(row.cachedInputTokens), count(row.outputTokens), row.cost === null ? '—' : cost(row.cost)]) {
        tr.append(el('td', value, 'numeric'));
      }
      body.append(tr);
    }
    return rows.length;
  }

  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.command !== 'update') return;
    const totals = data.totals;
    const total = totals.cost === null ? 'no cost known' : cost(totals.cost);
    const unpriced = totals.unpricedRecords > 0 ? ' · ' + totals.unpricedRecords + ' record(s) without a price' : '';
    /** @type {HTMLElement} */ (document.getElementById('summary')).textContent =
      count(totals.calls) + ' calls · ' + count(totals.inputTokens) + ' input tokens (' + count(totals.cachedInputTokens) + ' cached) · ' + count(totals.outputTokens) + ' output tokens · ' + total + unpriced + ' — ' + data.records + ' records from ' + data.files + ' log(s), ' + data.skipped + ' lines skipped';
    drawQuotas(data.quotas);
    const { bars, segments } = drawChart(data);
    const tableRows = drawTable(data.rows);
    vscode.postMessage({ command: 'rendered', bars, segments, tableRows });
  });

  /** @type {HTMLElement} */ (document.getElementById('export-csv')).addEventListener('click', () => vscode.postMessage({ command: 'exportCsv' }));
  vscode.postMessage({ command: 'ready' });
})();
