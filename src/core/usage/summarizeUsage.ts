// Groups a ledger's buckets by periods and dimensions. A record with several tags (or linked to
// several budgets) counts in each of their groups, so such groups can sum to more than the totals.
import { blockLabel, usageBlocks } from './agents/usageBlocks';
import type { UsageBucket, UsageCounts } from './usageLedger';
import type { UsageGroupKey } from './usageRecord';

/** Sums as the CLI and the editor show them. `cost` is null when no record in the group has one. */
export interface UsageSums extends UsageCounts {
  cost: number | null;
}

export interface UsageGroup extends UsageSums {
  /** One value per grouping key, e.g. { day: '2026-11-03', model: 'gpt-4o' }. */
  keys: Partial<Record<UsageGroupKey, string>>;
}

/** A budget's name and the tags that link calls to it. */
export interface UsageBudgetLink {
  name: string;
  usageTags: readonly string[];
}

export const NO_USER = '(no user)';
export const NO_TAG = '(untagged)';
export const NO_BUDGET = '(no budget)';
/** The agent, project, session and block of records that no coding agent made. */
export const NOT_AN_AGENT = '(not an agent)';

/** Totals of all buckets. */
export function totalUsage(buckets: Iterable<UsageBucket>): UsageSums {
  const sums = emptySums();
  for (const bucket of buckets) addBucket(sums, bucket);
  return sums;
}

/** Groups by `by` (in that order), sorted by key values. */
export function groupUsage(buckets: Iterable<UsageBucket>, by: readonly UsageGroupKey[], budgets: readonly UsageBudgetLink[] = []): UsageGroup[] {
  const groups = new Map<string, UsageGroup>();
  const list = [...buckets];
  const blocks = by.includes('block') ? blockLabels(list) : undefined;
  for (const bucket of list) {
    for (const keys of keyCombinations(bucket, by, budgets, blocks)) {
      const id = by.map((key) => keys[key]).join('\u0000');
      let group = groups.get(id);
      if (!group) {
        group = { keys, ...emptySums() };
        groups.set(id, group);
      }
      addBucket(group, bucket);
    }
  }
  return [...groups.values()].sort((a, b) => {
    for (const key of by) {
      const order = (a.keys[key] ?? '').localeCompare(b.keys[key] ?? '');
      if (order !== 0) return order;
    }
    return 0;
  });
}

// A dated snapshot's date: OpenAI's gpt-4.1-mini-2025-04-14, Anthropic's claude-sonnet-4-5-20250929, Vertex's claude-3-opus@20240229.
const SNAPSHOT_DATE = /(?:-\d{4}-\d{2}-\d{2}|-20\d{6}|@20\d{6})$/;

/** A model id without its snapshot date, so a model's dated snapshots group under it. */
function withoutSnapshotDate(model: string): string {
  const undated = model.replace(SNAPSHOT_DATE, '');
  return undated || model;
}

/** The value of one grouping key for a bucket; tags and budgets can give several. */
export function keyValues(bucket: UsageBucket, key: UsageGroupKey, budgets: readonly UsageBudgetLink[], blocks?: ReadonlyMap<UsageBucket, string>): string[] {
  switch (key) {
    case 'day':
      return [bucket.day];
    case 'week':
      return [isoWeek(bucket.day)];
    case 'month':
      return [bucket.day.slice(0, 7)];
    case 'model':
      return [withoutSnapshotDate(bucket.model)];
    case 'snapshot':
      return [bucket.model];
    case 'provider':
      return [bucket.provider];
    case 'user':
      return [bucket.user ?? NO_USER];
    case 'tag':
      return bucket.tags.length > 0 ? bucket.tags : [NO_TAG];
    case 'budget': {
      const names = budgets.filter((budget) => budget.usageTags.some((tag) => bucket.tags.includes(tag))).map((budget) => budget.name);
      return names.length > 0 ? names : [NO_BUDGET];
    }
    case 'agent':
      return [bucket.agent ?? NOT_AN_AGENT];
    case 'project':
      return [bucket.agent === undefined ? NOT_AN_AGENT : (bucket.project ?? '(unknown)')];
    case 'session':
      return [bucket.agent === undefined ? NOT_AN_AGENT : (bucket.session ?? '(unknown)')];
    case 'block':
      return [blocks?.get(bucket) ?? NOT_AN_AGENT];
  }
}

/** Each agent bucket's 5-hour block, as its label. */
function blockLabels(buckets: readonly UsageBucket[]): Map<UsageBucket, string> {
  const labels = new Map<UsageBucket, string>();
  for (const block of usageBlocks(buckets, 0)) for (const bucket of block.buckets) labels.set(bucket, blockLabel(block));
  return labels;
}

function keyCombinations(bucket: UsageBucket, by: readonly UsageGroupKey[], budgets: readonly UsageBudgetLink[], blocks?: ReadonlyMap<UsageBucket, string>): Partial<Record<UsageGroupKey, string>>[] {
  let combinations: Partial<Record<UsageGroupKey, string>>[] = [{}];
  for (const key of by) {
    const values = keyValues(bucket, key, budgets, blocks);
    combinations = combinations.flatMap((combination) => values.map((value) => ({ ...combination, [key]: value })));
  }
  return combinations;
}

/** ISO 8601 week of a UTC date, e.g. '2026-W45'. */
export function isoWeek(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(date.getTime() + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  // Week 1 holds the year's first Thursday, so the Thursday's day of the year gives the week.
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function emptySums(): UsageSums {
  return { records: 0, calls: 0, inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, cost: null, unpricedRecords: 0 };
}

function addBucket(sums: UsageSums, bucket: UsageBucket): void {
  sums.records += bucket.records;
  sums.calls += bucket.calls;
  sums.inputTokens += bucket.inputTokens;
  sums.cachedInputTokens += bucket.cachedInputTokens;
  sums.cacheWriteTokens += bucket.cacheWriteTokens;
  sums.outputTokens += bucket.outputTokens;
  sums.unpricedRecords += bucket.unpricedRecords;
  if (bucket.records > bucket.unpricedRecords) sums.cost = (sums.cost ?? 0) + bucket.cost;
}
