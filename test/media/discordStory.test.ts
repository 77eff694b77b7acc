// Story: a customer texts a HEIC photo and a voice message from an iPhone; the
// support team in Discord sees a .jpg they can look at and an .ogg they can
// play. Messages simulator → bridge daemon → local Discord; the checks fetch
// the bytes Discord stores, as the agents' client would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startBridge, type RunningBridge } from '../../src/daemon.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createDiscordConnector } from '../../src/connectors/discord/index.ts';
import { AppleScriptSender } from '../../src/imessage/send/index.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { fakeOsascriptEnv } from '../../src/sim/fakeOsascript/index.ts';
import { imageSize, sniff } from '../../src/media/index.ts';
import { LocalDiscord } from '../support/discord/localDiscord.ts';
import { waitFor } from '../support/discord/botClient.ts';
import { cafAac, cafOpus, heic, probe } from './fixtures.ts';

const JANE = '+15550001111';
let base = '';
let sim: MessagesSimulator;
let discord: LocalDiscord;
let bridge: RunningBridge;

before(async () => {
  base = mkdtempSync(join(tmpdir(), 'media-discord-'));
  const downloads = join(base, 'downloads');
  mkdirSync(downloads);
  sim = MessagesSimulator.create({ dir: join(base, 'sim') });
  discord = await LocalDiscord.start();
  const config = configSchema.parse({
    imessage: { chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, send: { allowed_file_dirs: [downloads] } },
    bridge: { database: join(base, 'bridge.db') },
    discord: { token: discord.token, guild_id: discord.guildId, api_url: discord.apiUrl, auto_mirror: 'all' },
  });
  const sender = new AppleScriptSender({ home: sim.home, timeoutMs: 20_000, allowedFileDirs: [downloads], maxFileBytes: 1 << 20, env: fakeOsascriptEnv(sim.dir) });
  bridge = await startBridge({
    config, sender, handleSignals: false, log: pino({ level: 'silent' }),
    connectors: ({ kits }) => [createDiscordConnector(config.discord!, {
      kits, displayName: (h) => (h === JANE ? 'Jane Customer' : h), log: pino({ level: 'silent' }), downloadDir: downloads, status: async () => ({ healthy: true }),
    })],
  });
});

after(async () => {
  await bridge?.stop();
  sim?.close({ pending: 'drop' });
  await discord?.close();
  rmSync(base, { recursive: true, force: true });
});

interface Arrived { filename: string; contentType: string | undefined; bytes: Buffer; content: string }

/** The first attachment Discord stored under this name, fetched from its URL. */
async function arrived(channelId: string, filename: string): Promise<Arrived> {
  const m = await waitFor(() => discord.state.channelMessages(channelId).find((x) => x.attachments.some((a) => a.filename === filename)), 60_000, `${filename} in Discord`);
  const a = m.attachments.find((x) => x.filename === filename)!;
  const res = await fetch(a.url);
  assert.equal(res.status, 200);
  return { filename, contentType: a.content_type, bytes: Buffer.from(await res.arrayBuffer()), content: m.content };
}

test('a HEIC photo arrives in Discord as an upright .jpg', { timeout: 90_000 }, async () => {
  const photo = readFileSync(heic(base, 'IMG_4242.HEIC', 120, 80, 6));
  const chat = sim.addChat({ participants: [JANE] });
  sim.receive(chat, { from: JANE, text: 'the damaged box', attachments: [{ name: 'IMG_4242.HEIC', bytes: photo }] });
  const channel = await waitFor(() => discord.channelByName('jane-customer'), 30_000, 'the portal channel');
  const jpg = await arrived(channel.id, 'IMG_4242.jpg');
  assert.equal(sniff(jpg.bytes), 'jpeg', 'JPEG magic number');
  assert.deepEqual(imageSize(jpg.bytes), { w: 80, h: 120 }, 'turned by its EXIF orientation');
  assert.equal(jpg.contentType ?? 'image/jpeg', 'image/jpeg');
  assert.ok(!discord.view(channel.id).some((m) => m.attachments.some((a) => /\.heic$/i.test(a.filename))), 'no HEIC posted');
  assert.ok(discord.view(channel.id).some((m) => m.content.includes('the damaged box')));
});

test('voice messages (Opus and AAC inside CAF) arrive as playable .ogg files', { timeout: 90_000 }, async () => {
  const chat = sim.addChat({ participants: ['+15550002222'] });
  const dir = join(base, 'voice');
  mkdirSync(join(dir, 'aac'), { recursive: true });
  sim.receive(chat, { from: '+15550002222', attachments: [{ name: 'Audio Message.caf', bytes: readFileSync(cafOpus(dir, 'Audio Message.caf', 2)) }] });
  const channel = await waitFor(() => discord.channelByName('15550002222'), 30_000, 'the portal channel');
  const first = await arrived(channel.id, 'Audio Message.ogg');
  sim.receive(chat, { from: '+15550002222', attachments: [{ name: 'Audio Message.caf', bytes: readFileSync(cafAac(join(dir, 'aac'), 'Audio Message.caf', 3)) }] });
  await waitFor(() => discord.state.channelMessages(channel.id).filter((m) => m.attachments.some((a) => a.filename === 'Audio Message.ogg')).length === 2, 60_000, 'the second voice message');
  const second = discord.state.channelMessages(channel.id).filter((m) => m.attachments.some((a) => a.filename === 'Audio Message.ogg'))[1]!;
  const secondBytes = Buffer.from(await (await fetch(second.attachments[0]!.url)).arrayBuffer());
  for (const [bytes, seconds] of [[first.bytes, 2], [secondBytes, 3]] as const) {
    assert.equal(bytes.toString('latin1', 0, 4), 'OggS', 'Ogg magic number');
    const file = join(dir, `check-${seconds}.ogg`);
    writeFileSync(file, bytes);
    const facts = probe(file);
    assert.equal(facts.codec, 'opus');
    assert.ok(Math.abs(facts.duration - seconds) < 0.2, `duration ${facts.duration}`);
  }
  // discord.js labels uploads by sniffing their bytes (file-type says application/ogg);
  // Discord's client picks its player by the .ogg extension.
  assert.match(first.contentType ?? 'audio/ogg', /^(audio|application)\/ogg$/);
});
