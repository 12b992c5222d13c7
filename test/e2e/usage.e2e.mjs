// The usage ledger as a user meets it on the example workspace: the Prompt Usage view with its
// quotas, and the dashboard's daily chart stacked by model. Saves the README's usage screenshot.
import { join } from 'node:path';
import { repoRoot } from '../host/codeServer.mjs';
import { dismissNotifications, runCommand, screenshot, waitForWorkbench, workbenchUrl } from '../host/workbench.mjs';

const examples = join(repoRoot, 'examples');

export const checks = [
  {
    name: 'usage: the Prompt Usage view lists the quotas of the example logs, and the dashboard draws the daily chart',
    async run({ page, server }) {
      await page.goto(workbenchUrl(server, { folder: examples }));
      await waitForWorkbench(page);
      await page.keyboard.press('Control+Shift+E');
      const header = page.locator('.pane-header', { hasText: 'Prompt Usage' });
      await header.waitFor({ timeout: 30_000 });
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      // Give the view the height: collapse the budgets view (the journey opens it again; the folder
      // tree stays open, as the journey's first check expects it after a reload).
      const budgets = page.locator('.pane-header', { hasText: 'Prompt Budgets' }).first();
      if ((await budgets.getAttribute('aria-expanded')) === 'true') await budgets.click();
      const view = page.locator('.pane', { has: header });
      for (const name of ['Team spend', 'Support calls', 'Claude tokens']) {
        await view.locator('.monaco-list-row', { hasText: name }).first().waitFor({ timeout: 30_000 });
      }
      await runCommand(page, 'Prompt Budget: Open Usage Dashboard');
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await frame.locator('#chart svg rect').first().waitFor({ timeout: 30_000 });
      const rows = await frame.locator('#rows tr').count();
      if (rows < 10) throw new Error(`the dashboard table has ${rows} rows`);
      await dismissNotifications(page);
      await page.waitForTimeout(500);
      await screenshot(page, 'usage');
      // Leave the workbench as the next checks expect it: no dashboard, the usage view closed.
      await runCommand(page, 'View: Close All Editors');
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    },
  },
];
