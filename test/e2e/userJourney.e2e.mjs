// A prompt engineer's first minutes, on the repository's example workspace (what `npm start`
// opens): open a prompt, read the status bar and the inline counts, find the problem in the
// Problems panel, compare models, and look at the budgets. Each step saves a screenshot.
import { join } from 'node:path';
import { repoRoot } from '../host/codeServer.mjs';
import { dismissNotifications, openFile, runCommand, screenshot, waitForWorkbench, workbenchUrl } from '../host/workbench.mjs';

const examples = join(repoRoot, 'examples');
const statusItem = (page) => page.locator('.statusbar-item', { hasText: / tok · / }).first();

export const checks = [
  {
    name: 'journey: the example workspace opens with Prompt Budget',
    async run({ page, server }) {
      await page.goto(workbenchUrl(server, { folder: examples }));
      await waitForWorkbench(page);
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'prompt-budget.yaml' }).waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'journey: the status bar shows tokens, cost per call and the model of the open prompt',
    async run({ page }) {
      // Every text the status bar item shows, from before the prompt opens: the first count must
      // already be priced under the prompt's budget (its expected output), not a worst case that
      // is corrected once prompt-budget.yaml has been read.
      await page.evaluate(() => {
        const seen = (window.__promptBudgetStatusTexts = []);
        const record = () => {
          for (const item of document.querySelectorAll('.statusbar-item')) {
            const text = (item.textContent ?? '').replace(/\s+/g, ' ').trim();
            if (/ tok · /.test(text) && seen[seen.length - 1] !== text) seen.push(text);
          }
        };
        new MutationObserver(record).observe(document.querySelector('.part.statusbar'), { subtree: true, childList: true, characterData: true });
      });
      await openFile(page, 'agent.prompt.md');
      await statusItem(page).waitFor({ timeout: 30_000 });
      // 140 tokens is what OpenAI's tokenizer gives the body (the CLI test checks the count itself).
      const expected = /140 tok · \$[\d.]+ · gpt-4o/;
      const texts = await page.evaluate(() => window.__promptBudgetStatusTexts);
      if (texts.length === 0 || !texts.every((text) => expected.test(text))) throw new Error(`the status bar said ${JSON.stringify(texts)}`);
    },
  },
  {
    name: 'journey: inline counts follow each section',
    async run({ page }) {
      // VS Code draws decoration text as CSS `::after` content, so read it from computed styles.
      const readCounts = () =>
        page.evaluate(() =>
          [...document.querySelectorAll('.editor-instance .view-line span')]
            .map((element) => getComputedStyle(element, '::after').content)
            .filter((content) => /· \d+ tok/.test(content)),
        );
      let counts = [];
      for (let attempt = 0; attempt < 40 && counts.length < 4; attempt++) {
        counts = await readCounts();
        if (counts.length < 4) await page.waitForTimeout(250);
      }
      // Four sections: Role, Rules, Context, Question.
      if (counts.length !== 4) throw new Error(`expected 4 inline counts, saw ${counts.length}: ${counts.join(' | ')}`);
      await dismissNotifications(page);
      await screenshot(page, 'editor');
    },
  },
  {
    name: 'journey: the Problems panel names the max output that the model cannot produce',
    async run({ page }) {
      await page.keyboard.press('Control+Shift+M');
      // VS Code's own prompt-file checks list many entries too; filter to what Prompt Budget says.
      const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
      await filter.waitFor({ timeout: 10_000 });
      await filter.fill('Prompt Budget');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: "Max output of 20,000 tokens is over gpt-4o's limit of 16,384" });
      await row.first().waitFor({ timeout: 20_000 });
      await screenshot(page, 'problems');
    },
  },
  {
    name: 'journey: Compare Models opens a table of models with costs',
    async run({ page }) {
      await page.keyboard.press('Control+J'); // hide the Problems panel: room for the table
      await runCommand(page, 'Prompt Budget: Compare Models');
      await page.locator('.tabs-container .tab', { hasText: /Compare/ }).first().waitFor({ timeout: 20_000 });
      // A webview is an iframe holding the page's own iframe.
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await frame.locator('table tbody tr').nth(2).waitFor({ timeout: 30_000 });
      const text = await frame.locator('table').innerText();
      if (!/gpt-5\.5/.test(text) || !/≈/.test(text)) throw new Error(`comparison table lacks expected rows: ${text.slice(0, 200)}`);
      // The table wants the whole width, as a user would give it.
      await runCommand(page, 'Maximize Editor Group');
      await page.waitForTimeout(500);
      await screenshot(page, 'compare');
    },
  },
  {
    name: 'journey: the Prompt Budgets view shows each budget with its status',
    async run({ page }) {
      // Room for the view: only the prompt in the editor area (the panel was hidden for the comparison).
      await page.locator('.tabs-container .tab', { hasText: 'Compare Models' }).locator('.codicon-close').click();
      await page.keyboard.press('Control+Shift+E');
      const header = page.locator('.pane-header', { hasText: 'Prompt Budgets' });
      await header.waitFor({ timeout: 10_000 });
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      // Collapse the folder tree so the budgets view gets the height.
      const folders = page.locator('.pane-header', { hasText: 'examples' }).first();
      if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
      // And the usage view below it (the workbench restores it expanded after a reload).
      const usage = page.locator('.pane-header', { hasText: 'Prompt Usage' }).first();
      if ((await usage.count()) > 0 && (await usage.getAttribute('aria-expanded')) === 'true') await usage.click();
      const view = page.locator('.pane', { has: header });
      for (const name of ['Support agent', 'Summaries', 'Experiments']) {
        await view.locator('.monaco-list-row', { hasText: name }).first().waitFor({ timeout: 30_000 });
      }
      // The scan reports in batches: wait for every budget's tightest limit, as `prompt-budget check` gives it.
      await view.locator('.monaco-list-row', { hasText: /Support agent\s*\$2,125 of \$150\/mo/ }).first().waitFor({ timeout: 30_000 });
      await view.locator('.monaco-list-row', { hasText: /Summaries\s*86 \/ 2k tok/ }).first().waitFor({ timeout: 30_000 });
      const over = await view.locator('.monaco-list-row', { hasText: 'Experiments' }).first().innerText();
      if (!/574 \/ 400 tok/.test(over.replace(/\s+/g, ' '))) throw new Error(`Experiments row says "${over}"`);
      await screenshot(page, 'budgets');
    },
  },
];
