// `npm test`: the unit suite (node --test), then the integration and e2e suites in a real VS Code
// (runIntegrationTests.mjs), each printing as it goes; then one summary of all three at the very
// end, so the unit figures are not 1,700 lines up. The last line is `N passed, N failed` over all.
// Arguments after `--` go to runIntegrationTests.mjs (e.g. `npm test -- --no-e2e`).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs a node script, relaying its output line by line and handing each line to `onLine`. */
function run(args, onLine) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['inherit', 'pipe', 'pipe'] });
    for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
      let pending = '';
      stream.on('data', (chunk) => {
        out.write(chunk);
        const lines = (pending + chunk.toString('utf8')).split('\n');
        pending = lines.pop();
        for (const line of lines) onLine(line.replace(/\r$/, ''));
      });
      stream.on('end', () => pending && onLine(pending));
    }
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const suites = { unit: undefined, integration: undefined, e2e: undefined };

// Piped, node --test reports in TAP: `# pass N`, `# fail N` (a terminal would get `ℹ pass N`).
const unit = { passed: undefined, failed: undefined, skipped: 0 };
const unitCode = await run(['--test', 'out/test/unit/'], (line) => {
  const match = /^(?:# |ℹ )(pass|fail|skipped) (\d+)$/.exec(line);
  if (match) unit[{ pass: 'passed', fail: 'failed', skipped: 'skipped' }[match[1]]] = Number(match[2]);
});
suites.unit = unit.passed === undefined ? { passed: 0, failed: 1, note: `no results (exit code ${unitCode})` } : { passed: unit.passed, failed: unit.failed ?? 0, skipped: unit.skipped };

const integrationCode = await run([join('test', 'host', 'runIntegrationTests.mjs'), ...process.argv.slice(2)], (line) => {
  const match = /^(integration|e2e): (\d+) passed, (\d+) failed(?:, (\d+) skipped)?/.exec(line);
  if (match) suites[match[1]] = { passed: Number(match[2]), failed: Number(match[3]), skipped: Number(match[4] ?? 0) };
});
if (!suites.integration) suites.integration = { passed: 0, failed: 1, note: `no results (exit code ${integrationCode})` };

console.log('\n== summary ==');
let passed = 0;
let failed = 0;
for (const [name, suite] of Object.entries(suites)) {
  if (!suite) continue; // e2e skipped (--no-e2e, or a --grep that matched none)
  passed += suite.passed;
  failed += suite.failed;
  // A skipped test is neither: it is named, so a test that keeps skipping itself is seen.
  console.log(`${name}: ${suite.passed} passed, ${suite.failed} failed${suite.skipped ? `, ${suite.skipped} skipped` : ''}${suite.note ? ` (${suite.note})` : ''}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(unitCode !== 0 || integrationCode !== 0 || failed > 0 ? 1 : 0);
