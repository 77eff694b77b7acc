// Webhook signatures: HMAC-SHA256 over `${timestamp}.${body}`, hex, sent as
// `X-IMB-Signature: sha256=<hex>` with `X-IMB-Timestamp: <epoch ms>`.
// The timestamp is signed so that a captured request cannot be replayed later
// with a fresh timestamp; receivers should check both (verifySignature does,
// with a tolerance) and dedupe by the body's `key`. README: to verify by hand,
// HMAC-SHA256(secret, timestamp + "." + raw body) and compare in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-imb-signature';
export const TIMESTAMP_HEADER = 'x-imb-timestamp';

/** How old (or how far in the future) a timestamp verifySignature accepts by default. */
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

export const sign = (secret: string, timestamp: string, body: string): string =>
  'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

export interface VerifyOptions { toleranceMs?: number; now?: number }

export function verifySignature(secret: string, body: string, header: string | undefined, timestamp: string | undefined, opts: VerifyOptions = {}): boolean {
  if (!header || !timestamp || !/^\d{1,15}$/.test(timestamp)) return false;
  if (Math.abs((opts.now ?? Date.now()) - Number(timestamp)) > (opts.toleranceMs ?? DEFAULT_TOLERANCE_MS)) return false;
  const expected = Buffer.from(sign(secret, timestamp, body));
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
