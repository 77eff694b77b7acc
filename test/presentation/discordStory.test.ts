// The presentation bugs, as a Discord user sees them: the Messages simulator →
// the bridge → the local Discord. An unsend after an edit strikes out the
// edited text; iMessage text reads as typed; a long emoji text is cut between
// graphemes; a vanished attachment reads as a sentence.
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
import { MessagesSimulator, type SimChat } from '../../src/sim/simulator.ts';
import { fakeOsascriptEnv } from '../../src/sim/fakeOsascript/index.ts';
import { LocalDiscord } from '../support/discord/localDiscord.ts';
import { waitFor } from '../support/discord/botClient.ts';
import { startHarness } from '../support/discord/harness.ts';
import { directChat, imsg, messageEvent } from '../support/discord/fixtures.ts';

const JANE = '+15550001111';
let base = '';
let sim: MessagesSimulator;
let discord: LocalDiscord;
let bridge: RunningBridge;
let chat: SimChat;
let channel = '';

before(async () => {
  base = mkdtempSync(join(tmpdir(), 'present-story-'));
  const downloads = join(base, 'downloads');
  mkdirSync(downloads);
  sim = MessagesSimulator.create({ dir: join(base, 'sim') });
  chat = sim.addChat({ participants: [JANE] });
  discord = await LocalDiscord.start({});
  const config = configSchema.parse({
    imessage: { chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20 },
    bridge: { database: join(base, 'bridge.db') },
    discord: { token: discord.token, guild_id: discord.guildId, api_url: discord.apiUrl, auto_mirror: 'all' },
  });
  const sender = new AppleScriptSender({ home: sim.home, timeoutMs: 20_000, allowedFileDirs: [downloads], maxFileBytes: 1 << 20, retryDelayMs: 20, env: fakeOsascriptEnv(sim.dir) });
  bridge = await startBridge({
    config, sender, handleSignals: false, log: pino({ level: 'silent' }),
    connectors: ({ kits }) => [createDiscordConnector(config.discord!, {
      kits, displayName: (h) => (h === JANE ? 'Jane Customer' : h), log: pino({ level: 'silent' }), downloadDir: downloads, status: async () => ({}),
    })],
  });
  sim.receive(chat, { from: JANE, text: 'hello' });
  channel = (await waitFor(() => discord.channelByName('jane-customer'), 30_000, 'the channel')).id;
});

after(async () => {
  await bridge?.stop();
  sim?.close({ pending: 'drop' });
  await discord?.close();
  rmSync(base, { recursive: true, force: true });
});

const shown = (id: string) => discord.view(channel).find((m) => m.id === id);

test('an unsend after an edit strikes out the edited text, not "(empty)"', { timeout: 60_000 }, async () => {
  const m = sim.receive(chat, { from: JANE, text: 'meet at 5' });
  const posted = await waitFor(() => discord.view(channel).find((x) => x.content === 'meet at 5'), 30_000, 'the message');
  sim.edit(m.guid, 'meet at 6');
  await waitFor(() => shown(posted.id)?.content === 'meet at 6', 30_000, 'the edit');
  // Messages moves date_edited as it unsends: that must not blank the message first.
  sim.unsend(m.guid);
  await waitFor(() => shown(posted.id)?.content.endsWith('*(unsent)*'), 30_000, 'the unsend');
  assert.equal(shown(posted.id)?.content, '~~meet at 6~~ *(unsent)*');
});

test('iMessage text reads as typed: Markdown is escaped, links still work', { timeout: 60_000 }, async () => {
  const text = '> not a quote\n**not bold** ||no spoiler|| `no code` [no](https://evil.example) https://ok.example/a_b';
  sim.receive(chat, { from: JANE, text });
  const m = await waitFor(() => discord.view(channel).find((x) => x.content.includes('not a quote')), 30_000, 'the message');
  assert.equal(m.content, '\\> not a quote\n\\*\\*not bold\\*\\* \\|\\|no spoiler\\|\\| \\`no code\\` \\[no\\](https://evil.example) https://ok.example/a_b');
});

test('a long emoji text is cut between graphemes, never inside a family or a flag', { timeout: 60_000 }, async () => {
  const family = '👩‍👩‍👧‍👦';
  const text = `${'🇫🇷'.repeat(3)}${family.repeat(300)}`; // 3306 UTF-16 units, no spaces or lines
  sim.receive(chat, { from: JANE, text });
  const parts = await waitFor(() => {
    const ps = discord.view(channel).filter((x) => x.content.includes(family));
    return ps.length >= 2 && ps.map((p) => p.content).join('') === text ? ps : undefined;
  }, 30_000, 'both parts');
  assert.ok(parts.every((p) => p.content.length <= 2000));
  assert.equal(parts[1]!.content.length % family.length, 0, 'the second part starts on a whole family');
});

test('an attachment whose file is gone reads "no longer on the Mac", never ENOENT', { timeout: 60_000 }, async () => {
  const h = await startHarness();
  try {
    const jane = directChat(JANE);
    const att = { guid: 'A1', path: join(base, 'deleted', 'photo.jpg'), mimeType: 'image/jpeg', uti: 'public.jpeg', transferName: 'photo.jpg', size: 2048, isSticker: false, part: 0 };
    await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'look', attachments: [att] })));
    const ch = h.discord.channelByName('jane-customer')!;
    const m = h.discord.view(ch.id).at(-1)!;
    assert.equal(m.content, 'look\n📎 photo.jpg (the file is no longer on the Mac)');
    assert.doesNotMatch(m.content, /ENOENT/);
  } finally { await h.close(); }
});
