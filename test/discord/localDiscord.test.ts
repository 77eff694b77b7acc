// The local Discord must be faithful enough for UNMODIFIED discord.js: these
// tests drive it with a real Client and check the protocol details the
// connector depends on.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelType, DiscordAPIError, type Client, type Message, Routes } from 'discord.js';
import { LocalDiscord } from '../support/discord/localDiscord.ts';
import { connectBot, waitFor } from '../support/discord/botClient.ts';

let d: LocalDiscord;
let bot: Client<true>;
let general: string;
const seen: Message[] = [];

before(async () => {
  d = await LocalDiscord.start({ maxUploadBytes: 1024, rateLimits: { webhook: { limit: 5, windowMs: 400 } } });
  d.addRole('agents');
  general = d.createTextChannel('general');
  bot = await connectBot(d);
  bot.on('messageCreate', (m) => { seen.push(m); });
});
after(async () => { await bot.destroy(); await d.close(); });

test('READY and GUILD_CREATE give discord.js the guild, its channels and roles', () => {
  const guild = bot.guilds.cache.get(d.guildId);
  assert.ok(guild, 'guild cached');
  assert.equal(guild.roles.everyone.id, d.guildId);
  assert.ok(guild.roles.cache.find((r) => r.name === 'agents'));
  assert.equal(guild.channels.cache.get(general)?.name, 'general');
  assert.equal(bot.application.id, d.applicationId);
  assert.match(bot.user.id, /^\d{17,19}$/);
});

test('a human message arrives as messageCreate with member roles', async () => {
  const alice = d.addUser('alice', ['agents']);
  const id = d.post(alice, general, 'hello bot');
  const m = await waitFor(() => seen.find((x) => x.id === id), 10_000, 'message');
  assert.equal(m.content, 'hello bot');
  assert.equal(m.author.id, alice);
  assert.ok(m.member?.roles.cache.some((r) => r.name === 'agents'));
});

test('bot sends, reactions (204 without content type) and channel creation work', async () => {
  const ch = await bot.channels.fetch(general);
  assert.ok(ch?.type === ChannelType.GuildText);
  const sent = await ch.send({ content: 'hi @everyone', allowedMentions: { parse: [] } });
  assert.match(sent.id, /^\d{17,19}$/);
  await sent.react('✅');
  assert.deepEqual(d.view(general).at(-1)?.reactions, { '✅': [d.botUserId] });
  assert.deepEqual(d.view(general).at(-1)?.allowedMentions, { parse: [] });
  const guild = bot.guilds.cache.get(d.guildId)!;
  const created = await guild.channels.create({ name: 'New Chat', type: ChannelType.GuildText, topic: '+15551234567' });
  assert.equal(created.name, 'new-chat');
  await waitFor(() => bot.channels.cache.get(created.id), 5000, 'CHANNEL_CREATE');
});

test('webhooks: username override, wait=true returns the message, 204 without wait, bad usernames 50035', async () => {
  const ch = await bot.channels.fetch(general);
  assert.ok(ch?.type === ChannelType.GuildText);
  const hook = await ch.createWebhook({ name: 'bridge' });
  const msg = await bot.rest.post(Routes.webhook(hook.id, hook.token!), { body: { content: 'from Bob', username: 'Bob', allowed_mentions: { parse: [] } }, query: new URLSearchParams({ wait: 'true' }), auth: false }) as { id: string; webhook_id: string };
  assert.equal(msg.webhook_id, hook.id);
  const noWait = await bot.rest.post(Routes.webhook(hook.id, hook.token!), { body: { content: 'no wait' }, auth: false });
  assert.equal((noWait as ArrayBuffer).byteLength, 0, '204 gives no body');
  const last = d.view(general).find((m) => m.id === msg.id)!;
  assert.equal(last.username, 'Bob');
  await assert.rejects(bot.rest.post(Routes.webhook(hook.id, hook.token!), { body: { content: 'x', username: 'Discord Bob' }, auth: false }),
    (e: unknown) => e instanceof DiscordAPIError && e.code === 50035);
});

test('multipart uploads, and files over the limit answer 40005', async () => {
  const ch = await bot.channels.fetch(general);
  assert.ok(ch?.type === ChannelType.GuildText);
  const ok = await ch.send({ content: 'file', files: [{ attachment: Buffer.alloc(100, 1), name: 'a.bin' }] });
  assert.equal(ok.attachments.first()?.size, 100);
  assert.deepEqual(d.view(general).at(-1)?.attachments, [{ filename: 'a.bin', size: 100 }]);
  await assert.rejects(ch.send({ files: [{ attachment: Buffer.alloc(2000, 1), name: 'big.bin' }] }),
    (e: unknown) => e instanceof DiscordAPIError && e.code === 40005 && e.status === 413);
});

test('rate limits: discord.js paces a burst by the headers, nothing lost, in order', async () => {
  const ch = await bot.channels.fetch(general);
  assert.ok(ch?.type === ChannelType.GuildText);
  const hook = await ch.createWebhook({ name: 'burst' });
  const started = Date.now();
  for (let i = 0; i < 20; i++) void bot.rest.post(Routes.webhook(hook.id, hook.token!), { body: { content: `burst ${i}` }, query: new URLSearchParams({ wait: 'true' }), auth: false });
  await waitFor(() => d.view(general).filter((m) => m.content.startsWith('burst ')).length === 20, 20_000, 'burst');
  const contents = d.view(general).filter((m) => m.content.startsWith('burst ')).map((m) => m.content);
  assert.deepEqual(contents, Array.from({ length: 20 }, (_, i) => `burst ${i}`));
  assert.ok(Date.now() - started >= 3 * 400 - 50, 'paced over at least three windows');
});

test('a raw client over the limit gets 429 with Retry-After', async () => {
  const hookRes = await fetch(`${d.apiUrl}/v10/channels/${general}/webhooks`, { method: 'POST', headers: { authorization: `Bot ${d.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'raw' }) });
  const hook = await hookRes.json() as { id: string; token: string };
  const statuses: Array<{ status: number; retry: string | null }> = [];
  for (let i = 0; i < 7; i++) {
    const r = await fetch(`${d.apiUrl}/v10/webhooks/${hook.id}/${hook.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: `raw ${i}` }) });
    statuses.push({ status: r.status, retry: r.headers.get('retry-after') });
    assert.equal(r.status === 204 ? r.headers.get('content-type') : 'n/a', r.status === 204 ? null : 'n/a');
  }
  const limited = statuses.filter((s) => s.status === 429);
  assert.ok(limited.length >= 1, 'some requests were limited');
  assert.ok(limited.every((s) => s.retry !== null && Number(s.retry) >= 0));
});

test('a dropped gateway resumes and replays what happened meanwhile', async () => {
  const bob = d.addUser('bob');
  const before = d.gateway.stats.resumes;
  d.gateway.drop({ code: 4000 });
  const ids = [d.post(bob, general, 'while away 1'), d.post(bob, general, 'while away 2')];
  await waitFor(() => ids.every((id) => seen.some((m) => m.id === id)), 20_000, 'replayed messages');
  assert.equal(d.gateway.stats.resumes, before + 1);
  assert.ok(d.gateway.stats.replayed >= 2);
});

test('op 7 reconnect also resumes without losing events', async () => {
  const carol = d.addUser('carol');
  const identifies = d.gateway.stats.identifies;
  d.gateway.requestReconnect();
  const id = d.post(carol, general, 'during reconnect');
  await waitFor(() => seen.some((m) => m.id === id), 20_000, 'message after op 7');
  assert.equal(d.gateway.stats.identifies, identifies, 'no fresh identify');
});

test('op 9 (not resumable) makes discord.js identify again; heartbeats are acked', async () => {
  const fast = await LocalDiscord.start({ heartbeatIntervalMs: 150 });
  const client = await connectBot(fast);
  try {
    await waitFor(() => fast.gateway.stats.heartbeats >= 3, 15_000, 'heartbeats');
    assert.ok(fast.gateway.connected, 'acked heartbeats keep the connection');
    fast.gateway.invalidateSession(false);
    await waitFor(() => fast.gateway.stats.identifies >= 2 && fast.gateway.connected, 20_000, 'fresh identify');
    const u = fast.addUser('dora');
    const ch = fast.createTextChannel('after-op9');
    const got = new Promise<string>((r) => client.on('messageCreate', (m) => { if (m.channelId === ch) r(m.content); }));
    fast.post(u, ch, 'still here');
    assert.equal(await got, 'still here');
  } finally { await client.destroy(); await fast.close(); }
});

test('interactions: command registration, deferred reply, editReply and followUp', async () => {
  await bot.rest.put(Routes.applicationGuildCommands(d.applicationId, d.guildId), { body: [{ name: 'ping', description: 'p', options: [{ type: 1, name: 'now', description: 'n' }] }] });
  const eve = d.addUser('eve');
  bot.once('interactionCreate', (i) => {
    if (!i.isChatInputCommand()) return;
    void (async () => {
      await i.deferReply();
      await i.editReply(`pong ${i.options.getSubcommand()} for ${i.user.username}`);
      await i.followUp({ content: 'and a followup' });
    })();
  });
  const i = d.slash(eve, general, 'ping', 'now');
  await waitFor(() => i.followups.length === 1, 10_000, 'followup');
  assert.equal(i.responses[0]?.type, 5, 'deferred');
  assert.equal(i.responses[1]?.data?.content, 'pong now for eve');
  assert.equal(i.followups[0]?.content, 'and a followup');
});
