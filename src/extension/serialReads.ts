// Reads of one source that must not overlap (the usage logs, the agents' files): each waits for the
// one before, and a failed read is reported and does not stop the next.

/** A queue of reads run one at a time. */
export class SerialReads {
  private last: Promise<void> = Promise.resolve();

  /** `isScheduled`: true while a read waits on a timer to be queued (a debounced file change). */
  constructor(private readonly isScheduled: () => boolean = () => false) {}

  /** Queues `read` after the reads before it; `onError` reports its failure. Resolves when it has run. */
  run(read: () => Promise<unknown> | undefined | void, onError: (error: unknown) => void): Promise<void> {
    this.last = this.last.then(read).then(
      () => undefined,
      (error: unknown) => onError(error),
    );
    return this.last;
  }

  /** Resolves when no read is running, queued or scheduled. */
  async whenIdle(): Promise<void> {
    for (;;) {
      const last = this.last;
      await last;
      if (last === this.last && !this.isScheduled()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
