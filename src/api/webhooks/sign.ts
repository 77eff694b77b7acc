// Webhook signatures, the Standard Webhooks way (standardwebhooks.com), so
// any of its verifier libraries works:
//   webhook-id:        one id per delivery, the same on every retry of it
//   webhook-timestamp: epoch seconds
//   webhook-signature: v1,<base64 HMAC-SHA256(key, `${id}.${timestamp}.${body}`)>
// The key is the base64 after `whsec_` for a `whsec_…` secret (the spec's
// format); any other secret is used as its UTF-8 bytes (the libraries'
// "raw" format: `new Webhook(secret, { format: 'raw' })`).
//
// DEPRECATED, kept for one release: `X-IMB-Signature: sha256=<hex HMAC of
// `${ms}.${body}` keyed by the secret string>` with `X-IMB-Timestamp: <epoch
// ms>`. Receivers should move to the standard headers.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const ID_HEADER = 'webhook-id';
export const STANDARD_TIMESTAMP_HEADER = 'webhook-timestamp';
export const STANDARD_SIGNATURE_HEADER = 'webhook-signature';
/** @deprecated since 1.1: use webhook-signature. */
export const SIGNATURE_HEADER = 'x-imb-signature';
/** @deprecated since 1.1: use webhook-timestamp. */
export const TIMESTAMP_HEADER = 'x-imb-timestamp';

/** How old (or how far in the future) a timestamp the verifiers accept by default. */
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

const SECRET_PREFIX = 'whsec_';

/** The HMAC key of a configured secret (see the top of this file). */
export const webhookKey = (secret: string): Buffer =>
  secret.startsWith(SECRET_PREFIX) ? Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');

/** The three Standard Webhooks headers for one delivery attempt. */
export function standardHeaders(secret: string, id: string, nowMs: number, body: string): Record<string, string> {
  const ts = String(Math.floor(nowMs / 1000));
  const mac = createHmac('sha256', webhookKey(secret)).update(`${id}.${ts}.${body}`, 'utf8').digest('base64');
  return { [ID_HEADER]: id, [STANDARD_TIMESTAMP_HEADER]: ts, [STANDARD_SIGNATURE_HEADER]: `v1,${mac}` };
}

/** @deprecated since 1.1: the X-IMB-Signature value. */
export const sign = (secret: string, timestamp: string, body: string): string =>
  'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

export interface VerifyOptions { toleranceMs?: number; now?: number }

/** @deprecated since 1.1: verifies X-IMB-Signature; use a Standard Webhooks verifier. */
export function verifySignature(secret: string, body: string, header: string | undefined, timestamp: string | undefined, opts: VerifyOptions = {}): boolean {
  if (!header || !timestamp || !/^\d{1,15}$/.test(timestamp)) return false;
  if (Math.abs((opts.now ?? Date.now()) - Number(timestamp)) > (opts.toleranceMs ?? DEFAULT_TOLERANCE_MS)) return false;
  const expected = Buffer.from(sign(secret, timestamp, body));
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
