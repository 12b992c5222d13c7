// The same in-host suite on desktop VS Code (Electron), for machines that can download VS Code
// from Microsoft: @vscode/test-electron fetches it on first use. It cannot work on the offline
// build machines, so CI runs test/host/runIntegrationTests.mjs (code-server) instead.
//   npm run build && npm run compile-tests && node test/host/runWithElectron.mjs
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './codeServer.mjs';
import { copyFixtureWorkspace } from './fixtureWorkspace.mjs';

const VSCODE_VERSION = process.env.VSCODE_VERSION ?? '1.100.3'; // the host code-server carries

const workspace = copyFixtureWorkspace();
try {
  const exitCode = await runTests({
    version: VSCODE_VERSION,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [workspace.path, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: process.env.PROMPT_BUDGET_TEST_GREP ? { PROMPT_BUDGET_TEST_GREP: process.env.PROMPT_BUDGET_TEST_GREP } : undefined,
  });
  process.exit(exitCode);
} catch (error) {
  console.error(`runWithElectron: ${error?.message ?? error} (this needs to download VS Code; offline, use npm run test:integration)`);
  process.exit(1);
}
