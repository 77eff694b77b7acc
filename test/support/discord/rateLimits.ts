// Per-route rate-limit buckets, keyed like Discord's: route template plus the
// major parameter (channel, guild, webhook, interaction). Fixed windows; every
// answer carries X-RateLimit-* so discord.js can pace itself, and a request
// over the limit gets 429 with Retry-After (seconds) in the header.
export interface Limit { limit: number; windowMs: number }
export type BucketKind = 'webhook' | 'message' | 'reaction' | 'channel' | 'interaction' | 'other';
export type RateLimitConfig = Partial<Record<BucketKind, Limit>>;

const DEFAULTS: Record<BucketKind, Limit> = {
  webhook: { limit: 5, windowMs: 2000 },
  message: { limit: 5, windowMs: 5000 },
  reaction: { limit: 1, windowMs: 250 },
  channel: { limit: 10, windowMs: 10_000 },
  interaction: { limit: 50, windowMs: 1000 },
  other: { limit: 50, windowMs: 1000 },
};

export interface Verdict { allowed: boolean; headers: Record<string, string> }

interface Window { count: number; resetAt: number }

export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  readonly limits: Record<BucketKind, Limit>;
  /** Requests answered 429, per bucket kind: discord.js should keep this at 0. */
  readonly rejected: Record<BucketKind, number> = { webhook: 0, message: 0, reaction: 0, channel: 0, interaction: 0, other: 0 };

  constructor(config: RateLimitConfig = {}, private readonly enabled = true) {
    this.limits = { ...DEFAULTS, ...config };
  }

  check(kind: BucketKind, bucketKey: string, now = Date.now()): Verdict {
    const { limit, windowMs } = this.limits[kind];
    let w = this.windows.get(bucketKey);
    if (!w || now >= w.resetAt) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(bucketKey, w);
    }
    const resetAfter = Math.max(0, w.resetAt - now) / 1000;
    const base = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Reset': String(w.resetAt / 1000),
      'X-RateLimit-Reset-After': resetAfter.toFixed(3),
      'X-RateLimit-Bucket': hash(kind + bucketKey.split(' ')[0]),
    };
    if (this.enabled && w.count >= limit) {
      this.rejected[kind]++;
      return { allowed: false, headers: { ...base, 'X-RateLimit-Remaining': '0', 'Retry-After': resetAfter.toFixed(3), 'X-RateLimit-Scope': 'user' } };
    }
    w.count++;
    return { allowed: true, headers: { ...base, 'X-RateLimit-Remaining': String(Math.max(0, limit - w.count)) } };
  }
}

/** Which bucket family a REST path belongs to, and its key with the major parameter. */
export function classify(method: string, path: string): { kind: BucketKind; key: string } {
  const parts = path.split('/').filter(Boolean);
  const [root, major, second] = parts;
  const template = parts.map((p, i) => (i === 1 || !/^\d{17,19}$/.test(p) ? p : ':id')).join('/');
  if (root === 'webhooks') return { kind: 'webhook', key: `${method} webhooks/${major}/${second}` };
  if (root === 'interactions') return { kind: 'interaction', key: `${method} ${template}` };
  if (root === 'channels' && parts.includes('reactions')) return { kind: 'reaction', key: `reaction channels/${major}` };
  if (root === 'channels' && parts[2] === 'messages' && method === 'POST') return { kind: 'message', key: `${method} ${template}` };
  if ((root === 'guilds' && parts[2] === 'channels') || (root === 'channels' && method === 'PATCH' && parts.length === 2)) {
    return { kind: 'channel', key: `${method} ${template}` };
  }
  return { kind: 'other', key: `${method} ${template}` };
}

function hash(s: string): string {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16);
}
