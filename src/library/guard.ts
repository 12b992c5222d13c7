// The guard: before each call, its worst case against the budgets and quotas of prompt-budget.yaml
// (refused with BudgetExceededError, nothing sent); after it, the provider's reported usage in the
// ledger. Prompt and reply texts are counted, never stored.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { tokenizerForModel, budgetRefusal, quotaRefusal, type CallRefusal, type PlannedCall, requestMaxOutputTokens, evaluateQuotas, type QuotaStatus, GUARD_CALL_TYPE, GUARD_RELEASE_TYPE, GUARD_RESERVATION_TYPE, type GuardCallLine, type GuardReservationLine, recognizeUsage, groupUsage, totalUsage, type UsageGroup, type UsageSums, type ModelInfo, type BudgetConfig } from '../core';
import { BudgetExceededError } from './budgetExceededError';
import { MemoryLedger, type CallLedger } from './callLedger';
import { countTokens } from './countTokens';
import { estimateCost, tokenCountsOf } from './estimateCost';
import { startCallTelemetry } from './genAiTelemetry';
import { loadGuardConfig, type GuardConfig } from './guardConfig';
import { JsonlLedger } from './jsonlLedger';
import { PostgresLedger } from './postgresLedger';
import type { CallGuard, CallRequest, CallReservation, ObservedUsage } from './guardTypes';
import { guardMiddleware, type GuardMiddleware } from './aiSdkMiddleware';
import { wrapClient } from './wrapClient';

export interface GuardOptions {
  /** Where to look for prompt-budget.yaml (this folder, then its parents); the process's by default. */
  cwd?: string;
  /** A config file to read instead, or a parsed config. */
  config?: string | BudgetConfig;
  /** Who calls, recorded with each call and matched by quotas' `users`. */
  user?: string;
  /** Tags recorded with each call; they link calls to budgets (`usageTags`) and quotas (`tags`). */
  tags?: string[];
  /** Overrides `usage.ledger`: a JSONL file, a postgres:// URL, 'memory', or a ledger object. */
  ledger?: string | CallLedger;
  /** A reservation never settled (its process died) stops counting after this long; 10 minutes by default. */
  reservationTimeoutMs?: number;
}

export interface GuardSummary extends UsageSums {
  byModel: UsageGroup[];
  /** Each quota's limits for the current period, over the whole ledger. */
  quotas: QuotaStatus[];
  /** Calls reserved and not yet settled. */
  inFlight: number;
  /** Ledger lines not yet written (the ledger could not be written). */
  pendingWrites: number;
}

export interface GuardEvents {
  warning: [QuotaStatus];
  exceeded: [BudgetExceededError | QuotaStatus];
  error: [Error];
}

const DEFAULT_RESERVATION_TIMEOUT = 10 * 60_000;

export class Guard extends EventEmitter<GuardEvents> implements CallGuard {
  private loaded: Promise<{ setup: GuardConfig; ledger: CallLedger }> | undefined;
  private readonly announced = new Set<string>();

  constructor(private readonly options: GuardOptions = {}) {
    super();
  }

  /** Reads the config and opens the ledger (done on first use; call it to see config errors early). */
  ready(): Promise<void> {
    return this.load().then(() => undefined);
  }

  /**
   * Checks a call before it is made and reserves its worst case; throws BudgetExceededError
   * (after an `exceeded` event) when a budget or quota would be broken.
   */
  async reserve(request: CallRequest): Promise<CallReservation> {
    const { setup, ledger } = await this.load();
    const call = await this.plan(request, setup);
    const config = setup.config;
    const budgetLimit = config ? budgetRefusal(config.budgets, call) : undefined;
    if (budgetLimit) throw this.refuse(budgetLimit);
    const quotas = config?.usage?.quotas ?? [];
    const id = randomUUID();
    const now = Date.now();
    const refusal = await ledger.reserve<CallRefusal | undefined>((view) => {
      const quotaLimit = quotaRefusal(quotas, [...view.buckets, ...view.inFlight], call, now);
      if (quotaLimit) return { result: quotaLimit };
      const reservation: GuardReservationLine = {
        type: GUARD_RESERVATION_TYPE,
        reservation: id,
        time: new Date(now).toISOString(),
        expires: now + (this.options.reservationTimeoutMs ?? DEFAULT_RESERVATION_TIMEOUT),
        provider: call.provider,
        model: call.model,
        ...(call.user !== undefined ? { user: call.user } : {}),
        tags: [...call.tags],
        tokens: call.inputTokens + call.maxOutputTokens,
        cost: call.worstCaseCost ?? 0,
      };
      return { reservation, result: undefined };
    });
    if (refusal) throw this.refuse(refusal);
    const telemetry = startCallTelemetry(call);
    let done = false;
    return {
      id,
      call,
      settle: async (observed) => {
        if (done) return undefined;
        done = true;
        const line = await this.write(ledger, setup, call, observed, id);
        if (line) telemetry.succeeded(line);
        else telemetry.failed();
        return line;
      },
      release: async () => {
        if (done) return;
        done = true;
        telemetry.failed();
        await ledger.append({ type: GUARD_RELEASE_TYPE, reservation: id, time: new Date().toISOString() });
      },
    };
  }

  /**
   * Records a call made without the guard's check: a provider response (`{ id, model, usage }`,
   * a Gemini response) or usage with `model` given. Never throws for a ledger that cannot be written.
   */
  async record(usage: unknown, details: Omit<ObservedUsage, 'usage'> & { user?: string; tags?: string[] } = {}): Promise<GuardCallLine | undefined> {
    const { setup, ledger } = await this.load();
    const recognition = recognizeUsage(usage);
    const found = 'usage' in recognition ? recognition.usage[0] : undefined;
    const model = details.model ?? found?.model;
    if (!model) throw new Error('prompt-budget: record(usage) needs the model: pass a provider response or { model } with the usage');
    const info = this.modelInfo(model, setup);
    const call: PlannedCall = {
      provider: details.provider ?? found?.provider ?? info.provider,
      model,
      user: details.user ?? found?.user ?? this.options.user,
      tags: details.tags ?? (found && found.tags.length > 0 ? found.tags : (this.options.tags ?? [])),
      inputTokens: 0,
      maxOutputTokens: 0,
    };
    const counts = found ?? tokenCountsOf(usage as Record<string, unknown>, model, call.provider);
    return this.write(ledger, setup, call, { ...details, id: details.id ?? found?.id, model, usage: counts });
  }

  /** Totals and per-model sums of the ledger's calls (every process's, for a shared ledger) since reset, with the quotas' current state. */
  async summary(): Promise<GuardSummary> {
    const { setup, ledger } = await this.load();
    await ledger.sync();
    const now = Date.now();
    const view = ledger.view(now);
    const buckets = ledger.state.bucketsSinceReset();
    return {
      ...totalUsage(buckets),
      byModel: groupUsage(buckets, ['model']),
      quotas: evaluateQuotas(view.buckets, setup.config?.usage?.quotas ?? [], now),
      inFlight: ledger.state.inFlightCount(now),
      pendingWrites: ledger.pendingCount(),
    };
  }

  /** The ledger's calls (every process's, for a shared ledger) since reset, oldest first; the last 10,000. */
  async history(): Promise<GuardCallLine[]> {
    const { ledger } = await this.load();
    await ledger.sync();
    return ledger.state.history();
  }

  /** Starts summary and history afresh. Quotas of a shared ledger still count its calls; an in-memory ledger forgets them too. */
  async reset(): Promise<void> {
    const { ledger } = await this.load();
    ledger.reset();
    this.announced.clear();
  }

  /**
   * The client with its calls guarded: OpenAI's chat.completions.create and responses.create,
   * Anthropic's messages.create, and @google/genai's models.generateContent(Stream). Same types.
   */
  wrap<T extends object>(client: T): T {
    return wrapClient(this, client);
  }

  /** Middleware for the AI SDK's wrapLanguageModel({ model, middleware: guard.middleware() }). */
  middleware(): GuardMiddleware {
    return guardMiddleware(this);
  }

  /** Writes what is pending to the ledger. */
  async close(): Promise<void> {
    if (!this.loaded) return;
    const { ledger } = await this.load();
    await ledger.close();
  }

  private load(): Promise<{ setup: GuardConfig; ledger: CallLedger }> {
    this.loaded ??= loadGuardConfig(resolve(this.options.cwd ?? process.cwd()), this.options.config).then((setup) => ({ setup, ledger: this.openLedger(setup) }));
    return this.loaded;
  }

  private openLedger(setup: GuardConfig): CallLedger {
    const named = this.options.ledger ?? setup.config?.usage?.ledger;
    if (typeof named === 'object') return named;
    if (named === undefined || named === 'memory') return new MemoryLedger();
    const target = named.startsWith('env:') ? process.env[named.slice(4)] : named;
    if (!target) throw new Error(`prompt-budget: usage.ledger names the environment variable ${named.slice(4)}, which is not set`);
    if (/^postgres(ql)?:\/\//i.test(target)) return new PostgresLedger(target, (error) => this.reportError(error));
    return new JsonlLedger(resolve(setup.root, target), (error) => this.reportError(error));
  }

  private modelInfo(model: string, setup: GuardConfig): ModelInfo {
    const found = setup.catalog.find(model);
    if (found) return found;
    // A model the catalog does not know is still counted (≈) and recorded, without a price.
    return { id: model, name: model, provider: 'unknown', aliases: [], tokenizer: tokenizerForModel(model), sources: {}, origin: 'catalog' };
  }

  private async plan(request: CallRequest, setup: GuardConfig): Promise<PlannedCall> {
    const info = this.modelInfo(request.model, setup);
    const inputTokens = request.inputTokens ?? (await countTokens(request.request ?? '', info)).tokens;
    const maxOutputTokens = request.maxOutputTokens ?? requestMaxOutputTokens(request.request) ?? info.maxOutputTokens ?? 0;
    const provider = request.provider ?? (info.provider === 'unknown' ? (request.fallbackProvider ?? info.provider) : info.provider);
    const cost = estimateCost({ inputTokens, outputTokens: maxOutputTokens }, info, { catalog: setup.catalog, provider });
    return {
      provider,
      model: request.model,
      user: request.user ?? this.options.user,
      tags: request.tags ?? this.options.tags ?? [],
      inputTokens,
      maxOutputTokens,
      worstCaseCost: cost.priced ? cost.cost : undefined,
    };
  }

  private async write(ledger: CallLedger, setup: GuardConfig, call: PlannedCall, observed: ObservedUsage, reservation?: string): Promise<GuardCallLine | undefined> {
    const model = observed.model ?? call.model;
    const provider = observed.provider ?? call.provider;
    const at = new Date();
    let line: GuardCallLine;
    try {
      const counts = tokenCountsOf(observed.usage as Record<string, unknown>, model, provider);
      const cost = estimateCost(counts, setup.catalog.find(model) ?? model, { catalog: setup.catalog, provider, at });
      line = {
        type: GUARD_CALL_TYPE,
        time: at.toISOString(),
        ...(observed.id !== undefined ? { id: observed.id } : {}),
        provider,
        model,
        ...(call.user !== undefined ? { user: call.user } : {}),
        tags: [...call.tags],
        inputTokens: counts.inputTokens,
        cachedInputTokens: counts.cachedInputTokens,
        cacheWriteTokens: counts.cacheWriteTokens,
        outputTokens: counts.outputTokens,
        ...(cost.priced ? { cost: cost.cost } : {}),
        costSource: cost.priced ? 'price-data' : 'none',
        ...(observed.latencyMs !== undefined ? { latencyMs: Math.round(observed.latencyMs) } : {}),
        ...(reservation !== undefined ? { reservation } : {}),
      };
    } catch (error) {
      // Usage that cannot be read must not break the application's call: release, and say why.
      if (reservation !== undefined) await ledger.append({ type: GUARD_RELEASE_TYPE, reservation, time: at.toISOString() });
      this.reportError(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
    await ledger.append(line);
    this.announceQuotas(ledger, setup);
    return line;
  }

  private refuse(refusal: CallRefusal): BudgetExceededError {
    const error = new BudgetExceededError(refusal);
    this.emit('exceeded', error);
    return error;
  }

  /** A `warning` when a quota reaches its warnAt, an `exceeded` when usage went over it: once per quota, limit and period. */
  private announceQuotas(ledger: CallLedger, setup: GuardConfig): void {
    const quotas = setup.config?.usage?.quotas ?? [];
    if (quotas.length === 0) return;
    const now = Date.now();
    for (const status of evaluateQuotas(ledger.view(now).buckets, quotas, now)) {
      if (status.status === 'ok') continue;
      const key = `${status.status}\u0000${status.name}\u0000${status.metric}\u0000${status.periodStart}`;
      if (this.announced.has(key)) continue;
      this.announced.add(key);
      if (status.status === 'warning') this.emit('warning', status);
      else this.emit('exceeded', status);
    }
  }

  private reportError(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else process.emitWarning(error.message, 'PromptBudgetWarning');
  }
}

/** A guard for the calls of this process, following the prompt-budget.yaml found from `cwd`. */
export function createGuard(options: GuardOptions = {}): Guard {
  return new Guard(options);
}
