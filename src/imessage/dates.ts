// Apple time → epoch milliseconds. chat.db counts from 2001-01-01 UTC, in
// seconds before High Sierra and nanoseconds after; a single database can hold
// both (old rows survive upgrades), so the unit is decided per value.

/** 2001-01-01T00:00:00Z in epoch milliseconds. */
export const APPLE_EPOCH_MS = 978_307_200_000;

/** Values at or above this are nanoseconds (1e12 s would be year 33,700). */
export const NANOSECOND_THRESHOLD = 1_000_000_000_000;

/**
 * A chat.db date column as epoch ms, or null for 0/NULL (unset).
 * BigInt input is divided exactly; a plain number of nanoseconds may have lost
 * precision below ~128 ns, which cannot move a millisecond floor by more than 1.
 */
export function appleToEpochMs(value: number | bigint | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    if (value === 0n) return null;
    const abs = value < 0n ? -value : value;
    if (abs >= 1_000_000_000_000n) return Number(value / 1_000_000n) + APPLE_EPOCH_MS;
    return Number(value) * 1000 + APPLE_EPOCH_MS;
  }
  if (value === 0 || !Number.isFinite(value)) return null;
  if (Math.abs(value) >= NANOSECOND_THRESHOLD) return Math.trunc(value / 1_000_000) + APPLE_EPOCH_MS;
  return Math.round(value * 1000) + APPLE_EPOCH_MS;
}

/**
 * The same conversion done inside SQLite, as an integer expression giving ms
 * since the Apple epoch (NULL when unset). SQLite's integer division is exact,
 * so the readers never need BigInt for nanosecond columns.
 */
export function appleMsSql(column: string): string {
  // NULL, 0 and (impossible for Messages) pre-2001 negatives all fall through to NULL.
  return `CASE WHEN ${column} >= ${NANOSECOND_THRESHOLD} THEN ${column} / 1000000 WHEN ${column} > 0 THEN ${column} * 1000 END`;
}

/** Result of `appleMsSql` → epoch ms. */
export function appleMsToEpochMs(ms: number | null): number | null {
  return ms === null ? null : Math.trunc(ms) + APPLE_EPOCH_MS;
}

/** Float seconds since the Apple epoch (plist edit times) → epoch ms. */
export function appleSecondsToEpochMs(seconds: number): number {
  return Math.round(seconds * 1000) + APPLE_EPOCH_MS;
}

/** Epoch ms → the thresholds that match it in either unit, for WHERE clauses. */
export function epochMsToAppleThresholds(epochMs: number): { ns: bigint; s: number } {
  const appleMs = epochMs - APPLE_EPOCH_MS;
  return { ns: BigInt(Math.trunc(appleMs)) * 1_000_000n, s: Math.floor(appleMs / 1000) };
}
