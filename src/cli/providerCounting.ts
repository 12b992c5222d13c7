// `--count-with-api`: the CLI's side of counting with the providers' APIs. One counter per run (its
// cache spans every file and budget), and a summary of what each model's provider did.
import { createHash } from 'node:crypto';
import { type CountFromProvider, applyProviderCount, ProviderCounter, type ProviderFetch } from '../core';
import type { CliIo } from './cliIo';
import type { CliOptions } from './cliOptions';

/** What the providers did in one run, for the lines printed after the results. */
export class CliProviderCounting {
  readonly counter: ProviderCounter;
  // Outcome ('counted by Anthropic's count_tokens API', a reason, an error) -> the models it applies to.
  private readonly outcomes = new Map<string, Set<string>>();

  constructor(io: CliIo) {
    this.counter = new ProviderCounter({
      fetch: io.fetch ?? (fetch as unknown as ProviderFetch),
      env: io.env ?? {},
      sha256: (text) => createHash('sha256').update(text).digest('hex'),
    });
  }

  /** The core's hook: the provider's count where it can, ours with the reason otherwise. */
  readonly countFromProvider: CountFromProvider = async (parsed, model, local) => {
    const result = await this.counter.count(parsed, model, local);
    const outcome = result.kind === 'counted' ? `exact from ${result.source.endpoint}${result.exact ? '' : ' (chat framing ≈)'}` : result.kind === 'unavailable' ? result.reason : result.message;
    let models = this.outcomes.get(outcome);
    if (!models) this.outcomes.set(outcome, (models = new Set()));
    models.add(model.id);
    return applyProviderCount(local, result);
  };

  /** One line per outcome, naming a few of its models: '--count-with-api: no Anthropic API key (…): claude-sonnet-4-5'. */
  summary(): string[] {
    // Counted first, then the reasons in a stable order (answers arrive in any order).
    const order = (outcome: string) => (outcome.startsWith('exact from ') ? 0 : 1);
    const sorted = [...this.outcomes].sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
    return sorted.map(([outcome, models]) => {
      const ids = [...models].sort();
      const shown = ids.slice(0, 4).join(', ') + (ids.length > 4 ? ` and ${ids.length - 4} more` : '');
      return `--count-with-api: ${outcome}: ${shown}`;
    });
  }
}

const byRun = new WeakMap<CliIo, CliProviderCounting>();

/** The run's provider counting, or undefined when `--count-with-api` was not given: no request then. */
export function providerCountingFor(io: CliIo, options: CliOptions): CliProviderCounting | undefined {
  if (!options['count-with-api']) return undefined;
  let counting = byRun.get(io);
  if (!counting) byRun.set(io, (counting = new CliProviderCounting(io)));
  return counting;
}
