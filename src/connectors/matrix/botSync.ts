// Bot mode: a /sync loop that queues timeline events and advances the sync
// token in the same database transaction, so a crash never skips or replays.
// The first start only records a token: history before the bridge is not relayed.
// A room with more new events than the sync window (e.g. after downtime) comes
// back `limited`: the gap is paged in from /messages before the token moves.
import type { Logger } from 'pino';
import type { MatrixEvent, MatrixStore } from './store.ts';
import { reasonOf } from './errors.ts';

type RoomEvent = Omit<MatrixEvent, 'room_id'>;
interface SyncRoom { timeline?: { events?: RoomEvent[]; limited?: boolean; prev_batch?: string } }
interface MessagesPage { chunk?: RoomEvent[]; end?: string }
interface InviteRoom { invite_state?: { events?: Array<Omit<MatrixEvent, 'room_id' | 'event_id'>> } }
interface SyncResponse { next_batch: string; rooms?: { join?: Record<string, SyncRoom>; invite?: Record<string, InviteRoom> } }

/** Catch-up bound per room and sync: past this the oldest events are skipped, loudly. */
const MAX_CATCH_UP_PAGES = 50;

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
        if (since) await this.fillGaps(r, since);
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

  /** Prepend, oldest first, what a `limited` timeline left out since the last sync. */
  private async fillGaps(r: SyncResponse, since: string): Promise<void> {
    for (const [roomId, room] of Object.entries(r.rooms?.join ?? {})) {
      const tl = room.timeline;
      if (!tl?.limited || !tl.prev_batch) continue;
      const missed: RoomEvent[] = [];
      let from: string | undefined = tl.prev_batch;
      let pages = 0;
      for (; from && pages < MAX_CATCH_UP_PAGES; pages++) {
        const page = await this.messages(roomId, from, since);
        const chunk = page.chunk ?? [];
        // Newest first; stop at what an earlier sync already queued.
        const seenAt = chunk.findIndex((e) => this.store.seenAny([e.event_id]));
        missed.push(...(seenAt === -1 ? chunk : chunk.slice(0, seenAt)));
        if (seenAt !== -1 || chunk.length === 0 || page.end === from) break;
        from = page.end;
      }
      if (pages >= MAX_CATCH_UP_PAGES) this.log.warn({ room: roomId, fetched: missed.length }, 'Matrix catch-up stopped at its limit; older events in this room were not relayed');
      const have = new Set((tl.events ?? []).map((e) => e.event_id));
      tl.events = [...missed.reverse().filter((e) => !have.has(e.event_id)), ...(tl.events ?? [])];
      this.log.info({ room: roomId, missed: missed.length }, 'caught up on Matrix events the sync window left out');
    }
  }

  private async messages(roomId: string, from: string, to: string | null): Promise<MessagesPage> {
    const qs = new URLSearchParams({ dir: 'b', from, limit: '100' });
    if (to) qs.set('to', to);
    const signal = AbortSignal.any([(this.abort ?? new AbortController()).signal, AbortSignal.timeout(60_000)]);
    const r = await fetch(`${this.hsUrl.replace(/\/$/, '')}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${qs}`, { headers: { authorization: `Bearer ${this.token}` }, signal });
    const body = await r.json() as MessagesPage & { errcode?: string; error?: string };
    // A homeserver that won't take a sync token as `to`: the seen-event check alone bounds the walk.
    if (r.status === 400 && to) return this.messages(roomId, from, null);
    if (!r.ok) throw Object.assign(new Error(`catch-up failed: HTTP ${r.status}`), { errcode: body.errcode, error: body.error, statusCode: r.status });
    return body;
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
