// Several bridges, one team: two Macs (two simulated chat.dbs), two bridges
// named "Sales" and "Support", one Discord guild and one bot application.
// Each keeps to its own category, channels and slash command; an agent's reply
// reaches only the Mac whose channel it was typed in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startBridge, type RunningBridge } from '../../src/daemon.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createDiscordConnector } from '../../src/connectors/discord/index.ts';
import { AppleScriptSender } from '../../src/imessage/send/index.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { fakeOsascriptEnv } from '../../src/sim/fakeOsascript/index.ts';
import { storedText } from '../../src/sim/body.ts';
import { LocalDiscord } from '../support/discord/localDiscord.ts';
import { waitFor } from '../support/discord/botClient.ts';
import { ChannelTypes } from '../support/discord/state.ts';

const JANE = '+15550001111';
let base = '';
let discord: LocalDiscord;
let alice = '';
interface Mac { name: string; sim: MessagesSimulator; bridge: RunningBridge }
const macs: Mac[] = [];

async function startMac(name: string): Promise<Mac> {
  const dir = join(base, name);
  const downloads = join(dir, 'downloads');
  mkdirSync(downloads, { recursive: true });
  const sim = MessagesSimulator.create({ dir: join(dir, 'sim') });
  const config = configSchema.parse({
    imessage: { chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, send: { confirm_timeout_ms: 15_000, allowed_file_dirs: [downloads] } },
    bridge: { database: join(dir, 'bridge.db'), name },
    discord: { token: discord.token, guild_id: discord.guildId, api_url: discord.apiUrl, auto_mirror: 'all', allowed_roles: ['agents'] },
  });
  const sender = new AppleScriptSender({
    home: sim.home, timeoutMs: 20_000, allowedFileDirs: [downloads], maxFileBytes: 1 << 20, retryDelayMs: 20,
    env: fakeOsascriptEnv(sim.dir, { FAKE_OSASCRIPT_FLIP_MS: '30' }),
  });
  const bridge = await startBridge({
    config, sender, handleSignals: false, log: pino({ level: 'silent' }),
    connectors: ({ kits }) => [createDiscordConnector(config.discord!, {
      kits, displayName: (h) => (h === JANE ? 'Jane Customer' : h), log: pino({ level: process.env.TWO_LOG ? 'debug' : 'silent' }, process.stderr), downloadDir: downloads, status: async () => ({ bridge: name }),
    })],
  });
  return { name, sim, bridge };
}

before(async () => {
  base = mkdtempSync(join(tmpdir(), 'two-bridges-'));
  // One bot application for the whole team: both bridges log in with its token.
  discord = await LocalDiscord.start({ concurrentSessions: true });
  discord.addRole('agents');
  alice = discord.addUser('alice', ['agents']);
  macs.push(await startMac('Sales'), await startMac('Support'));
});

after(async () => {
  for (const m of macs) { await m.bridge.stop(); m.sim.close({ pending: 'drop' }); }
  await discord?.close();
  rmSync(base, { recursive: true, force: true });
});

const categoryNamed = (name: string) => discord.channels().find((c) => c.type === ChannelTypes.category && c.name === name);
const channelIn = (categoryId: string) => discord.channels().find((c) => c.parent_id === categoryId && c.type === ChannelTypes.text);
const ownTexts = (sim: MessagesSimulator): string[] => (sim.db.prepare('SELECT text, attributedBody FROM message WHERE is_from_me = 1 ORDER BY ROWID').all() as Array<{ text: string | null; attributedBody: Buffer | null }>)
  .map((r) => storedText(r.text, r.attributedBody));

test('the same customer writes to both numbers: two categories, two channels, nothing crosses', { timeout: 120_000 }, async () => {
  const [sales, support] = macs as [Mac, Mac];
  sales.sim.receive(sales.sim.addChat({ participants: [JANE] }), { from: JANE, text: 'I want to buy' });
  support.sim.receive(support.sim.addChat({ participants: [JANE] }), { from: JANE, text: 'My order is broken' });
  const salesCat = await waitFor(() => categoryNamed('iMessage · Sales'), 30_000, 'the Sales category');
  const supportCat = await waitFor(() => categoryNamed('iMessage · Support'), 30_000, 'the Support category');
  const salesCh = await waitFor(() => channelIn(salesCat.id), 30_000, 'the Sales channel');
  const supportCh = await waitFor(() => channelIn(supportCat.id), 30_000, 'the Support channel');
  assert.notEqual(salesCh.id, supportCh.id);
  assert.equal(salesCh.name, 'jane-customer');
  assert.equal(supportCh.name, 'jane-customer');
  await waitFor(() => discord.view(salesCh.id).some((m) => m.content === 'I want to buy'), 30_000, 'sales message');
  await waitFor(() => discord.view(supportCh.id).some((m) => m.content === 'My order is broken'), 30_000, 'support message');
  assert.ok(!discord.view(salesCh.id).some((m) => m.content === 'My order is broken'));
  assert.ok(!discord.view(supportCh.id).some((m) => m.content === 'I want to buy'));
  assert.equal(discord.channels().filter((c) => c.type === ChannelTypes.category).length, 2, 'no shared or extra category');

  // An agent answers in the Sales channel: only the Sales Mac sends it.
  const reply = discord.post(alice, salesCh.id, 'Happy to help you buy');
  await waitFor(() => discord.view(salesCh.id).find((m) => m.id === reply)?.reactions['✅'], 60_000, '✅ from the Sales bridge');
  assert.deepEqual(ownTexts(sales.sim), ['Happy to help you buy']);
  const answer = discord.post(alice, supportCh.id, 'Sorry, a new one is on its way');
  await waitFor(() => discord.view(supportCh.id).find((m) => m.id === answer)?.reactions['✅'], 60_000, '✅ from the Support bridge');
  assert.deepEqual(ownTexts(support.sim), ['Sorry, a new one is on its way']);
  assert.deepEqual(ownTexts(sales.sim), ['Happy to help you buy'], 'the Sales Mac never sent the Support reply');
  // One ✅ each: the other bridge does not react to a channel it doesn't own.
  assert.deepEqual(discord.view(salesCh.id).filter((m) => m.bot && !m.webhookId).map((m) => m.content), [], 'no chatter from the other bridge');
  assert.equal(discord.gateway.stats.identifies, 2, 'each bridge kept its one session: they never pushed each other off');
});

test('each bridge has its own slash command, and only that bridge answers it', { timeout: 60_000 }, async () => {
  await waitFor(() => discord.state.commands.length === 2, 20_000, 'both commands registered');
  const names = (discord.state.commands as Array<{ name: string }>).map((c) => c.name).sort();
  assert.deepEqual(names, ['imessage-sales', 'imessage-support'], 'registering one did not remove the other');
  const lobby = discord.createTextChannel('lobby');
  const i = discord.slash(alice, lobby, 'imessage-support', 'status');
  await waitFor(() => i.responses.length > 0, 20_000, 'an answer');
  // The gateway hands each session its events in order: once Sales answers a later command, it has seen this one.
  const later = discord.slash(alice, lobby, 'imessage-sales', 'status');
  await waitFor(() => later.responses.length > 0, 20_000, 'the Sales answer');
  assert.match(String(later.responses[0]?.data?.content ?? ''), /bridge: Sales/);
  assert.equal(i.responses.length, 1, 'answered once');
  assert.match(String(i.responses[0]?.data?.content ?? ''), /bridge: Support/);
});
