// The workbench as a user sees it: code-server with this repo's extension installed (linked),
// Chromium at 1400x900, and the checks exported by every test/e2e/*.e2e.mjs, run in order
// in one window. Screenshots land in test-output/screenshots/.
//
//   node test/host/runE2e.mjs [--grep PATTERN]     (needs `npm run build` first)
//
// A check file exports `checks`: [{ name, run: async ({ page, server, workspace }) => {}, timeoutMs? }];
// a check fails by throwing. A check may name test-only extensions to load beside ours (`extensions`: folders). Helpers (openFile, runCommand, screenshot) are in workbench.mjs.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureCodeServer, HostError, repoRoot, startCodeServer } from './codeServer.mjs';
import { copyFixtureWorkspace } from './fixtureWorkspace.mjs';
import { launchBrowser, screenshot, waitForWorkbench } from './workbench.mjs';

const e2eDir = join(repoRoot, 'test', 'e2e');
const CHECK_TIMEOUT_MS = 90_000;

/** Runs the e2e checks and returns { passed, failed }; never throws for a failing check. */
export async function runE2e({ grep } = {}) {
  const checks = await loadChecks(grep);
  if (checks.length === 0) {
    console.log('e2e: no checks selected');
    return { passed: 0, failed: 0 };
  }
  await ensureCodeServer();
  const copy = copyFixtureWorkspace();
  const workspace = copy.path;
  console.log(`e2e: starting VS Code on a copy of test/fixtures/workspace (${workspace})`);
  const testExtensions = [...new Set(checks.flatMap((check) => check.extensions ?? []))];
  const server = await startCodeServer({ workspace, installExtension: true, testExtensions }).catch((error) => {
    copy.remove();
    throw error;
  });
  let browser;
  let passed = 0;
  let failed = 0;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await waitForWorkbench(page);
    for (const check of checks) {
      const started = Date.now();
      try {
        await withTimeout(check.run({ page, server, workspace }), check.timeoutMs ?? CHECK_TIMEOUT_MS, check.name);
        passed++;
        console.log(`  ✓ e2e ${check.name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed++;
        const shot = await screenshot(page, `failed-${check.name}`).catch(() => null);
        console.log(`  ✗ e2e ${check.name}\n    ${String(error?.message ?? error).split('\n')[0]}${shot ? `\n    screenshot: ${shot}` : ''}`);
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
    copy.remove();
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return { passed, failed };
}

async function loadChecks(grep) {
  const pattern = grep ? new RegExp(grep) : null;
  const checks = [];
  for (const name of readdirSync(e2eDir).filter((file) => file.endsWith('.e2e.mjs')).sort()) {
    const module = await import(pathToFileURL(join(e2eDir, name)).href);
    for (const check of module.checks ?? []) {
      if (!pattern || pattern.test(check.name)) checks.push(check);
    }
  }
  return checks;
}

function withTimeout(promise, ms, name) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { grep: { type: 'string', default: process.env.PROMPT_BUDGET_TEST_GREP || undefined } } });
  // Ctrl+C: exit through process.exit so the server's exit hook ends its process group.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  let result = { passed: 0, failed: 1 };
  try {
    result = await runE2e({ grep: values.grep });
  } catch (error) {
    console.log(`e2e: ${error instanceof HostError ? error.message : error.stack}`);
  }
  console.log(`${result.passed} passed, ${result.failed} failed`);
  process.exit(result.failed > 0 ? 1 : 0);
}
