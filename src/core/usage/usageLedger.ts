// Accumulates normalised usage into per-day buckets (day × provider × model × user × tags), which is
// all that grouping and quotas need: memory grows with the number of distinct buckets, not with the
// size of the logs. Response ids are remembered (as hashes) so the same call is counted once.
import { recognizeUsage, type RecognizedUsage } from './recognizeUsage';
import { ResponseIdSet } from './responseIdSet';
import { UsagePricer } from './priceUsage';
import type { CostSource, UsageProblem, UsageRecord } from './usageRecord';
import { usageRecordProblem } from './usageRecordProblem';

export { MAX_RECORD_CALLS, MAX_RECORD_COST, MAX_RECORD_TOKENS } from './usageRecordProblem';

/** The sums of one day, provider, model, user and set of tags. */
/** What a bucket, and a group of buckets, adds up. */
export interface UsageCounts {
  records: number;
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  /** Records without a cost (no price data for their model). */
  unpricedRecords: number;
}

export interface UsageBucket extends UsageCounts {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  provider: string;
  model: string;
  user?: string;
  tags: string[];
  /** USD of the records that have a cost. */
  cost: number;
  /** Records whose cost came from the record itself rather than from price data. */
  recordCostRecords: number;
  /** A coding agent's records (see UsageRecord) are kept by agent, project, session and hour. */
  agent?: string;
  project?: string;
  session?: string;
  /** Epoch ms of the UTC hour the bucket covers (agents' records only): 5-hour blocks need it. */
  hour?: number;
  /** Epoch ms of the first and last record in the bucket (agents' records only). */
  first?: number;
  last?: number;
}

/** The fields an agent's reader adds to a recognised record. */
export interface AgentFields {
  agent?: string;
  project?: string;
  session?: string;
}

export interface UsageLedgerOptions {
  /** Records before this epoch ms are left out. */
  since?: number;
  /** Records at or after this epoch ms are left out. */
  until?: number;
  /** At most this many problems are kept (the rest are counted). */
  maxProblems?: number;
}

const HOUR_MS = 3_600_000;

/** Usage read so far, with the problems of the lines that could not be used. */
export class UsageLedger {
  readonly buckets = new Map<string, UsageBucket>();
  readonly problems: UsageProblem[] = [];
  /** Problems beyond `maxProblems`, counted but not kept. */
  droppedProblems = 0;
  /** Records counted. */
  records = 0;
  /** Lines (or rows) that gave no usage: malformed, unrecognised, duplicates, out of range. */
  skipped = 0;
  duplicates = 0;
  /** Epoch ms of the earliest and latest record counted. */
  from?: number;
  to?: number;
  private readonly ids = new ResponseIdSet();
  private readonly pricer = new UsagePricer();
  /** Unrecognised lines per file: reported once per file, not once per line. */
  private readonly unrecognised = new Map<string, { count: number; firstLine: number; reason: string }>();

  constructor(private readonly options: UsageLedgerOptions = {}) {}

  problem(file: string, line: number, message: string): void {
    this.skipped++;
    this.note(file, line, message);
  }

  /** Reports something about a line that was still counted (e.g. a model assumed). */
  note(file: string, line: number, message: string): void {
    if (this.problems.length < (this.options.maxProblems ?? 1000)) this.problems.push({ file, line, message });
    else this.droppedProblems++;
  }

  /** Counts one parsed JSON value (a line, a row, a page) read from `file` at `line`. */
  addValue(file: string, line: number, value: unknown): void {
    const recognition = recognizeUsage(value);
    if ('error' in recognition) {
      this.problem(file, line, recognition.error);
      return;
    }
    if ('ignored' in recognition) {
      // Empty buckets of an export are part of the format, not lines that were skipped.
      if (recognition.quiet) return;
      this.skipped++;
      const seen = this.unrecognised.get(file);
      if (seen) seen.count++;
      else this.unrecognised.set(file, { count: 1, firstLine: line, reason: recognition.ignored });
      return;
    }
    for (const usage of recognition.usage) this.addUsage(file, line, usage);
  }

  /** Checks, deduplicates, prices and counts one recognised record read from `file` at `line`. */
  addUsage(file: string, line: number, usage: RecognizedUsage & AgentFields): void {
    const problem = usageRecordProblem(usage);
    if (problem !== undefined || usage.time === undefined) {
      this.problem(file, line, problem ?? 'no time in the record');
      return;
    }
    if ((this.options.since !== undefined && usage.time < this.options.since) || (this.options.until !== undefined && usage.time >= this.options.until)) {
      this.skipped++;
      return;
    }
    if (usage.id !== undefined && !this.ids.add(usage.id)) {
      this.duplicates++;
      this.skipped++;
      return;
    }
    let provider = usage.provider || this.pricer.providerOf(usage.model) || 'unknown';
    // DeepSeek, Groq and others answer in OpenAI's shape: the price data names the real vendor.
    if (usage.providerGuessed) provider = this.pricer.pricedProvider(provider, usage.model, usage.time) ?? provider;
    delete usage.providerGuessed;
    let cost = usage.cost;
    let costSource: CostSource = 'record';
    if (cost === undefined) {
      cost = this.pricer.price(provider, usage.model, usage.time, usage);
      costSource = cost === undefined ? 'none' : 'price-data';
    }
    usage.provider = provider;
    usage.cost = cost;
    this.add(usage as UsageRecord, costSource);
  }

  /** Counts one normalised record (already deduplicated and priced). */
  add(record: UsageRecord, costSource: CostSource = record.costSource): void {
    const day = this.dayOf(record.time);
    const tags = record.tags.length > 1 ? [...new Set(record.tags)].sort() : record.tags;
    const hour = record.agent === undefined ? undefined : Math.floor(record.time / HOUR_MS) * HOUR_MS;
    let key = `${day}\u0000${record.provider}\u0000${record.model}\u0000${record.user ?? ''}\u0000${tags.join('\u0001')}`;
    if (record.agent !== undefined) key += `\u0000${record.agent}\u0000${record.project ?? ''}\u0000${record.session ?? ''}\u0000${hour}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = {
        day,
        provider: record.provider,
        model: record.model,
        user: record.user,
        tags,
        records: 0,
        calls: 0,
        inputTokens: 0,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 0,
        cost: 0,
        unpricedRecords: 0,
        recordCostRecords: 0,
      };
      if (record.agent !== undefined) Object.assign(bucket, { agent: record.agent, project: record.project, session: record.session, hour, first: record.time, last: record.time });
      this.buckets.set(key, bucket);
    }
    if (bucket.first !== undefined && record.time < bucket.first) bucket.first = record.time;
    if (bucket.last !== undefined && record.time > bucket.last) bucket.last = record.time;
    bucket.records++;
    bucket.calls += record.calls;
    bucket.inputTokens += record.inputTokens;
    bucket.cachedInputTokens += record.cachedInputTokens;
    bucket.cacheWriteTokens += record.cacheWriteTokens;
    bucket.outputTokens += record.outputTokens;
    if (record.cost === undefined) bucket.unpricedRecords++;
    else bucket.cost += record.cost;
    if (costSource === 'record') bucket.recordCostRecords++;
    this.records++;
    if (this.from === undefined || record.time < this.from) this.from = record.time;
    if (this.to === undefined || record.time > this.to) this.to = record.time;
  }

  private lastDay = { number: NaN, text: '' };

  /** The UTC date of `time`; logs are mostly in time order, so the last answer is kept. */
  private dayOf(time: number): string {
    const number = Math.floor(time / 86_400_000);
    if (number !== this.lastDay.number) this.lastDay = { number, text: new Date(number * 86_400_000).toISOString().slice(0, 10) };
    return this.lastDay.text;
  }

  /** Problems, with one summary line per file for lines that held no usage in a known format. */
  allProblems(): UsageProblem[] {
    const summaries = [...this.unrecognised].map(([file, seen]) => ({
      file,
      line: seen.firstLine,
      message: seen.count === 1 ? `skipped: ${seen.reason}` : `skipped ${seen.count} lines with no usage in a recognised format (first here: ${seen.reason})`,
    }));
    const dropped = this.droppedProblems > 0 ? [{ file: this.problems[this.problems.length - 1].file, line: 0, message: `${this.droppedProblems} more problems not shown` }] : [];
    return [...this.problems, ...summaries, ...dropped];
  }
}
