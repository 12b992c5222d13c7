/**
 * When a failed download may be tried again: after a minute, then twice as long after each further
 * failure, at most a day, so a dead network costs one request now and then, not one per keystroke.
 */
export class DownloadBackoff {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly firstWaitMs = 60_000,
    private readonly longestWaitMs = 86_400_000,
  ) {}

  /** Whether `id` may be downloaded at `now` (ms). */
  mayTry(id: string, now: number): boolean {
    return (this.failures.get(id)?.until ?? 0) <= now;
  }

  /** Records a failure at `now`; returns when the next try is allowed. */
  failed(id: string, now: number): number {
    const count = (this.failures.get(id)?.count ?? 0) + 1;
    const until = now + Math.min(this.firstWaitMs * 2 ** (count - 1), this.longestWaitMs);
    this.failures.set(id, { count, until });
    return until;
  }

  /** Forgets the failures of `id` (it downloaded, or the user asked explicitly). */
  succeeded(id: string): void {
    this.failures.delete(id);
  }
}
