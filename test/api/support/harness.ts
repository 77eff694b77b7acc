// Starts the gateway on 127.0.0.1:0 over a fixture chat.db and a temp bridge
// DB, with tokens of each scope, and a raw HTTP helper (custom Host etc.).
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { apiSection } from '../../../src/config/sections/api.ts';
import type { ApiConfig } from '../../../src/config/schema.ts';
import { openBridgeDb, type BridgeDb } from '../../../src/core/db/bridgeDb.ts';
import { EventLog } from '../../../src/core/store/eventLog.ts';
import { startApi, type RunningApi } from '../../../src/api/index.ts';
import { openReader } from '../../../src/api/reader.ts';
import type { MessageReader } from '../../../src/api/source.ts';
import { TokenStore } from '../../../src/api/tokens.ts';
import { ChatDbFixture } from './chatDbFixture.ts';
import { contractViolations, installContractCheck } from './contract.ts';
import { FakeGateway } from './fakeGateway.ts';
import { apiKit } from '../../../src/core/kit/api.ts';

export interface Harness {
  dir: string;
  chatdb: ChatDbFixture;
  bridgeDb: BridgeDb;
  gateway: FakeGateway;
  api: RunningApi;
  url: string;
  tokens: { read: string; send: string; readSend: string };
  logLines: string[];
  config: ApiConfig;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function testLogger(lines: string[]): Logger {
  return pino({ level: 'debug' }, { write: (s: string) => { lines.push(s); } });
}

export interface HarnessOptions {
  /** A reader per start (e.g. a spy); default: the foundation's reader. */
  reader?: (chatdb: ChatDbFixture) => MessageReader;
  searchBatch?: number;
  /** Give the API the core's event log (as the daemon does); the fake gateway then logs what it emits. */
  eventLog?: boolean;
}

export async function startHarness(configOverrides: Partial<Record<keyof ApiConfig, unknown>> = {}, prepare?: (f: ChatDbFixture) => void, opts: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'imb-api-'));
  const chatdb = ChatDbFixture.create(dir);
  prepare?.(chatdb);
  const bridgeDb = openBridgeDb(join(dir, 'bridge', 'bridge.db'));
  const store = new TokenStore(bridgeDb);
  const tokens = {
    read: store.create(['read'], 'reader').token,
    send: store.create(['send'], 'sender-only').token,
    readSend: store.create(['read', 'send'], 'full').token,
  };
  const config = apiSection.parse({ port: 0, ...configOverrides });
  const logLines: string[] = [];
  const gateway = new FakeGateway();
  gateway.scope = { kind: 'api', restriction: config.send_restriction, allowlist: config.send_allowlist };
  const eventLog = opts.eventLog ? new EventLog(bridgeDb) : null;
  gateway.log = eventLog;
  const start = () => startApi({ config, chatDbPath: chatdb.path, home: chatdb.home, kit: apiKit(bridgeDb), gateway, log: testLogger(logLines), progress: false, onApp: installContractCheck,
    ...(eventLog ? { eventLog } : {}),
    ...(opts.reader ? { reader: opts.reader(chatdb) } : {}), ...(opts.searchBatch ? { searchBatch: opts.searchBatch } : {}) });
  const h: Harness = {
    dir, chatdb, bridgeDb, gateway, tokens, logLines, config,
    api: await start(),
    url: '',
    async restart() {
      await h.api.stop();
      h.api = await start();
      h.url = h.api.url;
    },
    async close() {
      gateway.stopFeed();
      await h.api.stop();
      bridgeDb.close();
      chatdb.close();
      rmSync(dir, { recursive: true, force: true });
      if (contractViolations.length > 0) throw new Error(`responses that break /v1/openapi.json:\n${contractViolations.splice(0).join('\n')}`);
    },
  };
  h.url = h.api.url;
  return h;
}

export const readerFor = (h: Harness) => openReader(h.chatdb.path, h.chatdb.home);

export interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string; json: () => any } // eslint-disable-line @typescript-eslint/no-explicit-any -- test JSON is asserted field by field

/** Plain node:http, so tests control every header (Host included). */
export function http(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export const bearer = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

/** The suite's one condition wait (test/support/waitFor.ts). */
export { waitFor } from '../../support/waitFor.ts';

/**
 * Subscribers of the live hub (SSE/WebSocket clients and internal ones), as
 * /metrics reports them: a stream's 200 is written before it subscribes, so a
 * test waits for this count to grow instead of sleeping after connecting.
 */
export async function liveClients(h: Pick<Harness, 'url' | 'tokens'>): Promise<number> {
  const res = await http(`${h.url}/metrics`, { headers: bearer(h.tokens.read) });
  const m = /^imb_live_clients (\d+)$/m.exec(res.body);
  if (!m) throw new Error(`no imb_live_clients in /metrics (${res.status})`);
  return Number(m[1]);
}
