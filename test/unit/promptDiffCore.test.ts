import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import { diffPromptChecks } from '../../src/core/promptDiff/diffPromptChecks';
import { ledgerCallsPerDay } from '../../src/core/promptDiff/ledgerCallsPerDay';
import { checkSnapshot, type FolderSnapshot } from '../../src/core/promptDiff/snapshotCheck';
import type { UsageBucket } from '../../src/core/usage/usageLedger';

/** A folder held in memory at one revision. */
function snapshot(revision: string, files: Record<string, string>): FolderSnapshot {
  return {
    revision,
    listFiles: async () => Object.keys(files).sort(),
    readFile: async (path) => {
      if (!(path in files)) throw Object.assign(new Error(`${path}: no such file`), { code: 'ENOENT' });
      return new TextEncoder().encode(files[path]);
    },
  };
}

function bucket(day: string, tags: string[], calls: number): UsageBucket {
  return { day, provider: 'openai', model: 'gpt-4o', tags, records: calls, calls, inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, unpricedRecords: 0, cost: 0, recordCostRecords: 0 };
}

const CONFIG = 'version: 1\nbudgets:\n  - name: support\n    files: ["*.prompt.md"]\n    model: gpt-4o\n    callsPerDay: 10\n    usageTags: [support]\n';

describe('diffPromptChecks', () => {
  test('the ledger’s calls per day for a budget’s tags are shared by its prompts, and say so', async () => {
    const builtIn = ModelCatalog.builtIn();
    const before = await checkSnapshot(snapshot('HEAD', { 'prompt-budget.yaml': CONFIG, 'a.prompt.md': 'Answer.\n', 'b.prompt.md': 'Reply.\n' }), { builtIn });
    const after = await checkSnapshot(snapshot('working tree', { 'prompt-budget.yaml': CONFIG, 'a.prompt.md': 'Answer the question in full.\n', 'b.prompt.md': 'Reply.\n' }), { builtIn });
    // 90 calls tagged support over 3 days of logs (one day without any): 30 a day, 15 for each of the two prompts.
    const buckets = [bucket('2026-11-01', ['support'], 40), bucket('2026-11-02', ['support', 'beta'], 50), bucket('2026-11-03', ['other'], 7)];
    assert.deepEqual(ledgerCallsPerDay(buckets, ['support']), { callsPerDay: 30, calls: 90, days: 3 });
    assert.equal(ledgerCallsPerDay(buckets, ['nobody']), undefined);
    const diff = diffPromptChecks(before, after, { callRate: (tags) => ledgerCallsPerDay(buckets, tags) });
    assert.deepEqual(diff.files.map((change) => [change.file, change.status]), [['a.prompt.md', 'grown']]);
    const [change] = diff.files;
    assert.equal(change.monthly!.basis, 'ledger');
    assert.equal(change.monthly!.note, "30 calls/day of budget 'support' in the usage logs (3 days), shared by its 2 prompts");
    assert.ok(Math.abs(change.monthly!.delta - change.delta.cost! * 15 * 30) < 1e-12);
  });

  test('a prompt that leaves its budget is a budget change, priced by callsPerDay without ledger calls', async () => {
    const builtIn = ModelCatalog.builtIn();
    const before = await checkSnapshot(snapshot('HEAD', { 'prompt-budget.yaml': CONFIG, 'a.prompt.md': 'Answer.\n' }), { builtIn });
    const after = await checkSnapshot(snapshot('HEAD', { 'prompt-budget.yaml': CONFIG.replace('"*.prompt.md"', '"x/*.prompt.md"'), 'a.prompt.md': 'Answer.\n' }), { builtIn });
    const diff = diffPromptChecks(before, after);
    assert.deepEqual(diff.files.map((change) => [change.file, change.status, change.monthly?.basis]), [['a.prompt.md', 'budget changed', 'callsPerDay']]);
    const [change] = diff.files;
    assert.equal(change.before!.budget, 'support');
    assert.equal(change.after!.budget, null);
    assert.equal(change.delta.tokens, 0);
    // No budget, no call volume: the month it cost is gone from the total.
    assert.equal(change.monthly!.after, null);
    assert.ok(Math.abs(change.monthly!.delta + change.before!.cost! * 10 * 30) < 1e-12);
    assert.equal(diff.budgets[0].after!.files, 0);
  });
});
