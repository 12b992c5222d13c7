// What a user sees first: the workbench renders, lists Prompt Budget as installed, and opens a
// prompt file from Quick Open. Run by test/host/runE2e.mjs; checks run in order in one window,
// so a later check can build on what an earlier one opened.
import { editorText, openFile, screenshot, waitForWorkbench } from '../host/workbench.mjs';

export const checks = [
  {
    name: 'workbench renders the fixture workspace',
    async run({ page, server }) {
      // Other check files may have opened another folder in this window.
      if (!page.url().startsWith(server.url)) {
        await page.goto(server.url);
        await waitForWorkbench(page);
      }
      await page.locator('.monaco-workbench .part.editor').waitFor();
      // The explorer listing the fixture means the server-side file system answered.
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'hello.prompt.md' }).waitFor({ timeout: 30_000 });
      await screenshot(page, 'workbench');
    },
  },
  {
    name: 'lists Prompt Budget among the installed extensions',
    async run({ page }) {
      await page.keyboard.press('Control+Shift+X');
      // The view focuses its search box (a small Monaco editor) when it opens.
      await page.locator('.extensions-viewlet .suggest-input-container .monaco-editor.focused').waitFor();
      await page.keyboard.type('@installed');
      await page.locator('.extensions-viewlet .extension-list-item', { hasText: 'Prompt Budget' }).first().waitFor({ timeout: 20_000 });
      await screenshot(page, 'installed-extensions');
      await page.keyboard.press('Control+Shift+E'); // back to the explorer
    },
  },
  {
    name: 'opens a prompt file from Quick Open',
    async run({ page }) {
      await openFile(page, 'hello.prompt.md');
      const text = await editorText(page);
      if (!text.includes('friendly assistant')) throw new Error(`editor shows unexpected text: ${text.slice(0, 80)}`);
      await screenshot(page, 'hello-prompt');
    },
  },
];
