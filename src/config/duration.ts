// Every duration key is a number of milliseconds that ends up in a timer.
// Node fires a timer longer than 2^31-1 ms after 1 ms (with a warning), so a
// value above it would turn "wait a month" into "now": bound every one here.
import { z } from 'zod';

export const MAX_TIMER_MS = 2 ** 31 - 1;

/** An integer number of milliseconds in [min, max], never above MAX_TIMER_MS. */
export function durationMs(min = 0, max = MAX_TIMER_MS) {
  const top = Math.min(max, MAX_TIMER_MS);
  const why = top === MAX_TIMER_MS ? ' (about 24.8 days, the longest timer Node can wait)' : '';
  return z.number().int().min(min, `at least ${min} ms`).max(top, `at most ${top} ms${why}`);
}
