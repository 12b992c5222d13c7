import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { runCliInProcess } from '../runCliInProcess';

const examples = resolve(__dirname, '../../../examples');

test("usage groups a model's dated snapshots under the model, and --by snapshot splits them", async () => {
  const byModel = JSON.parse((await runCliInProcess(['usage', '--by', 'model', '--until', '2026-12-02', '--format', 'json'], examples)).stdout) as { groups: { model: string; calls: number }[] };
  const models = byModel.groups.map((group) => group.model);
  assert.ok(models.includes('gpt-4.1-mini') && models.includes('claude-sonnet-4-5') && models.includes('gpt-4o-mini'), models.join(', '));
  assert.ok(!models.some((model) => /-\d{4}-\d{2}-\d{2}$|-20\d{6}$/.test(model)), `no dated snapshot of its own: ${models.join(', ')}`);
  const bySnapshot = JSON.parse((await runCliInProcess(['usage', '--by', 'snapshot', '--until', '2026-12-02', '--format', 'json'], examples)).stdout) as { groups: { snapshot: string; calls: number }[] };
  const snapshots = bySnapshot.groups.map((group) => group.snapshot);
  assert.ok(snapshots.includes('gpt-4.1-mini') && snapshots.includes('gpt-4.1-mini-2025-04-14'), snapshots.join(', '));
  // The same calls, counted once either way.
  const calls = (groups: { calls: number }[]) => groups.reduce((sum, group) => sum + group.calls, 0);
  assert.equal(calls(byModel.groups), calls(bySnapshot.groups));
  const mini = (groups: { calls: number }[], names: string[], pick: (group: never) => string) => groups.filter((group) => names.includes(pick(group as never))).reduce((sum, group) => sum + group.calls, 0);
  assert.equal(
    mini(byModel.groups, ['gpt-4.1-mini'], (group: { model: string }) => group.model),
    mini(bySnapshot.groups, ['gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14'], (group: { snapshot: string }) => group.snapshot),
  );
});
