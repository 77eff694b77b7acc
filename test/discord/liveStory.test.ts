// The whole story, live: the Messages simulator → the bridge core → the local
// Discord, and back through the outbox and the fake osascript into chat.db.
// A support team of three agents (carol may not send) mixes internal notes
// with replies; the customer must only receive the deliberate ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startBridge, type RunningBridge } from '../../src/daemon.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createDiscordConnector, type DiscordConnector } from '../../src/connectors/discord/index.ts';
import { AppleScriptSender } from '../../src/imessage/send/index.ts';
import { MessagesSimulator, type SimChat } from '../../src/sim/simulator.ts';
import { storedText } from '../../src/sim/body.ts';
import { fakeOsascriptEnv, setFakeOsascriptMode } from '../../src/sim/fakeOsascript/index.ts';
import type { SendReceipt } from '../../src/core/events.ts';
import { LocalDiscord } from '../support/discord/localDiscord.ts';
import { waitFor } from '../support/discord/botClient.ts';

const JANE = '+15550001111';
let base = '';
let sim: MessagesSimulator;
let discord: LocalDiscord;
let bridge: RunningBridge;
let connector: DiscordConnector | null = null;
let chat: SimChat;
const users = { alice: '', bob: '', carol: '' };
const fates: SendReceipt[] = [];

before(async () => {
  base = mkdtempSync(join(tmpdir(), 'discord-live-'));
  const downloads = join(base, 'downloads');
  mkdirSync(downloads);
  sim = MessagesSimulator.create({ dir: join(base, 'sim') });
  chat = sim.addChat({ participants: [JANE] });
  discord = await LocalDiscord.start({ rateLimits: { webhook: { limit: 30, windowMs: 1000 } } });
  discord.addRole('agents');
  users.alice = discord.addUser('alice', ['agents']);
  users.bob = discord.addUser('bob', ['agents']);
  users.carol = discord.addUser('carol');
  const config = configSchema.parse({
    imessage: { chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, send: { confirm_timeout_ms: 15_000, allowed_file_dirs: [downloads] } },
    bridge: { database: join(base, 'bridge.db') },
    discord: { token: discord.token, guild_id: discord.guildId, api_url: discord.apiUrl, auto_mirror: 'all', allowed_roles: ['agents'], signature: true },
  });
  const sender = new AppleScriptSender({
    home: sim.home, timeoutMs: 20_000, allowedFileDirs: [downloads], maxFileBytes: 1 << 20, retryDelayMs: 20,
    env: fakeOsascriptEnv(sim.dir, { FAKE_OSASCRIPT_FLIP_MS: '30' }),
  });
  bridge = await startBridge({
    config, sender, handleSignals: false, log: pino({ level: 'silent' }),
    connectors: ({ kits }) => {
      connector = createDiscordConnector(config.discord!, {
        kits, displayName: (h) => (h === JANE ? 'Jane Customer' : h), log: pino({ level: 'silent' }), downloadDir: downloads,
        status: async () => ({ healthy: true }),
      });
      return [connector];
    },
  });
  bridge.core.onFate((r) => fates.push(r));
});

after(async () => {
  await bridge?.stop();
  sim?.close({ pending: 'drop' });
  await discord?.close();
  rmSync(base, { recursive: true, force: true });
});

/** What the customer's Messages holds: every row of the chat, oldest first. */
function customerSees(): Array<{ fromMe: boolean; text: string }> {
  const rows = sim.db.prepare(`SELECT m.is_from_me AS fromMe, m.text, m.attributedBody FROM message m
    JOIN chat_message_join j ON j.message_id = m.ROWID JOIN chat c ON c.ROWID = j.chat_id
    WHERE c.guid = ? AND m.associated_message_type = 0 ORDER BY m.ROWID`).all(chat.guid) as Array<{ fromMe: number; text: string | null; attributedBody: Buffer | null }>;
  return rows.map((r) => ({ fromMe: r.fromMe === 1, text: storedText(r.text, r.attributedBody) }));
}

test('a support team answers a customer: only deliberate replies reach iMessage, and fates come back', { timeout: 90_000 }, async () => {
  sim.receive(chat, { from: JANE, text: 'Hi, my order #123 is late' });
  const channel = await waitFor(() => discord.channelByName('jane-customer'), 30_000, 'channel for the customer');
  await waitFor(() => discord.view(channel.id).some((m) => m.content === 'Hi, my order #123 is late'), 30_000, 'customer message in Discord');
  assert.equal(discord.view(channel.id)[0]?.username, 'Jane Customer');

  discord.post(users.alice, channel.id, '// VIP customer, be generous');
  discord.post(users.carol, channel.id, 'Hi Jane, carol here!');
  const thread = discord.startThread(users.bob, channel.id, 'refund?');
  discord.post(users.bob, thread, 'I checked the warehouse: lost parcel');
  const reply = discord.post(users.alice, channel.id, 'Sorry Jane, a refund is on its way');

  // Messages confirms the send from chat.db: ✅ on alice's message.
  await waitFor(() => discord.view(channel.id).find((m) => m.id === reply)?.reactions['✅'], 60_000, '✅ on the reply');
  const sent = fates.find((r) => r.fate.state === 'sent');
  assert.ok(sent && sent.fate.state === 'sent');

  // The customer taps ❤️ on it and answers.
  sim.tapback(chat, { from: JANE, target: sent.fate.messageGuid, type: 'love' });
  sim.receive(chat, { from: JANE, text: 'Thank you so much!' });
  await waitFor(() => discord.view(channel.id).some((m) => m.content === 'Thank you so much!'), 30_000, 'customer thanks');
  await waitFor(() => discord.view(channel.id).find((m) => m.id === reply)?.reactions['❤️'], 30_000, '❤️ on the reply');
  await connector!.idle();

  // What the customer has, exactly.
  assert.deepEqual(customerSees(), [
    { fromMe: false, text: 'Hi, my order #123 is late' },
    { fromMe: true, text: 'Sorry Jane, a refund is on its way\n— alice' },
    { fromMe: false, text: 'Thank you so much!' },
  ]);
  // What Discord shows: no echo of the confirmed reply, carol told once.
  const shown = discord.view(channel.id);
  assert.equal(shown.filter((m) => m.content.includes('a refund is on its way')).length, 1, 'the confirmed send is not posted back');
  assert.equal(shown.filter((m) => /aren't allowed to send/.test(m.content)).length, 1);
  assert.deepEqual(shown.filter((m) => !m.bot).map((m) => m.username), ['alice', 'carol', 'alice']);
  // The audit names the Discord user behind the sent text.
  const audit = bridge.db.prepare("SELECT user_id, user_name, result FROM audit WHERE connector = 'discord' AND action LIKE 'send%'").all() as Array<{ user_id: string; user_name: string; result: string }>;
  assert.ok(audit.length >= 1);
  assert.ok(audit.every((a) => a.user_id === users.alice && a.user_name === 'alice'), JSON.stringify(audit));
  assert.ok(audit.some((a) => a.result === 'sent'), JSON.stringify(audit));
});

test('a send Messages refuses shows ❌ with the reason; an agent\'s file lands in chat.db; my own phone shows as "Me"', { timeout: 90_000 }, async () => {
  const channel = discord.channelByName('jane-customer')!;
  setFakeOsascriptMode(sim.dir, 'fail:-1743');
  const refused = discord.post(users.alice, channel.id, 'this one will be refused');
  try {
    await waitFor(() => discord.view(channel.id).find((m) => m.id === refused)?.reactions['❌'], 60_000, '❌ on the refused send');
  } finally { setFakeOsascriptMode(sim.dir, null); }
  // The reaction lands first; the explaining reply is a second request.
  const why = await waitFor(() => discord.view(channel.id).find((m) => m.replyTo === refused && m.content.startsWith('❌')), 30_000, 'a reply explaining the failure');
  assert.ok(why, 'a reply explains the failure');
  assert.match(why.content, /Not sent to iMessage: .+/);

  const withFile = discord.post(users.bob, channel.id, 'here is your label', { files: [{ name: 'label.pdf', data: Buffer.from('%PDF-1.4 label') }] });
  await waitFor(() => {
    const m = discord.view(channel.id).find((x) => x.id === withFile);
    return m && Object.keys(m.reactions).filter((e) => e === '✅').length === 1 && fates.filter((f) => f.intent.origin?.remoteId === withFile && f.fate.state === 'sent').length === 2;
  }, 60_000, 'text and file confirmed');
  const names = sim.db.prepare(`SELECT a.transfer_name FROM attachment a JOIN message_attachment_join j ON j.attachment_id = a.ROWID
    JOIN message m ON m.ROWID = j.message_id WHERE m.is_from_me = 1`).pluck().all();
  assert.ok(names.includes('label.pdf'), JSON.stringify(names));

  sim.sendFromMe(chat, { text: 'typed on my own phone' });
  await waitFor(() => discord.view(channel.id).find((m) => m.content === 'typed on my own phone'), 30_000, 'own phone message');
  assert.equal(discord.view(channel.id).find((m) => m.content === 'typed on my own phone')?.username, 'Me');
  // The refused text never reached the customer; the file is its own row (an attachment placeholder).
  assert.deepEqual(customerSees().filter((m) => m.fromMe).map((m) => m.text.replace(/\uFFFC/g, '[file]')), [
    'Sorry Jane, a refund is on its way\n— alice', 'here is your label\n— bob', '[file]', 'typed on my own phone',
  ]);
});

test('/imessage new reaches a number that never wrote in, and its answer lands in the new channel', { timeout: 90_000 }, async () => {
  const lobby = discord.createTextChannel('lobby');
  await waitFor(() => discord.state.commands.length > 0, 10_000, 'commands');
  const i = discord.slash(users.alice, lobby, 'imessage', 'new', { to: '+1 555 000 7777', text: 'Your appointment is tomorrow at 9' });
  await waitFor(() => i.responses.some((r) => /Started a conversation/.test(String(r.data?.content ?? ''))), 30_000, 'command answer');
  const channel = await waitFor(() => discord.channelByName('15550007777'), 10_000, 'new channel');
  const opening = discord.view(channel.id)[0]!;
  await waitFor(() => discord.view(channel.id)[0]?.reactions['✅'], 60_000, '✅ on the opening message');
  assert.equal(opening.username, 'alice');
  const row = sim.db.prepare(`SELECT c.chat_identifier AS who, m.text, m.attributedBody FROM message m JOIN chat_message_join j ON j.message_id = m.ROWID
    JOIN chat c ON c.ROWID = j.chat_id WHERE m.is_from_me = 1 ORDER BY m.ROWID DESC LIMIT 1`).get() as { who: string; text: string | null; attributedBody: Buffer | null };
  assert.equal(row.who, '+15550007777');
  assert.equal(storedText(row.text, row.attributedBody), 'Your appointment is tomorrow at 9\n— alice');
  const newChat = sim.findChat('+15550007777')!;
  sim.receive(newChat, { from: '+15550007777', text: 'See you then' });
  await waitFor(() => discord.view(channel.id).some((m) => m.content === 'See you then'), 30_000, 'answer in the same channel');
  assert.equal(discord.channels().filter((c) => c.name === '15550007777').length, 1, 'no second channel for the same person');
});
