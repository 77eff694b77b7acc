// Epoch time → the values Messages stores. Nanosecond values exceed 2^53, so
// they are built as BigInt and bound to SQLite exactly.
import type { VersionTraits } from './versions.ts';

export const APPLE_EPOCH_MS = 978_307_200_000;

/** A date as chat.db stores it for this version; `subMs` adds realistic sub-millisecond nanoseconds. */
export function toAppleDate(date: Date | number, unit: VersionTraits['dateUnit'], subMs = 0): bigint {
  const ms = typeof date === 'number' ? date : date.getTime();
  const appleMs = BigInt(Math.trunc(ms - APPLE_EPOCH_MS));
  if (unit === 's') return appleMs / 1000n;
  return appleMs * 1_000_000n + BigInt(Math.trunc(subMs) % 1_000_000);
}

/** Float seconds since 2001 (the edit-history times in message_summary_info). */
export function toAppleSeconds(date: Date | number): number {
  const ms = typeof date === 'number' ? date : date.getTime();
  return (ms - APPLE_EPOCH_MS) / 1000;
}

/** `attachment.created_date` is whole seconds on every version. */
export function toAppleWholeSeconds(date: Date | number): number {
  return Math.floor(toAppleSeconds(date));
}
