// The test runners open a fresh copy of test/fixtures/workspace: the tests write into their
// workspace (configs, settings, git repositories), and a run stopped midway must leave the
// fixtures as committed. The copy keeps the folder's name, so titles and screenshots read the same.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './codeServer.mjs';

export const fixtureWorkspace = join(repoRoot, 'test', 'fixtures', 'workspace');

/** Copies the fixture workspace into a new temporary folder; returns its path and remove(), also run on exit (Ctrl+C included). */
export function copyFixtureWorkspace() {
  const scratch = mkdtempSync(join(tmpdir(), 'prompt-budget-fixtures-'));
  const workspace = join(scratch, 'workspace');
  cpSync(fixtureWorkspace, workspace, { recursive: true });
  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  process.once('exit', removeScratch);
  return {
    path: workspace,
    remove() {
      process.removeListener('exit', removeScratch);
      removeScratch();
    },
  };
}
