// Start-up failures say what to do: bad token, Message Content intent not
// enabled, bot not in the guild.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openBridgeDb } from '../../src/core/db/bridgeDb.ts';
import { ConnectorKits } from '../../src/core/kit/index.ts';
import { discordSection } from '../../src/config/sections/discord.ts';
import { createDiscordConnector } from '../../src/connectors/discord/index.ts';
import { DiscordConnectorError } from '../../src/connectors/discord/errors.ts';
import { LocalDiscord, type LocalDiscordOptions } from '../support/discord/localDiscord.ts';
import { FakeCore } from '../support/discord/fixtures.ts';

async function startWith(opts: LocalDiscordOptions, cfg: (d: LocalDiscord) => Record<string, unknown>): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'discord-start-'));
  const d = await LocalDiscord.start(opts);
  const db = openBridgeDb(join(dir, 'b.db'));
  const c = createDiscordConnector(discordSection.parse({ token: d.token, guild_id: d.guildId, api_url: d.apiUrl, ...cfg(d) }), {
    kits: new ConnectorKits(db), displayName: (h) => h, status: async () => ({}), log: pino({ level: 'silent' }), downloadDir: dir,
  });
  try {
    await c.start(new FakeCore());
    await c.stop();
    return null;
  } catch (e) {
    return e;
  } finally {
    db.close();
    await d.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a wrong token fails with advice to copy it again', async () => {
  const e = await startWith({}, () => ({ token: 'wrong-token' }));
  assert.ok(e instanceof DiscordConnectorError, String(e));
  assert.equal(e.code, 'bad_token');
  assert.match(e.advice, /Developer Portal/);
});

test('Message Content not enabled (4014) fails with advice to enable the intent', async () => {
  const e = await startWith({ messageContentAllowed: false }, () => ({}));
  assert.ok(e instanceof DiscordConnectorError, String(e));
  assert.equal(e.code, 'intents');
  assert.match(e.advice, /Message Content intent/);
});

test('a guild the bot is not in fails with advice to invite it', async () => {
  const e = await startWith({}, () => ({ guild_id: '123456789012345678' }));
  assert.ok(e instanceof DiscordConnectorError, String(e));
  assert.equal(e.code, 'no_guild');
  assert.match(e.advice, /Invite the bot/);
});

test('a correct setup starts and stops cleanly', async () => {
  assert.equal(await startWith({}, () => ({})), null);
});
