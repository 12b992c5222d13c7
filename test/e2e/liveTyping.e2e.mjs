// What a user typing in a 1 MB prompt sees: keystrokes at its start, middle and end, each timed
// from the browser's keydown event to the status bar's new count in the page, and, for comparison,
// to the typed character's own appearance in the editor (VS Code's echo, without any extension). The latencies are
// logged (docs/performance.md quotes them), not asserted: a timed check would flake on a busy machine. What
// is asserted is that the count shown after the typing is the exact count of the text.
import { createRequire } from 'node:module';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../host/codeServer.mjs';
import { closeAllEditorsDiscarding, dismissNotifications, openFile, runCommand, waitForWorkbench } from '../host/workbench.mjs';

const require = createRequire(import.meta.url);
const FILE = 'typing-1mb.prompt.md';
const KEYSTROKES_PER_PLACE = 50;
const statusText = /([\d,]+) tok · /;

/** The status bar's token count, once it shows one. */
async function shownTokens(page) {
  const item = page.locator('.statusbar-item', { hasText: statusText }).first();
  await item.waitFor({ timeout: 60_000 });
  return Number(statusText.exec(await item.innerText())[1].replace(/,/g, ''));
}

/** In the page: the time of each keydown, when the editor's lines next change, and when the status bar's count next changes after it. */
function installProbe() {
  const probe = { pending: null, latencies: [], echoes: [], unchanged: 0 };
  const countText = () => {
    const item = [...document.querySelectorAll('.statusbar-item')].find((element) => / tok · /.test(element.textContent ?? ''));
    return item?.textContent ?? '';
  };
  window.addEventListener(
    'keydown',
    (event) => {
      // The event's own time stamp: when the browser took the key, before the editor handles it.
      probe.pending = { at: event.timeStamp, before: countText(), echo: undefined };
    },
    true,
  );
  new MutationObserver(() => {
    if (!probe.pending) return;
    if (countText() === probe.pending.before) return;
    probe.latencies.push(performance.now() - probe.pending.at);
    if (probe.pending.echo !== undefined) probe.echoes.push(probe.pending.echo);
    probe.pending = null;
  }).observe(document.querySelector('.part.statusbar'), { subtree: true, childList: true, characterData: true });
  new MutationObserver(() => {
    if (probe.pending && probe.pending.echo === undefined) probe.pending.echo = performance.now() - probe.pending.at;
  }).observe(document.querySelector('.editor-instance .monaco-editor .view-lines'), { subtree: true, childList: true, characterData: true });
  window.__promptBudgetTyping = probe;
}

/** Presses `key` and waits for the status bar's count to change (false if it did not within 5 s). */
async function pressAndWait(page, key) {
  await page.keyboard.press(key);
  try {
    await page.waitForFunction(() => window.__promptBudgetTyping.pending === null, undefined, { timeout: 5_000, polling: 10 });
    return true;
  } catch {
    await page.evaluate(() => {
      window.__promptBudgetTyping.pending = null;
      window.__promptBudgetTyping.unchanged++;
    });
    return false;
  }
}

function percentile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export const checks = [
  {
    name: 'typing: the count of a 1 MB prompt follows keystrokes at its start, middle and end (latencies logged), and stays exact',
    async run({ page, server, workspace }) {
      if (!page.url().startsWith(server.url) || page.url().includes('folder=')) {
        await page.goto(server.url);
        await waitForWorkbench(page);
      }
      const { mixedText } = require(join(repoRoot, 'out', 'test', 'bench', 'mixedText.js'));
      const text = mixedText(1_000_000);
      const file = join(workspace, FILE);
      writeFileSync(file, text);
      let typed = false;
      try {
        const { Tiktoken } = require('js-tiktoken/lite');
        const expected = new Tiktoken(require('js-tiktoken/ranks/o200k_base')).encode(text).length;
        await openFile(page, FILE);
        const opened = await shownTokens(page);
        if (opened !== expected) throw new Error(`on opening the status bar says ${opened} tokens; js-tiktoken counts ${expected}`);
        await dismissNotifications(page);
        await page.evaluate(installProbe);

        const lines = text.split('\n').length;
        const figures = [];
        for (const [place, line] of [['start', 3], ['middle', lines >> 1], ['end', lines]]) {
          // Go to the line, open an empty line after it, and type on that line: a letter, then Backspace.
          await page.locator('.editor-instance .monaco-editor textarea').first().focus();
          await page.keyboard.press('Control+G');
          await page.keyboard.type(String(line));
          await page.keyboard.press('Enter');
          await page.keyboard.press('End');
          // (A new line often leaves the count as it was: '\n\n' is one token, like '\n'.)
          await pressAndWait(page, 'Enter');
          await page.evaluate(() => {
            window.__promptBudgetTyping.latencies = [];
            window.__promptBudgetTyping.echoes = [];
            window.__promptBudgetTyping.unchanged = 0;
          });
          for (let i = 0; i < KEYSTROKES_PER_PLACE; i++) await pressAndWait(page, i % 2 === 0 ? 'x' : 'Backspace');
          const { latencies, echoes, unchanged } = await page.evaluate(() => window.__promptBudgetTyping);
          await pressAndWait(page, 'Backspace');
          const spread = (values) => `p50 ${percentile(values, 0.5).toFixed(0)} / p95 ${percentile(values, 0.95).toFixed(0)} / max ${Math.max(...values).toFixed(0)} ms`;
          figures.push(
            `${place} (line ${line}): count ${spread(latencies)} over ${latencies.length} keystrokes${unchanged ? ` (${unchanged} left the count as it was)` : ''}, ` +
              `the character itself ${spread(echoes)}`,
          );
        }
        console.log(`    keydown to the status bar's new count, and to the typed character in the editor, 1 MB .prompt.md: ${figures.join('; ')}`);
        // Every letter typed was deleted again: the text, and so its exact count, is the original's.
        const shown = await shownTokens(page);
        if (shown !== expected) throw new Error(`after typing the status bar says ${shown} tokens; js-tiktoken counts ${expected} for the same text`);
        typed = true;
      } finally {
        // The text is the original again, but the editor counts as changed: close it without saving. A
        // dirty 1 MB prompt left open would be restored in later checks' reloaded windows.
        await page.keyboard.press('Escape');
        const tab = page.locator('.part.editor .tabs-container .tab', { hasText: FILE });
        await runCommand(page, 'View: Revert and Close Editor').catch(() => {});
        const closed = await tab.waitFor({ state: 'detached', timeout: 10_000 }).then(() => true, () => false);
        const left = closed ? undefined : await closeAllEditorsDiscarding(page).then(() => undefined, (error) => error);
        rmSync(file, { force: true });
        // The check's own failure, if any, is the one to report.
        if (typed && left) throw new Error(`${FILE} could not be closed without saving after the typing: ${left.message}`);
      }
    },
    timeoutMs: 300_000,
  },
];
