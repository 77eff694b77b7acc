// Writes Messages makes "a moment later" (the chat join, the is_from_me flip).
// Each is a timer with a promise tests can await; close() settles them all so
// no timer outlives the simulator and a short-lived process (the fake
// osascript) still leaves the row in its final state.

export type FlushMode = 'wait' | 'now' | 'drop';

interface Job { due: number; run: () => void; timer: NodeJS.Timeout; resolve: () => void; reject: (e: unknown) => void }

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

export class PendingWork {
  private readonly jobs = new Set<Job>();

  get size(): number {
    return this.jobs.size;
  }

  /** Run `run` after `delayMs`; the promise settles when it has run (or failed). */
  schedule(delayMs: number, run: () => void): Promise<void> {
    let job!: Job;
    const done = new Promise<void>((resolve, reject) => {
      job = { due: Date.now() + Math.max(0, delayMs), run, resolve, reject, timer: setTimeout(() => this.fire(job), Math.max(0, delayMs)) };
    });
    this.jobs.add(job);
    // Marked handled here; whoever awaits it still sees a failure.
    done.catch(() => undefined);
    return done;
  }

  private fire(job: Job): void {
    if (!this.jobs.delete(job)) return;
    clearTimeout(job.timer);
    try {
      job.run();
      job.resolve();
    } catch (e) {
      job.reject(e);
    }
  }

  /**
   * Settle every pending write synchronously: `wait` sleeps until each is due
   * (keeps the delay a watcher should observe), `now` runs them at once,
   * `drop` abandons them (the promises resolve, nothing is written).
   */
  flush(mode: FlushMode): void {
    const jobs = [...this.jobs].sort((a, b) => a.due - b.due);
    for (const job of jobs) {
      if (mode === 'drop') {
        this.jobs.delete(job);
        clearTimeout(job.timer);
        job.resolve();
        continue;
      }
      if (mode === 'wait') sleepSync(job.due - Date.now());
      this.fire(job);
    }
  }
}
