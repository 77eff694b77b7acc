// The gateway half of the local Discord: HELLO, IDENTIFY, READY, GUILD_CREATE,
// heartbeats, RESUME with replay of missed events, and the test levers to drop
// a socket or send op 7 / op 9 the way Discord does during incidents.
import { WebSocketServer, type WebSocket } from 'ws';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { DiscordState } from './state.ts';

interface Dispatch { op: 0; s: number; t: string; d: unknown }

interface Session {
  id: string;
  intents: number;
  seq: number;
  log: Dispatch[];
  socket: WebSocket | null;
}

export interface GatewayOptions {
  token: string; heartbeatIntervalMs: number; url: () => string;
  /** false: the app hasn't enabled Message Content in the portal; asking for it closes with 4014. */
  messageContentAllowed: boolean;
  /** true: several processes run the same bot (a team's bridges): every session gets every event, as on Discord. */
  concurrentSessions?: boolean;
}

// Discord only keeps a bounded window of events for resuming.
const RESUME_WINDOW = 10_000;

export class Gateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, Session>();
  /** Counters tests use to prove a resume (not a fresh identify) happened. */
  readonly stats = { identifies: 0, resumes: 0, heartbeats: 0, replayed: 0 };

  constructor(server: Server, private readonly state: DiscordState, private readonly opts: GatewayOptions) {
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (ws) => this.accept(ws));
  }

  /** Send an event to every session; sessions whose socket is down keep it for RESUME. */
  dispatch(t: string, d: unknown, requiredIntent?: number): void {
    for (const s of this.sessions.values()) {
      if (requiredIntent !== undefined && (s.intents & requiredIntent) === 0) continue;
      const frame: Dispatch = { op: 0, s: ++s.seq, t, d };
      s.log.push(frame);
      if (s.log.length > RESUME_WINDOW) s.log.shift();
      if (s.socket?.readyState === 1) s.socket.send(JSON.stringify(frame));
    }
  }

  /** Intents of the live sessions (to strip content without MessageContent). */
  hasIntent(bit: number): boolean {
    return [...this.sessions.values()].some((s) => (s.intents & bit) !== 0);
  }

  get connected(): boolean {
    return [...this.sessions.values()].some((s) => s.socket?.readyState === 1);
  }

  /** Cut every socket. `code` 4000 is resumable; `abrupt` skips the close frame. */
  drop(opts: { code?: number; abrupt?: boolean } = {}): void {
    for (const s of this.sessions.values()) {
      if (!s.socket) continue;
      if (opts.abrupt) s.socket.terminate(); else s.socket.close(opts.code ?? 4000, 'local discord drop');
      s.socket = null;
    }
  }

  requestReconnect(): void { this.broadcast({ op: 7, d: null }); }

  invalidateSession(resumable: boolean): void {
    this.broadcast({ op: 9, d: resumable });
    if (!resumable) this.sessions.clear();
  }

  close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    return new Promise((r) => this.wss.close(() => r()));
  }

  private broadcast(frame: unknown): void {
    for (const s of this.sessions.values()) if (s.socket?.readyState === 1) s.socket.send(JSON.stringify(frame));
  }

  private accept(ws: WebSocket): void {
    let session: Session | null = null;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs } }));
    ws.on('message', (raw) => {
      let msg: { op: number; d: Record<string, unknown> | number | null };
      try { msg = JSON.parse(String(raw)) as typeof msg; } catch { ws.close(4002, 'Decode error'); return; }
      const d = (msg.d ?? {}) as Record<string, unknown>;
      switch (msg.op) {
        case 1:
          this.stats.heartbeats++;
          ws.send(JSON.stringify({ op: 11 }));
          return;
        case 2:
          if (d.token !== this.opts.token && d.token !== `Bot ${this.opts.token}`) { ws.close(4004, 'Authentication failed.'); return; }
          if (!this.opts.messageContentAllowed && (Number(d.intents ?? 0) & (1 << 15))) { ws.close(4014, 'Disallowed intent(s).'); return; }
          session = this.identify(ws, Number(d.intents ?? 0));
          return;
        case 6: {
          const s = this.sessions.get(String(d.session_id));
          if (!s || d.token !== this.opts.token) { ws.send(JSON.stringify({ op: 9, d: false })); return; }
          this.resume(ws, s, Number(d.seq ?? 0));
          session = s;
          return;
        }
        default:
          return; // presence/voice updates: accepted, ignored
      }
    });
    ws.on('close', () => { if (session?.socket === ws) session.socket = null; });
    ws.on('error', () => undefined);
  }

  private identify(ws: WebSocket, intents: number): Session {
    this.stats.identifies++;
    // A fresh identify replaces older sessions of the same bot (one shard).
    if (!this.opts.concurrentSessions) {
      for (const old of this.sessions.values()) old.socket?.terminate();
      this.sessions.clear();
    }
    const s: Session = { id: randomUUID().replaceAll('-', ''), intents, seq: 0, log: [], socket: ws };
    this.sessions.set(s.id, s);
    const g = this.state;
    const ready = {
      v: 10, user: g.bot, guilds: [{ id: g.guildId, unavailable: true }], session_id: s.id,
      resume_gateway_url: this.opts.url(), shard: [0, 1], application: { id: g.applicationId, flags: 0 },
      private_channels: [], presences: [], relationships: [], guild_join_requests: [], user_settings: {}, auth: {},
      geo_ordered_rtc_regions: [],
    };
    this.sendDispatch(s, 'READY', ready);
    this.sendDispatch(s, 'GUILD_CREATE', g.guildPayload());
    return s;
  }

  private sendDispatch(s: Session, t: string, d: unknown): void {
    const frame: Dispatch = { op: 0, s: ++s.seq, t, d };
    s.log.push(frame);
    s.socket?.send(JSON.stringify(frame));
  }

  private resume(ws: WebSocket, s: Session, fromSeq: number): void {
    this.stats.resumes++;
    s.socket?.terminate();
    s.socket = ws;
    const missed = s.log.filter((f) => f.s > fromSeq);
    this.stats.replayed += missed.length;
    for (const f of missed) ws.send(JSON.stringify(f));
    this.sendDispatch(s, 'RESUMED', null);
  }
}
