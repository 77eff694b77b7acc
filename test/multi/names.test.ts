// bridge.name: each bridge of a team gets its own names in shared places,
// through the config file as a user writes it; explicit keys still win.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../../src/config/schema.ts';
import { buildRegistration } from '../../src/connectors/matrix/registration.ts';
import { bridgeNames, bridgeSlug } from '../../src/core/presentation/index.ts';

const MATRIX = { homeserver_url: 'http://127.0.0.1:8008', homeserver_name: 'team.example', owners: ['@lead:team.example'], mode: 'appservice' };
const DISCORD = { token: 't', guild_id: '123456789012345678' };
const parse = (bridge: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  configSchema.parse({ bridge, discord: DISCORD, matrix: MATRIX, ...extra });

test('without a name, a bridge keeps the single-bridge names', () => {
  const c = parse({});
  assert.equal(c.discord!.category_name, 'iMessage');
  assert.equal(c.discord!.command_name, 'imessage');
  assert.equal(c.matrix!.appservice.user_prefix, '_imessage_');
  assert.equal(c.matrix!.appservice.bot_display_name, 'iMessage bridge');
  assert.equal(buildRegistration(c.matrix!).id, 'imessage-bridge');
});

test('two named bridges share no category, forum, command, appservice id, bot or ghost namespace', () => {
  const a = parse({ name: 'Sales' });
  const b = parse({ name: '+1 555 000 2222' });
  assert.equal(a.discord!.category_name, 'iMessage · Sales');
  assert.equal(a.discord!.command_name, 'imessage-sales');
  assert.equal(b.discord!.command_name, 'imessage-1-555-000-2222');
  for (const k of ['category_name', 'forum_channel_name', 'command_name'] as const) assert.notEqual(a.discord![k], b.discord![k], k);
  const [ra, rb] = [buildRegistration(a.matrix!), buildRegistration(b.matrix!)];
  assert.notEqual(ra.id, rb.id);
  assert.notEqual(ra.sender_localpart, rb.sender_localpart);
  assert.equal(a.matrix!.appservice.bot_display_name, 'iMessage bridge (Sales)');
  assert.equal(a.matrix!.space_name, 'iMessage · Sales');
  // Neither bridge's exclusive namespace claims the other's ghosts or bot.
  const claims = (r: typeof ra, user: string) => new RegExp(`^${r.namespaces.users[0]!.regex}$`).test(user);
  assert.ok(claims(ra, `@${a.matrix!.appservice.user_prefix}15550001111:team.example`));
  assert.ok(!claims(rb, `@${a.matrix!.appservice.user_prefix}15550001111:team.example`));
  assert.ok(!claims(ra, `@${b.matrix!.appservice.user_prefix}15550001111:team.example`));
});

test('one unnamed and several named bridges on one homeserver: no exclusive namespace claims another bridge\'s ghosts', () => {
  const bridges = [parse({}), parse({ name: 'Sales' }), parse({ name: 'Sales East' }), parse({ name: '+1 555 000 2222' })];
  const regs = bridges.map((c) => buildRegistration(c.matrix!));
  // Synapse matches a namespace regex from the start of the user id.
  const claims = (r: (typeof regs)[number], user: string) => new RegExp(`^(?:${r.namespaces.users[0]!.regex})`).test(user);
  // Ghost localparts as ghostSuffix makes them: phone numbers, and emails with capitals ('_' + lowercase).
  for (const suffix of ['=2b15550001111', 'sales_east=40x.com', '_sales_j=40x.com']) {
    for (const [i, own] of bridges.entries()) {
      const ghost = `@${own.matrix!.appservice.user_prefix}${suffix}:team.example`;
      regs.forEach((r, j) => assert.equal(claims(r, ghost), i === j, `${ghost} claimed by ${r.id}: ${i === j}`));
    }
  }
  assert.equal(new Set(regs.map((r) => r.id)).size, regs.length, 'distinct appservice ids');
  assert.equal(new Set(regs.map((r) => r.sender_localpart)).size, regs.length, 'distinct bots');
  assert.equal(new Set(regs.map((r) => r.as_token)).size, regs.length, 'distinct tokens');
});

test('a ghost prefix the SDK could not read back from the regex is refused with the key named', () => {
  const r = configSchema.safeParse({ matrix: { ...MATRIX, appservice: { user_prefix: '_i.message_' } } });
  assert.equal(r.success, false);
  assert.deepEqual(r.error!.issues[0]!.path, ['matrix', 'appservice', 'user_prefix']);
});

test('keys set explicitly win over the namespaced ones', () => {
  const c = parse({ name: 'Sales' }, { discord: { ...DISCORD, category_name: 'Customers' } });
  assert.equal(c.discord!.category_name, 'Customers');
  assert.equal(c.discord!.command_name, 'imessage-sales');
});

test('a name with nothing to make a name from is refused with the key named', () => {
  const r = configSchema.safeParse({ bridge: { name: '!!!' } });
  assert.equal(r.success, false);
  assert.deepEqual(r.error!.issues[0]!.path, ['bridge', 'name']);
  assert.equal(bridgeSlug('Zoë’s Team'), 'zoe-s-team');
  assert.deepEqual(bridgeNames(null), bridgeNames(undefined));
});
