// Drives the code-server web workbench in headless Chromium (playwright-core with the
// Debian browser: playwright's own browser download is not reachable from these machines).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath, HostError, repoRoot } from './codeServer.mjs';

export const screenshotDir = join(repoRoot, 'test-output', 'screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox', // root in a container
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** Launches headless Chromium; close it with `browser.close()`. */
export async function launchBrowser() {
  try {
    return await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new HostError(`could not start Chromium at ${chromiumPath}: ${String(error.message).split('\n')[0]}`);
  }
}

/**
 * The workbench URL for a code-server instance, with the extension under development loaded
 * from `extensionDevelopmentPath` and, for a test run, the module whose run() the host awaits.
 * Paths are server paths; the workbench reaches them through the vscode-remote authority.
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const authority = `127.0.0.1:${server.port}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDevelopmentPath}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`]);
  let url = `${server.base}/`;
  const query = [];
  if (folder) query.push(`folder=${encodeURI(folder)}`);
  if (payload.length) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  if (query.length) url += `?${query.join('&')}`;
  return url;
}

/** Waits until the workbench has rendered its parts and the editor area is ready for input. */
export async function waitForWorkbench(page, timeoutMs = 60_000) {
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench .part.activitybar, .monaco-workbench .part.sidebar', { timeout: timeoutMs });
}

/** Opens a workspace file by name through Quick Open (Ctrl+P), as a user would. */
export async function openFile(page, name) {
  await dismissNotifications(page);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  // Wait for a result that matches the name, so Enter does not pick a stale entry.
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: name })
    .first()
    .waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
}

/** The visible text of the active editor, with the editor's non-breaking spaces made plain. */
export async function editorText(page) {
  const text = await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Runs a command from the Command Palette (F1) by its title, e.g. 'Prompt Budget: Compare Models'. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
  try {
    await row.waitFor({ timeout: 10_000 });
  } catch {
    await page.keyboard.press('Escape');
    throw new Error(`command not found in the Command Palette: ${title}`);
  }
  await page.keyboard.press('Enter');
}

/**
 * Closes every editor and waits until no tab is left; a "save changes?" dialog is answered "Don't
 * Save" (only tests' own scratch edits reach it: fixtures are copies, and nothing is saved on its own).
 */
export async function closeAllEditorsDiscarding(page) {
  await runCommand(page, 'View: Close All Editors');
  const dontSave = page.getByRole('button', { name: "Don't Save" });
  if (await dontSave.waitFor({ state: 'visible', timeout: 2_000 }).then(() => true, () => false)) await dontSave.click();
  await page.locator('.part.editor .tabs-container .tab').first().waitFor({ state: 'detached', timeout: 15_000 });
}

/** Saves a full-page screenshot as test-output/screenshots/NAME.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path });
  return path;
}

/** Closes toasts (e.g. the offline marketplace errors) so they do not cover what a check looks at. */
export async function dismissNotifications(page) {
  const toasts = page.locator('.notifications-toasts .notification-toast');
  if ((await toasts.count()) === 0) return;
  await page.keyboard.press('Escape');
  const clear = page.locator('.notifications-toasts .codicon-notifications-clear, .notifications-toasts .codicon-close');
  for (let i = 0; i < 10 && (await toasts.count()) > 0 && (await clear.count()) > 0; i++) {
    await clear.first().click({ timeout: 2000 }).catch(() => {});
  }
}

/** Log lines from the workbench that are only the unreachable marketplace or other offline noise. */
export function isNoise(line) {
  return /open-vsx\.org|marketplace|gallery|ENOTFOUND|EAI_AGAIN|getaddrinfo|net::ERR_|Failed to fetch|update\.code\.visualstudio|default\.exp-tas\.com|vscode-sync/i.test(line);
}
