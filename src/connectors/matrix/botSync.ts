// Bot mode: a /sync loop that queues timeline events and advances the sync
// token in the same database transaction, so a crash never skips or replays.
// The first start only records a token: history before the bridge is not relayed.
import type { Logger } from 'pino';
import type { MatrixEvent, MatrixStore } from './store.ts';
import { reasonOf } from './errors.ts';

interface SyncRoom { timeline?: { events?: Array<Omit<MatrixEvent, 'room_id'>> } }
interface InviteRoom { invite_state?: { events?: Array<Omit<MatrixEvent, 'room_id' | 'event_id'>> } }
interface SyncResponse { next_batch: string; rooms?: { join?: Record<string, SyncRoom>; invite?: Record<string, InviteRoom> } }

const FILTER = { room: { timeline: { limit: 100 }, state: { lazy_load_members: true }, ephemeral: { types: [] as string[] } }, presence: { types: [] as string[] }, account_data: { types: [] as string[] } };

export class BotSync {
  private stopped = true;
  private loop: Promise<void> = Promise.resolve();
  private abort: AbortController | null = null;

  constructor(private readonly hsUrl: string, private readonly token: string, private readonly store: MatrixStore, private readonly onQueued: () => void, private readonly log: Logger, private readonly pollTimeoutMs = 30_000) {}

  start(): void {
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.loop;
  }

  private async once(since: string | null): Promise<SyncResponse> {
    const qs = new URLSearchParams({ filter: JSON.stringify(FILTER), timeout: since ? String(this.pollTimeoutMs) : '0' });
    if (since) qs.set('since', since);
    this.abort = new AbortController();
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.pollTimeoutMs + 30_000)]);
    // Plain fetch (not the SDK) so stop() can abort a long poll at once.
    const r = await fetch(`${this.hsUrl.replace(/\/$/, '')}/_matrix/client/v3/sync?${qs}`, { headers: { authorization: `Bearer ${this.token}` }, signal });
    const body = await r.json() as SyncResponse & { errcode?: string; error?: string };
    if (!r.ok) throw Object.assign(new Error(`sync failed: HTTP ${r.status}`), { errcode: body.errcode, error: body.error });
    return body;
  }

  private async run(): Promise<void> {
    let backoff = 500;
    while (!this.stopped) {
      try {
        const since = this.store.get('sync_token');
        const r = await this.once(since);
        if (this.stopped) break;
        this.store.acceptSync(since ? eventsOf(r) : invitesOnly(r), r.next_batch);
        this.onQueued();
        backoff = 500;
      } catch (e) {
        if (this.stopped) break;
        this.log.warn({ reason: reasonOf(e), retryMs: backoff }, 'Matrix sync failed; retrying');
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(30_000, backoff * 2);
      }
    }
  }
}

function eventsOf(r: SyncResponse): MatrixEvent[] {
  const out: MatrixEvent[] = [];
  for (const [roomId, room] of Object.entries(r.rooms?.join ?? {})) {
    for (const e of room.timeline?.events ?? []) out.push({ ...e, room_id: roomId });
  }
  return [...out, ...invitesOnly(r)];
}

/** Pending invites (even on the first sync, so an owner's DM invite is answered). */
function invitesOnly(r: SyncResponse): MatrixEvent[] {
  const out: MatrixEvent[] = [];
  for (const [roomId, room] of Object.entries(r.rooms?.invite ?? {})) {
    for (const e of room.invite_state?.events ?? []) {
      if (e.type !== 'm.room.member' || e.content?.membership !== 'invite') continue;
      out.push({ ...e, room_id: roomId, event_id: `invite:${roomId}:${e.state_key ?? ''}` });
    }
  }
  return out;
}
