/** Exponential backoff with jitter, capped: 1st retry ≈ base, then ×2 up to max. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  // ±20 % so that many failing deliveries don't retry in lockstep.
  return Math.round(exp * (0.8 + 0.4 * random()));
}
