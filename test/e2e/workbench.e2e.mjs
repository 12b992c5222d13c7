// What a user sees first: the workbench renders with this repo's extension loaded, and a
// prompt file opens from Quick Open. Run by test/host/runE2e.mjs; checks run in order in one
// window, so a later check can build on what an earlier one opened.
import { editorText, openFile, screenshot } from '../host/workbench.mjs';

export const checks = [
  {
    name: 'workbench renders as an Extension Development Host',
    async run({ page }) {
      await page.locator('.monaco-workbench .part.editor').waitFor();
      // The title proves the workbench took the extensionDevelopmentPath payload.
      const title = await page.locator('.monaco-workbench .part.titlebar').innerText();
      if (!title.includes('Extension Development Host')) throw new Error(`unexpected window title: ${title.trim()}`);
      // The explorer listing the fixture means the server-side file system answered.
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'hello.prompt.md' }).waitFor({ timeout: 30_000 });
      await screenshot(page, 'workbench');
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
