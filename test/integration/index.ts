// Runs inside the VS Code extension host: the workbench loads this module through the
// `extensionTestsPath` payload and awaits run(). Every `*.test.js` compiled next to it is a
// mocha (bdd) suite. Results go out as console lines, which the extension host forwards to
// the workbench and test/host/runIntegrationTests.mjs relays to the terminal.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** The line the outer runner parses for the counts; keep it in sync with runIntegrationTests.mjs. */
export const RESULT_PREFIX = 'PROMPT_BUDGET_RESULT ';

export function run(): Promise<void> {
  const grep = process.env.PROMPT_BUDGET_TEST_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // The first test pays for the extension's activation in a cold host.
    timeout: 30_000,
    reporter: LineReporter,
    ...(grep ? { grep } : {}),
  });
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));

  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures === 0) return resolve();
        const error = new Error(`${failures} integration test(s) failed`);
        error.stack = error.message; // the failures are reported above; the host logs this as is
        reject(error);
      });
    } catch (error) {
      reject(error);
    }
  });
}

/** One plain line per test, then the result line; spec-like but through console.log, which the host forwards. */
class LineReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
    let passed = 0;
    let failed = 0;
    let pending = 0;
    runner.on(EVENT_TEST_PASS, (test) => {
      passed++;
      console.log(`  ✓ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_FAIL, (test, error: Error) => {
      failed++;
      console.log(`  ✗ ${test.fullTitle()}\n    ${describeError(error)}`);
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      pending++;
      console.log(`  - ${test.fullTitle()} (skipped)`);
    });
    runner.on(EVENT_RUN_END, () => {
      console.log(`${RESULT_PREFIX}${JSON.stringify({ passed, failed, pending })}`);
    });
  }
}

function describeError(error: Error): string {
  // The message plus the first frames inside our own code is enough to find the failure.
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && (/\bout\/test\/|\bdist\//.test(line)))
    .slice(0, 3)
    .map((line) => line.trim());
  const message = `${error.name}: ${error.message}`.replace(/\n\s*\n/g, '\n').trim();
  return [...message.split('\n'), ...frames].join('\n    ');
}
