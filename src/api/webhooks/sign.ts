// Webhook signatures: HMAC-SHA256 over the raw body, hex, as
// `X-IMB-Signature: sha256=<hex>`. Receivers verify with verifySignature.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-imb-signature';
export const TIMESTAMP_HEADER = 'x-imb-timestamp';

export const sign = (secret: string, body: string): string =>
  'sha256=' + createHmac('sha256', secret).update(body, 'utf8').digest('hex');

export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(sign(secret, body));
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
