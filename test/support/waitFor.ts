// The one condition wait of the test suite. Tests wait for something to have
// happened, never for a time: a fixed sleep is either too short on a loaded
// 2-core machine (flaky) or too long everywhere else (slow). Every other wait
// helper in test/ delegates here so the poll interval, the timeout and the
// failure message are decided once.
import { inspect } from 'node:util';

export interface WaitOptions {
  /** Give up after this long (generous: the suite must pass on a loaded machine). */
  timeoutMs?: number;
  /** Time between two checks; the only sleep a test needs. */
  intervalMs?: number;
}

export const WAIT_DEFAULTS = { timeoutMs: 30_000, intervalMs: 20 } as const;

type Seen<T> = T | undefined | null | false;

const show = (v: unknown): string => inspect(v, { depth: 3, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 200 });

/**
 * Polls `check` until it returns a value other than undefined/null/false and
 * returns that value. On timeout the error says WHAT was awaited and the last
 * value (or error) `check` gave, so a failure under load explains itself.
 * An exception from `check` counts as "not yet" (the thing may not exist yet)
 * and is reported if it is still thrown at the deadline.
 */
export async function waitFor<T>(what: string, check: () => Seen<T> | Promise<Seen<T>>, options: WaitOptions | number = {}): Promise<T> {
  const { timeoutMs, intervalMs } = { ...WAIT_DEFAULTS, ...(typeof options === 'number' ? { timeoutMs: options } : options) };
  const end = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown } = { value: undefined };
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== null && v !== false) return v;
      last = { value: v };
    } catch (error) {
      last = { error };
    }
    if (Date.now() > end) {
      const seen = 'error' in last ? `last error: ${last.error instanceof Error ? last.error.message : show(last.error)}` : `last value: ${show(last.value)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${seen})`);
    }
    await pause(intervalMs);
  }
}

/**
 * Like waitFor, for a check that says how far something got: waits until
 * `value()` satisfies `ok`, and reports the last value seen on timeout
 * (e.g. `waitForValue('5 rows', () => rows().length, (n) => n >= 5)`).
 */
export async function waitForValue<T>(what: string, value: () => T | Promise<T>, ok: (v: T) => boolean, options: WaitOptions | number = {}): Promise<T> {
  let seen: T | undefined;
  await waitFor(what, async () => { seen = await value(); return ok(seen) ? true : undefined; }, options)
    .catch((e: Error) => { throw new Error(`${e.message.replace(/ \(last value: undefined\)$/, '')} (last value: ${show(seen)})`); });
  return seen as T;
}

/**
 * Counts up past a point: resolves once `counter()` has advanced by `by`
 * from where it is now. A negative assertion ("X did not happen") waits for
 * this sentinel instead of a sleep: e.g. two more watcher passes have run
 * after the write that must not be delivered, so if it were going to be
 * delivered, it would have been.
 */
export async function waitForAdvance(what: string, counter: () => number, by = 1, options: WaitOptions | number = {}): Promise<void> {
  const target = counter() + by;
  await waitForValue(`${what} to reach ${target}`, counter, (n) => n >= target, options);
}

/**
 * For long work whose total time depends on the machine: waits until
 * `count()` reaches `target`, failing only when it stops growing for
 * `stallMs` (a loaded machine may be slow, but a stall is a failure).
 */
export async function waitWhileGrowing(what: string, count: () => number, target: number, stallMs = 30_000, intervalMs = 50): Promise<void> {
  let last = -1;
  let changedAt = Date.now();
  while (count() < target) {
    const now = count();
    if (now !== last) { last = now; changedAt = Date.now(); }
    else if (Date.now() - changedAt > stallMs) throw new Error(`stalled for ${stallMs} ms at ${now} of ${target} waiting for ${what}`);
    await pause(intervalMs);
  }
}

/**
 * The one deliberate pause: a poll interval, or a time that is itself the
 * thing under test (a backoff, a schedule). Callers say why in a comment.
 */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
