// A demo-like bridge for black-box clients (the typed client's story test,
// examples/client.ts, Schemathesis in scripts/ci/api.sh): the simulated
// Messages with the demo's conversations, the fake osascript, the real core
// and API, no web client (so nothing depends on web/dist), and one token per
// scope. Run as a script (`demoGateway.ts [port] [api-config-json]`) it
// prints {url, read, send, readSend} as one JSON line and serves until
// SIGTERM/SIGINT.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { RunningApi } from '../../../src/api/index.ts';
import { TokenStore } from '../../../src/api/tokens.ts';
import { startBridge, type RunningBridge } from '../../../src/daemon.ts';
import { demoConfig } from '../../../src/demo/index.ts';
import { seedDemoContent } from '../../../src/demo/content.ts';
import { apiPart } from '../../../src/parts/api.ts';
import { fakeOsascriptEnv } from '../../../src/sim/fakeOsascript/index.ts';
import { MessagesSimulator } from '../../../src/sim/simulator.ts';

export interface DemoGateway {
  url: string;
  tokens: { read: string; send: string; readSend: string };
  sim: MessagesSimulator;
  bridge: RunningBridge;
  stop(): Promise<void>;
}

export async function startDemoGateway(opts: { port?: number; api?: Record<string, unknown> } = {}): Promise<DemoGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'imb-demo-gw-'));
  const sim = MessagesSimulator.create({ dir: join(dir, 'messages'), version: 'sequoia' });
  seedDemoContent(sim);
  // The real sender finds the fake osascript through PATH, as it would /usr/bin/osascript.
  Object.assign(process.env, fakeOsascriptEnv(sim.dir));
  const base = demoConfig(dir, sim, opts.port ?? 0);
  const config = { ...base, api: { ...base.api!, web_client: false, sends_per_minute: 100_000, ...opts.api } };
  const log = pino({ level: process.env.IMB_DEMO_LOG ?? 'silent' });
  let api: RunningApi | null = null;
  const bridge = await startBridge({ config, log, handleSignals: false, connectors: [], extraParts: [apiPart(config, log, (a) => { api = a; })!] });
  const running = api as RunningApi | null;
  if (!running) { await bridge.stop(); throw new Error('the API did not start'); }
  const store = new TokenStore(bridge.db);
  const tokens = {
    read: store.create(['read'], 'demo-read').token,
    send: store.create(['send'], 'demo-send').token,
    readSend: store.create(['read', 'send'], 'demo-read-send').token,
  };
  await running.searchReady;
  return {
    url: running.url, tokens, sim, bridge,
    async stop() {
      await bridge.stop();
      try { sim.close({ pending: 'drop' }); } catch { /* already closed */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const port = Number(process.argv[2] ?? 0);
  const gw = await startDemoGateway({ port, api: process.argv[3] ? JSON.parse(process.argv[3]) as Record<string, unknown> : {} });
  process.stdout.write(`${JSON.stringify({ url: gw.url, ...gw.tokens })}\n`);
  const stop = (): void => { void gw.stop().then(() => process.exit(0)); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
