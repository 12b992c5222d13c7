// `npm run test:integration`: runs out/test/integration/index.js inside the extension host
// of a real VS Code (code-server, driven by headless Chromium), then the workbench e2e
// checks. The last line printed is always `N passed, N failed` over both; CI reads it.
//
//   node test/host/runIntegrationTests.mjs [--grep PATTERN] [--no-e2e] [--verbose]
//   PROMPT_BUDGET_TEST_GREP=PATTERN works too.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCodeServer, HostError, repoRoot, startCodeServer } from './codeServer.mjs';
import { copyFixtureWorkspace } from './fixtureWorkspace.mjs';
import { runE2e } from './runE2e.mjs';
import { isNoise, launchBrowser, workbenchUrl } from './workbench.mjs';

const RESULT_PREFIX = 'PROMPT_BUDGET_RESULT '; // printed by test/integration/index.ts
// Both suites together; about 10 minutes on a busy 2-core machine, so the limit leaves room.
const TIMEOUT_MS = Number(process.env.PROMPT_BUDGET_TEST_TIMEOUT_MS ?? 30 * 60_000);

const testsPath = join(repoRoot, 'out', 'test', 'integration', 'index.js');

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string', default: process.env.PROMPT_BUDGET_TEST_GREP || undefined },
    'no-e2e': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

let totals = { passed: 0, failed: 0 };
// Which suite is running, so a timeout is counted against it in the summary.
let phase = 'integration';
const cleanups = [];

async function main() {
  for (const [file, hint] of [
    [join(repoRoot, 'dist', 'extension.js'), 'npm run build'],
    [testsPath, 'npm run compile-tests'],
  ]) {
    if (!existsSync(file)) throw new HostError(`${file} is missing; run \`${hint}\` first (npm run test:integration does both)`);
  }
  await ensureCodeServer();

  const suite = await runSuite();
  totals = { passed: suite.passed, failed: suite.failed };
  console.log(`integration: ${suite.passed} passed, ${suite.failed} failed${suite.pending ? `, ${suite.pending} skipped` : ''}`);

  if (!options['no-e2e']) {
    phase = 'e2e';
    const e2e = await runE2e({ grep: options.grep });
    totals.passed += e2e.passed;
    totals.failed += e2e.failed;
  }
}

/** Opens the workbench with the test payload and waits for the host to report run()'s outcome. */
async function runSuite() {
  const workspace = copyFixtureWorkspace();
  cleanups.push(() => workspace.remove());
  console.log(`integration: starting VS Code on a copy of test/fixtures/workspace (${workspace.path})`);
  const server = await startCodeServer({
    workspace: workspace.path,
    // The extension host is forked from the server and inherits its environment.
    env: options.grep ? { PROMPT_BUDGET_TEST_GREP: options.grep } : {},
  });
  cleanups.push(() => server.stop());
  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const page = await browser.newPage();

  let result = null;
  let resolveExit;
  const exited = new Promise((resolve) => (resolveExit = resolve));
  // Both hooks must exist before the workbench loads: it looks for them when the host starts.
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  await page.exposeFunction('codeAutomationLog', (type, message) => {
    const text = String(message);
    const resultLine = text.split('\n').find((line) => line.startsWith(RESULT_PREFIX));
    if (resultLine) result = JSON.parse(resultLine.slice(RESULT_PREFIX.length));
    else if (options.verbose || relayable(text)) console.log(type === 'error' ? `[error] ${text}` : text);
  });
  if (options.verbose) page.on('pageerror', (error) => console.log(`[page] ${error.message}`));

  const url = workbenchUrl(server, {
    folder: workspace.path,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testsPath,
  });
  await page.goto(url);
  const code = await exited;
  await browser.close();
  await server.stop();
  workspace.remove();

  if (!result) {
    console.log(`integration: the in-host suite reported no results (exit code ${code}); see the log lines above`);
    return { passed: 0, failed: 1, pending: 0 };
  }
  if (code !== 0 && result.failed === 0) {
    console.log(`integration: the extension host exited with code ${code} after the tests`);
    return { ...result, failed: 1 };
  }
  return result;
}

// The workbench forwards its own log too: drop its start-up chatter and the offline
// marketplace errors, keep everything the extension and the tests print.
const WORKBENCH_CHATTER = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache|\[Service Worker\]|ChatSessionStore:|Started local extension host|\[(?:File Watcher|perf)\b)/;

function relayable(text) {
  return text.trim() !== '' && !isNoise(text) && !WORKBENCH_CHATTER.test(text);
}

// Ctrl+C: exit through process.exit so the servers' exit hooks end their process groups.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const timer = setTimeout(async () => {
  const limit = TIMEOUT_MS >= 60_000 ? `${Math.round(TIMEOUT_MS / 60_000)} min` : `${Math.round(TIMEOUT_MS / 1000)} s`;
  console.log(`${phase}: timed out after ${limit} waiting for the tests to finish (set PROMPT_BUDGET_TEST_TIMEOUT_MS to change)`);
  // The summary (runAllTests.mjs) reads this line: an e2e run cut short is a failed e2e run.
  if (phase === 'e2e') console.log('e2e: 0 passed, 1 failed (timed out)');
  await finish(1, { passed: totals.passed, failed: totals.failed + 1 });
}, TIMEOUT_MS);
timer.unref();

let finishing = false;

async function finish(exitCode, counts) {
  // The timeout and main() can both get here; the first one decides the outcome.
  if (finishing) return;
  finishing = true;
  for (const cleanup of [...cleanups].reverse()) await Promise.resolve().then(cleanup).catch(() => {});
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(exitCode);
}

try {
  await main();
  await finish(totals.failed > 0 ? 1 : 0, totals);
} catch (error) {
  if (finishing) await new Promise(() => {}); // the timeout is already cleaning up and will exit
  console.log(`integration: ${error instanceof HostError ? error.message : error.stack}`);
  await finish(1, { passed: totals.passed, failed: totals.failed + 1 });
}
