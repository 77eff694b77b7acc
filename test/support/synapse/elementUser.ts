// An Element-like Matrix user for tests, speaking the plain client-server API
// with fetch: it syncs, joins, sends, reacts, redacts and uploads, and keeps
// every timeline event it sees so tests can wait for what the bridge posted.
import { randomUUID } from 'node:crypto';
import { pause, waitFor } from '../waitFor.ts';

export interface SeenEvent {
  event_id: string;
  room_id: string;
  type: string;
  sender: string;
  state_key?: string;
  content: Record<string, unknown>;
  redacts?: string;
  unsigned?: Record<string, unknown>;
}

export class ElementUser {
  readonly events: SeenEvent[] = [];
  readonly invites = new Map<string, SeenEvent[]>();
  /** When each event was first seen by /sync (for latency measurements). */
  readonly seenAt = new Map<string, number>();
  private since: string | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private abort = new AbortController();

  constructor(readonly url: string, readonly userId: string, readonly token: string) {}

  async api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${this.url}${path}`, {
      method, headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const json = await r.json().catch(() => ({})) as T & { errcode?: string; error?: string };
    if (!r.ok) throw Object.assign(new Error(`${method} ${path} → ${r.status} ${json.errcode ?? ''} ${json.error ?? ''}`), { errcode: json.errcode, status: r.status });
    return json;
  }

  startSync(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          const qs = new URLSearchParams({ timeout: '1000', ...(this.since ? { since: this.since } : {}) });
          const r = await fetch(`${this.url}/_matrix/client/v3/sync?${qs}`, { headers: { authorization: `Bearer ${this.token}` }, signal: this.abort.signal });
          if (!r.ok) { await pause(200); continue; } // retry backoff while Synapse restarts, not a wait for a result
          const body = await r.json() as { next_batch: string; rooms?: { join?: Record<string, { timeline?: { events?: SeenEvent[] } }>; invite?: Record<string, { invite_state?: { events?: SeenEvent[] } }> } };
          const now = Date.now();
          for (const [roomId, room] of Object.entries(body.rooms?.join ?? {})) {
            for (const e of room.timeline?.events ?? []) {
              if (this.seenAt.has(e.event_id)) continue;
              this.seenAt.set(e.event_id, now);
              this.events.push({ ...e, room_id: roomId });
            }
          }
          for (const [roomId, room] of Object.entries(body.rooms?.invite ?? {})) this.invites.set(roomId, room.invite_state?.events ?? []);
          this.since = body.next_batch;
        } catch {
          if (this.stopped) return;
          await pause(200); // retry backoff, as above
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }

  async waitFor(pred: (e: SeenEvent) => boolean, what: string, ms = 30_000): Promise<SeenEvent> {
    return waitFor(what, () => this.events.find(pred), { timeoutMs: ms, intervalMs: 50 }).catch((e: Error) => {
      throw new Error(`${e.message}; saw: ${JSON.stringify(this.events.slice(-8).map((x) => ({ type: x.type, sender: x.sender, content: x.content })))}`);
    });
  }

  async waitForInvite(pred: (roomId: string, state: SeenEvent[]) => boolean, what: string, ms = 30_000): Promise<string> {
    return waitFor(`invite: ${what}`, () => [...this.invites].find(([roomId, state]) => pred(roomId, state))?.[0], { timeoutMs: ms, intervalMs: 50 });
  }

  async join(roomId: string): Promise<void> {
    await this.api('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {});
  }

  async send(roomId: string, content: Record<string, unknown>, type = 'm.room.message'): Promise<string> {
    const r = await this.api<{ event_id: string }>('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${type}/${randomUUID()}`, content);
    return r.event_id;
  }

  async redact(roomId: string, eventId: string): Promise<string> {
    const r = await this.api<{ event_id: string }>('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/redact/${encodeURIComponent(eventId)}/${randomUUID()}`, {});
    return r.event_id;
  }

  async state<T = Record<string, unknown>>(roomId: string, type: string, key = ''): Promise<T> {
    return this.api<T>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/${type}/${encodeURIComponent(key)}`);
  }

  async members(roomId: string): Promise<Record<string, { display_name?: string }>> {
    const r = await this.api<{ joined: Record<string, { display_name?: string }> }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/joined_members`);
    return r.joined;
  }

  async upload(data: Buffer, contentType: string, name: string): Promise<string> {
    const r = await fetch(`${this.url}/_matrix/media/v3/upload?filename=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: `Bearer ${this.token}`, 'content-type': contentType }, body: data });
    const j = await r.json() as { content_uri: string };
    return j.content_uri;
  }

  async download(mxc: string): Promise<Buffer> {
    const [server, id] = mxc.slice('mxc://'.length).split('/');
    const r = await fetch(`${this.url}/_matrix/client/v1/media/download/${server}/${id}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!r.ok) throw new Error(`download ${mxc} → ${r.status}`);
    return Buffer.from(await r.arrayBuffer());
  }
}
