// API tokens: shown once, stored only as a SHA-256 hash. Lookup hashes the
// presented token and compares digests in constant time, so neither timing
// nor the database reveals a token.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ConnectorStorage } from '../core/kit/storage.ts';

export type Scope = 'read' | 'send';
export const SCOPES: readonly Scope[] = ['read', 'send'];
export const TOKEN_PREFIX = 'imb_';

export interface TokenInfo {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

interface Row { id: string; name: string; hash: string; scopes: string; created_at: number; last_used_at: number | null; revoked_at: number | null }

const toInfo = (r: Row): TokenInfo => ({
  id: r.id, name: r.name, scopes: r.scopes.split(',').filter(Boolean) as Scope[],
  createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at,
});

export const hashToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export class TokenError extends Error {
  constructor(message: string, readonly advice: string) {
    super(message);
    this.name = 'TokenError';
  }
}

export class TokenStore {
  // Digests cached in memory and re-read at most once a second, because the
  // token CLI (another process) may create or revoke tokens at any time.
  private cache: { digest: Buffer; row: Row }[] = [];
  private loadedAt = 0;
  // Token use is coalesced: a write (and WAL fsync) per GET cost more than
  // the GET. Uses are kept here and written at most every `flushMs`, and on
  // flush() (the API calls it on stop).
  private readonly used = new Map<string, number>();
  private flushedAt = Date.now();

  constructor(private readonly db: ConnectorStorage, private readonly flushMs = 10_000) {}

  create(scopes: Scope[], name?: string): { token: string; info: TokenInfo } {
    if (scopes.length === 0) throw new TokenError('A token needs at least one scope.', 'Use --scope read or --scope read,send.');
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const id = randomUUID();
    const finalName = name ?? `token-${id.slice(0, 8)}`;
    const exists = this.db.prepare('SELECT 1 FROM api_token WHERE name = ?').get(finalName);
    if (exists) throw new TokenError(`A token named "${finalName}" already exists.`, 'Pick another --name, or revoke the old one first.');
    this.db.prepare('INSERT INTO api_token (id, name, hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, finalName, hashToken(token).toString('hex'), [...new Set(scopes)].join(','), Date.now());
    this.loadedAt = 0;
    return { token, info: this.byId(id)! };
  }

  list(): TokenInfo[] {
    this.flush();
    return (this.db.prepare('SELECT * FROM api_token ORDER BY created_at').all() as Row[]).map(toInfo);
  }

  byId(id: string): TokenInfo | null {
    this.flush();
    const r = this.db.prepare('SELECT * FROM api_token WHERE id = ?').get(id) as Row | undefined;
    return r ? toInfo(r) : null;
  }

  /** Revoke by name or id; returns the revoked token or null if none matched. */
  revoke(nameOrId: string): TokenInfo | null {
    const r = this.db.prepare('SELECT * FROM api_token WHERE (name = ? OR id = ?) AND revoked_at IS NULL').get(nameOrId, nameOrId) as Row | undefined;
    if (!r) return null;
    this.db.prepare('UPDATE api_token SET revoked_at = ? WHERE id = ?').run(Date.now(), r.id);
    this.loadedAt = 0;
    return this.byId(r.id);
  }

  /** The live token matching `presented`, or null. Constant time per candidate. */
  verify(presented: string): TokenInfo | null {
    const digest = hashToken(presented);
    if (Date.now() - this.loadedAt > 1000) this.reload();
    const found = this.match(digest);
    if (!found) return null;
    const now = Date.now();
    this.used.set(found.id, now);
    if (now - this.flushedAt >= this.flushMs) this.flush();
    return { ...toInfo(found), lastUsedAt: now };
  }

  /** Write the coalesced last-use times. */
  flush(): void {
    this.flushedAt = Date.now();
    if (this.used.size === 0) return;
    const update = this.db.prepare('UPDATE api_token SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?');
    const uses = [...this.used];
    this.used.clear();
    this.db.transaction(() => { for (const [id, at] of uses) update.run(at, id); })();
  }

  private match(digest: Buffer): Row | null {
    let hit: Row | null = null;
    // Compare against every token without early exit.
    for (const c of this.cache) if (timingSafeEqual(c.digest, digest) && !hit) hit = c.row;
    return hit;
  }

  private reload(): void {
    const rows = this.db.prepare('SELECT * FROM api_token WHERE revoked_at IS NULL').all() as Row[];
    this.cache = rows.map((row) => ({ digest: Buffer.from(row.hash, 'hex'), row }));
    this.loadedAt = Date.now();
  }
}
