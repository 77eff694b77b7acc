// `run` (API and the Discord connector enabled) while Messages restarts:
// Messages (another process) holds chat.db open, the bridge starts, Messages
// closes (last), opens it again and writes. Every row must reach the API (its
// live stream and a chat page read from chat.db) and Discord, and the logs
// must show no "malformed" chat.db.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { LocalDiscord } from '../support/discord/localDiscord.ts';
import { sse } from '../api/support/sse.ts';
import { waitFor } from '../core/support/harness.ts';
import { MessagesApp } from './messagesApp.ts';
import { waitFor as sharedWaitFor } from '../support/waitFor.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');
const ADA = '+15551230001';

for (const last of [false, true]) {
  test(`run sees every row after Messages restarts${last ? ' and -wal/-shm are removed' : ''}`, { timeout: 120_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'restart-run-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const sim = MessagesSimulator.create({ dir: join(dir, 'sim') });
    const chat = sim.addChat({ participants: [ADA] });
    sim.close();
    const discord = await LocalDiscord.start();
    t.after(() => discord.close());
    const messages = await MessagesApp.start(sim.dir);
    t.after(() => messages.stop());
    await messages.receive(chat.guid, ADA, 'before-run');

    const cfg = join(dir, 'config.yaml');
    writeFileSync(cfg, [
      'imessage:', `  chat_db: ${sim.dbPath}`, '  poll_interval_ms: 100', '  debounce_ms: 20',
      'bridge:', `  database: ${join(dir, 'bridge.db')}`,
      'api:', '  port: 0', '  web_client: false',
      'discord:', `  token: ${discord.token}`, `  guild_id: "${discord.guildId}"`, `  api_url: ${discord.apiUrl}`, '  auto_mirror: all',
      '',
    ].join('\n'));
    const tok = spawnSync(process.execPath, [BIN, 'token', 'new', '--scope', 'read', '--config', cfg], { encoding: 'utf8' });
    assert.equal(tok.status, 0, tok.stderr);
    const token = tok.stdout.trim();

    const run = spawn(process.execPath, [BIN, 'run', '--config', cfg], { stdio: 'pipe', env: { ...process.env, LOG_LEVEL: 'info' } });
    const exited = new Promise<number | null>((r) => run.once('exit', (code) => r(code)));
    t.after(() => { if (run.exitCode === null) run.kill('SIGKILL'); });
    let logs = '';
    let url = '';
    for (const out of [run.stdout, run.stderr]) {
      createInterface({ input: out }).on('line', (l) => {
        logs += `${l}\n`;
        const m = /"msg":"API listening"/.test(l) ? /"url":"([^"]+)"/.exec(l) : null;
        if (m) url = m[1]!;
      });
    }
    await waitFor(() => url !== '', 'the API to listen', 60_000).catch((e: unknown) => { throw new Error(`${(e as Error).message}\n${logs}`); });
    const stream = sse(`${url}/v1/events`, token, '0');
    t.after(() => stream.close());
    const streamed = (): string[] => stream.events.map((e) => e.data.message?.text);
    const onDiscord = (): string[] => discord.channels().flatMap((c) => discord.view(c.id).map((m) => m.content));
    const paged = async (): Promise<string[]> => {
      const r = await fetch(`${url}/v1/chats/${encodeURIComponent(chat.guid)}/messages?limit=200`, { headers: { authorization: `Bearer ${token}` } });
      return ((await r.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
    };

    // The bridge is up when a row written now reaches Discord.
    await messages.receive(chat.guid, ADA, 'while-running');
    await waitFor(() => onDiscord().includes('while-running') && streamed().includes('while-running'), 'the first row on Discord and the stream', 60_000);

    await messages.close({ last });
    await messages.reopen();
    const texts = Array.from({ length: 3 }, (_, i) => `after-restart-${i}`);
    for (const text of texts) await messages.receive(chat.guid, ADA, text);
    const report = async (): Promise<string> => `stream: ${JSON.stringify(streamed())}\ndiscord: ${JSON.stringify(onDiscord())}\npage: ${JSON.stringify(await paged())}\nlogs:\n${logs.slice(-3000)}`;
    try {
      await waitFor(() => texts.every((x) => streamed().includes(x) && onDiscord().includes(x)), 'all rows on the stream and Discord', 20_000);
      // A page read from chat.db by the API (not the event stream).
      await sharedWaitFor('all rows in the chat page', async () => { const page = await paged(); return texts.every((x) => page.includes(x)); }, { timeoutMs: 10_000, intervalMs: 100 });
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${await report()}`);
    }
    assert.doesNotMatch(logs, /malformed/i);
    for (const x of texts) assert.equal(onDiscord().filter((c) => c === x).length, 1, `${x} once on Discord`);

    run.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
}
