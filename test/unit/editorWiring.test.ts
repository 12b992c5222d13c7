// The editor's wiring, read from its source: one diagnostic collection, and prompt-budget.yaml read by
// its folder's owner alone. Both were broken before (a second collection for quotas, a second reader).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { CONFIG_FILE_NAMES } from '../../src/core/config/findConfigFile';

const extension = resolve(__dirname, '../../../src/extension');

/** The extension's source files (not the count worker's) that contain `pattern`. */
function filesMatching(pattern: RegExp): string[] {
  return readdirSync(extension)
    .filter((name) => name.endsWith('.ts'))
    .filter((name) => pattern.test(readFileSync(join(extension, name), 'utf8')));
}

test('the extension creates one diagnostic collection, in activate', () => {
  assert.deepEqual(filesMatching(/createDiagnosticCollection\(/), ['extension.ts']);
  assert.equal(readFileSync(join(extension, 'extension.ts'), 'utf8').match(/createDiagnosticCollection\(/g)?.length, 1);
});

test("prompt-budget.yaml is read and parsed in the editor by its folder's owner alone", () => {
  assert.deepEqual(filesMatching(/\b(readBudgetConfig|readNearestBudgetConfig|parseBudgetConfig|parseConfigWithCatalog|parseConfigSource)\(/), ['workspaceBudgets.ts']);
});

test('a workspace with prompt-budget.yaml at a folder root activates the extension at start-up, under every config name', () => {
  const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { activationEvents: string[] };
  const patterns = manifest.activationEvents.filter((event) => event.startsWith('workspaceContains:')).map((event) => event.slice('workspaceContains:'.length));
  // VS Code matches a pattern without `*` or `?` as one literal file name in each folder: braces there never match.
  const fileNames = patterns.filter((pattern) => !/[*?]/.test(pattern));
  assert.deepEqual(fileNames.filter((name) => /[{},]/.test(name)), []);
  for (const name of CONFIG_FILE_NAMES) assert.ok(fileNames.includes(name), `workspaceContains:${name}`);
});
