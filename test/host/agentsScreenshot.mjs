// The Prompt Usage view with its Agents section, on the example workspace and a home folder of
// generated Claude Code and Codex data (test/agentHomeFixture.ts), for docs/agents.md:
//
//   npm run build && npm run compile-tests && node test/host/agentsScreenshot.mjs
//
// Saves media/screenshots/agents.png. The server gets the agents' variables and the settings that
// turn the section and the status bar item on.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, repoRoot, startCodeServer } from './codeServer.mjs';
import { dismissNotifications, launchBrowser, screenshot, waitForWorkbench, workbenchUrl } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { writeAgentHome } = require(join(repoRoot, 'out/test/agentHomeFixture.js'));

const home = mkdtempSync(join(tmpdir(), 'prompt-budget-agents-shot-'));
await writeAgentHome(home, { now: Date.now(), cutOffLine: false });
await ensureCodeServer();
const examples = join(repoRoot, 'examples');
const server = await startCodeServer({
  workspace: examples,
  installExtension: true,
  settings: { 'promptBudget.usage.agents': ['claude-code', 'codex'], 'promptBudget.usage.agentsStatusBar': true },
  env: { CLAUDE_CONFIG_DIR: `${join(home, '.claude')},${join(home, '.config/claude')}`, CODEX_HOME: join(home, '.codex') },
});
let browser;
try {
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(workbenchUrl(server, { folder: examples }));
  await waitForWorkbench(page);
  await page.keyboard.press('Control+Shift+E');
  const header = page.locator('.pane-header', { hasText: 'Prompt Usage' });
  await header.waitFor({ timeout: 30_000 });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  // Give the view the height and width: collapse the folder tree and the budgets view, widen the side bar.
  for (const name of ['Examples', 'Prompt Budgets', 'Outline', 'Timeline']) {
    const other = page.locator('.pane-header', { hasText: name }).first();
    if ((await other.getAttribute('aria-expanded')) === 'true') await other.click();
  }
  // Drag the side bar's edge to the right.
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (sidebar) {
    const x = sidebar.x + sidebar.width;
    const y = sidebar.y + sidebar.height / 2;
    await page.mouse.move(x - 1, y);
    await page.mouse.down();
    await page.mouse.move(x + 220, y, { steps: 8 });
    await page.mouse.up();
  }
  const view = page.locator('.pane', { has: header });
  await view.locator('.monaco-list-row', { hasText: 'claude-code block' }).first().waitFor({ timeout: 60_000 });
  await page.locator('.statusbar-item', { hasText: 'today' }).first().waitFor({ timeout: 30_000 });
  await dismissNotifications(page);
  await page.mouse.move(1000, 700);
  await page.waitForTimeout(1000);
  const saved = await screenshot(page, 'agents');
  copyFileSync(saved, join(repoRoot, 'media/screenshots/agents.png'));
  console.log(`saved media/screenshots/agents.png (from ${saved})`);
} finally {
  await browser?.close().catch(() => {});
  await server.stop();
  rmSync(home, { recursive: true, force: true });
}
