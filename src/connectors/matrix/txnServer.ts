// The appservice endpoint, in front of (instead of) matrix-bot-sdk's express
// routes: that one answers 200 before handlers finish and remembers txn ids
// only in memory. Here a transaction is acknowledged only after its events and
// its id are committed to the bridge database; a replayed id is acknowledged
// and ignored; a restart loses nothing (the homeserver retries un-acked ones).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { MatrixEvent, MatrixStore } from './store.ts';
import { MatrixConnectorError } from './errors.ts';

export interface TxnServerOptions {
  bindAddress: string;
  port: number;
  hsToken: string;
  store: MatrixStore;
  /** Called after new events were committed. */
  onQueued(): void;
  /** Appservice user query: does this namespaced user exist (we create ghosts on demand)? */
  isOurUser(userId: string): boolean;
  log: Logger;
}

const MAX_BODY = 64 * 1024 * 1024;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new Error('body too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class TxnServer {
  private server: Server | null = null;
  constructor(private readonly o: TxnServerOptions) {}

  get port(): number {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : this.o.port;
  }

  private authed(req: IncomingMessage, url: URL): boolean {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('access_token');
    return token !== null && token !== undefined && safeEqual(token, this.o.hsToken);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!this.authed(req, url)) return send(res, 403, { errcode: 'M_FORBIDDEN', error: 'bad or missing hs_token' });
    const path = url.pathname.replace(/^\/_matrix\/app\/v1/, '');
    const txn = /^\/transactions\/([^/]+)$/.exec(path);
    if (txn && req.method === 'PUT') return this.transaction(decodeURIComponent(txn[1] as string), req, res);
    const user = /^\/users\/([^/]+)$/.exec(path);
    if (user && req.method === 'GET') return this.o.isOurUser(decodeURIComponent(user[1] as string)) ? send(res, 200, {}) : send(res, 404, { errcode: 'M_NOT_FOUND' });
    if (path === '/ping' && req.method === 'POST') return send(res, 200, {});
    return send(res, 404, { errcode: 'M_UNRECOGNIZED', error: 'unknown endpoint' });
  }

  private async transaction(txnId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: { events?: unknown };
    try {
      body = JSON.parse(await readBody(req)) as { events?: unknown };
    } catch {
      return send(res, 400, { errcode: 'M_NOT_JSON', error: 'expected a JSON body' });
    }
    if (!Array.isArray(body.events)) return send(res, 400, { errcode: 'M_BAD_JSON', error: 'expected events' });
    const events = body.events.filter((e): e is MatrixEvent => !!e && typeof e === 'object' && typeof (e as MatrixEvent).event_id === 'string' && typeof (e as MatrixEvent).room_id === 'string');
    try {
      const fresh = this.o.store.acceptTransaction(txnId, events);
      if (!fresh) this.o.log.debug({ txnId }, 'replayed appservice transaction ignored');
      send(res, 200, {});
      if (fresh && events.length) this.o.onQueued();
    } catch (e) {
      // Not acknowledged: the homeserver retries this transaction later.
      this.o.log.error({ txnId, err: (e as Error).message }, 'could not queue an appservice transaction');
      send(res, 500, { errcode: 'M_UNKNOWN', error: 'could not store the transaction' });
    }
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((e: unknown) => { if (!res.headersSent) send(res, 500, { errcode: 'M_UNKNOWN', error: (e as Error).message }); });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new MatrixConnectorError(`the appservice listener could not bind ${this.o.bindAddress}:${this.o.port}: ${e.code ?? e.message}`, 'appservice_bind',
        'another process may be using the port; change matrix.appservice.port (and the url in the registration)')));
      server.listen(this.o.port, this.o.bindAddress, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}
