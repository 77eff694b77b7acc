// Several bridges, one team, on Matrix: two Macs (two simulators), two bridges
// named "Sales" and "Support" in appservice mode, one real Synapse holding both
// registrations, and one team Space an owner made in "Element". Each bridge
// adds its portal to that Space, with its own ghosts; a reply reaches only the
// Mac whose room it was typed in; neither appservice can claim the other's ghosts.
// A third bridge, "Returns", ran with a Space of its own before matrix.space was
// set: on the next start its portals move into the team Space.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startBridge, type RunningBridge } from '../../src/daemon.ts';
import { configSchema, type Config } from '../../src/config/schema.ts';
import { connectorsFromConfig } from '../../src/connectors/index.ts';
import { writeRegistration, type Registration } from '../../src/connectors/matrix/registration.ts';
import { AppleScriptSender } from '../../src/imessage/send/index.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { fakeOsascriptEnv, readInvocations } from '../../src/sim/fakeOsascript/index.ts';
import { storedText } from '../../src/sim/body.ts';
import { startSynapse, freePort, type Synapse } from '../support/synapse/synapse.ts';
import { ElementUser } from '../support/synapse/elementUser.ts';

const JANE = '+15550001111';
const LONG = 60_000;
let base = '';
let hs: Synapse;
let owner: ElementUser;
let spaceId = '';
let ownerToken = '';
interface Mac { name: string; sim: MessagesSimulator; config: Config; reg: Registration; bridge?: RunningBridge }
const macs: Mac[] = [];
let returns: Mac;
const TEAM_SPACE = '#team:localhost';

async function prepareMac(name: string, space: string | null = TEAM_SPACE): Promise<Mac> {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  const sim = MessagesSimulator.create({ dir: join(dir, 'sim') });
  const port = await freePort();
  const raw = (hsUrl: string, owners: string[]) => ({
    imessage: { chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, send: { confirm_timeout_ms: 15_000 } },
    bridge: { database: join(dir, 'bridge.db'), name },
    matrix: {
      homeserver_url: hsUrl, homeserver_name: 'localhost', mode: 'appservice', owners, auto_mirror: 'all', ...(space && { space }),
      appservice: { port, registration: join(dir, 'registration.yaml') },
    },
  });
  // The registration exists before Synapse starts: Synapse reads app_service_config_files only then.
  const first = raw('http://127.0.0.1:1', ['@owner:localhost']);
  const reg = writeRegistration(configSchema.parse(first).matrix!);
  return { name, sim, reg, config: configSchema.parse(first) };
}

async function startMac(m: Mac, change: Record<string, unknown> = {}): Promise<void> {
  const matrix = { ...(m.config.matrix as unknown as Record<string, unknown>), homeserver_url: hs.url, owners: [owner.userId], ...change };
  m.config = configSchema.parse({ imessage: { chat_db: m.sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, send: { confirm_timeout_ms: 15_000 } }, bridge: { database: m.config.bridge.database, name: m.name }, matrix });
  const sender = new AppleScriptSender({ home: m.sim.home, timeoutMs: 20_000, allowedFileDirs: [], maxFileBytes: 1 << 20, retryDelayMs: 20, env: fakeOsascriptEnv(m.sim.dir, { FAKE_OSASCRIPT_FLIP_MS: '30' }) });
  const config = m.config;
  m.bridge = await startBridge({ config, sender, handleSignals: false, log: pino({ level: process.env.TEAM_LOG ?? 'silent' }), connectors: (deps) => connectorsFromConfig(config, deps) });
}

before(async () => {
  base = mkdtempSync(join(tmpdir(), 'matrix-team-'));
  macs.push(await prepareMac('Sales'), await prepareMac('Support'));
  returns = await prepareMac('Returns', null); // no matrix.space yet
  hs = await startSynapse({ appserviceRegistrations: [...macs, returns].map((m) => ({ ...m.reg })) });
  const o = await hs.registerUser('owner');
  owner = new ElementUser(hs.url, o.userId, o.accessToken);
  ownerToken = o.accessToken;
  owner.startSync();
  // The team lead makes the Space, invites both bridge bots and lets them add rooms.
  const bots = [...macs, returns].map((m) => `@${m.reg.sender_localpart}:localhost`);
  const created = await owner.api<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
    name: 'Team', room_alias_name: 'team', preset: 'private_chat', creation_content: { type: 'm.space' }, invite: bots,
    power_level_content_override: { users: Object.fromEntries(bots.map((b) => [b, 50])) },
  });
  spaceId = created.room_id;
  for (const m of macs) await startMac(m);
});

after(async () => {
  for (const m of [...macs, returns]) { await m?.bridge?.stop().catch(() => undefined); m?.sim.close({ pending: 'drop' }); }
  await owner?.stop();
  await hs?.stop();
  rmSync(base, { recursive: true, force: true });
});

const ownTexts = (sim: MessagesSimulator): string[] => (sim.db.prepare('SELECT text, attributedBody FROM message WHERE is_from_me = 1 ORDER BY ROWID').all() as Array<{ text: string | null; attributedBody: Buffer | null }>)
  .map((r) => storedText(r.text, r.attributedBody));
const ghostOf = (m: Mac): string => `@${m.config.matrix!.appservice.user_prefix}=2b15550001111:localhost`;

test('two bridges, one Space: each portal in the team Space, distinct ghosts, a reply reaches only its own Mac', { timeout: 240_000 }, async () => {
  const [sales, support] = macs as [Mac, Mac];
  sales.sim.receive(sales.sim.addChat({ participants: [JANE] }), { from: JANE, text: 'I want to buy' });
  support.sim.receive(support.sim.addChat({ participants: [JANE] }), { from: JANE, text: 'My order is broken' });
  const rooms: string[] = [];
  for (const m of macs) {
    const bot = `@${m.reg.sender_localpart}:localhost`;
    const room = await owner.waitForInvite((r, st) => !rooms.includes(r) && r !== spaceId && st.some((e) => e.type === 'm.room.create' && e.sender === bot)
      && !st.some((e) => e.type === 'm.room.name' && e.content.name === 'iMessage bridge'), `the ${m.name} portal invite` /* not its management room */, LONG);
    rooms.push(room);
    await owner.join(room);
  }
  const [salesRoom, supportRoom] = rooms as [string, string];
  const said = await owner.waitFor((e) => e.room_id === salesRoom && e.content.body === 'I want to buy', 'the Sales message', LONG);
  const told = await owner.waitFor((e) => e.room_id === supportRoom && e.content.body === 'My order is broken', 'the Support message', LONG);
  // The same customer is a different ghost per bridge, each in its bridge's namespace.
  assert.equal(said.sender, ghostOf(sales));
  assert.equal(told.sender, ghostOf(support));
  assert.notEqual(said.sender, told.sender);
  assert.ok(!owner.events.some((e) => e.room_id === salesRoom && e.content.body === 'My order is broken'));

  // Both portals are children of the one team Space, and no bridge made a Space of its own.
  const state = await owner.api<Array<{ type: string; state_key: string }>>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(spaceId)}/state`);
  const children = state.filter((e) => e.type === 'm.space.child').map((e) => e.state_key).sort();
  assert.deepEqual(children, [salesRoom, supportRoom].sort());
  const spaces = [...owner.invites.values()].filter((st) => st.some((e) => e.type === 'm.room.create' && e.content.type === 'm.space'));
  assert.equal(spaces.length, 0, 'no other Space was created');

  // A reply in the Sales room reaches only the Sales Mac.
  await owner.send(salesRoom, { msgtype: 'm.text', body: 'Happy to help you buy' });
  const until = Date.now() + LONG;
  while (!ownTexts(sales.sim).includes('Happy to help you buy')) {
    if (Date.now() > until) throw new Error('the reply never reached the Sales Mac');
    await new Promise((r) => setTimeout(r, 100));
  }
  await owner.send(supportRoom, { msgtype: 'm.text', body: 'A new one is on its way' });
  while (!ownTexts(support.sim).includes('A new one is on its way')) {
    if (Date.now() > until + LONG) throw new Error('the reply never reached the Support Mac');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(ownTexts(sales.sim), ['Happy to help you buy'], 'the Sales Mac never sent the Support reply');
  assert.deepEqual(ownTexts(support.sim), ['A new one is on its way']);
  assert.equal(readInvocations(sales.sim.dir).length, 1, 'one osascript run on the Sales Mac');
  assert.equal(readInvocations(support.sim.dir).length, 1, 'one osascript run on the Support Mac');
});

test('neither appservice can claim the other\'s ghosts', { timeout: 60_000 }, async () => {
  const [sales, support] = macs as [Mac, Mac];
  const register = async (as: Mac, localpart: string) => {
    const r = await fetch(`${hs.url}/_matrix/client/v3/register`, {
      method: 'POST', headers: { authorization: `Bearer ${as.reg.as_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'm.login.application_service', username: localpart, inhibit_login: true }),
    });
    return { status: r.status, body: await r.json() as { errcode?: string } };
  };
  const salesGhost = `${sales.config.matrix!.appservice.user_prefix}=2b15550009999`;
  const supportGhost = `${support.config.matrix!.appservice.user_prefix}=2b15550009999`;
  assert.equal((await register(support, salesGhost)).body.errcode, 'M_EXCLUSIVE');
  assert.equal((await register(sales, supportGhost)).body.errcode, 'M_EXCLUSIVE');
  assert.equal((await register(sales, salesGhost)).status, 200, 'each may register its own');
});

test('a bridge that had a Space of its own moves its portals into the team Space once matrix.space is set', { timeout: 240_000 }, async () => {
  const m = returns;
  const bot = `@${m.reg.sender_localpart}:localhost`;
  // A room's state as the bridge's bot (in its own rooms) or as the owner (in the team Space, which
  // the bot joins only once matrix.space is set). A missing event is null; any other refusal fails loudly.
  const get = async (room: string, rest: string, who: 'bot' | 'owner'): Promise<unknown> => {
    const r = await fetch(`${hs.url}/_matrix/client/v3/rooms/${encodeURIComponent(room)}/state${rest}${who === 'bot' ? `?user_id=${encodeURIComponent(bot)}` : ''}`,
      { headers: { authorization: `Bearer ${who === 'bot' ? m.reg.as_token : ownerToken}` } });
    if (r.status === 404) return null;
    if (!r.ok) throw new Error(`reading ${room}${rest} as the ${who}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const state = async (room: string, type: string, key: string, who: 'bot' | 'owner' = 'bot') =>
    await get(room, `/${type}/${encodeURIComponent(key)}`, who) as Record<string, unknown> | null;
  const parents = async (room: string): Promise<string[]> => (await get(room, '', 'bot') as Array<{ type: string; state_key: string; content: { via?: string[] } }>)
    .filter((e) => e.type === 'm.space.parent' && e.content.via?.length).map((e) => e.state_key);

  // First run: no matrix.space, so the bridge makes its own Space and puts the portal in it.
  await startMac(m);
  const chat = m.sim.addChat({ participants: [JANE] });
  m.sim.receive(chat, { from: JANE, text: 'Where do I send it back?' });
  const room = await owner.waitForInvite((r, st) => r !== spaceId && st.some((e) => e.type === 'm.room.create' && e.sender === bot)
    && !st.some((e) => e.type === 'm.room.create' && e.content.type === 'm.space')
    && !st.some((e) => e.type === 'm.room.name' && e.content.name === 'iMessage bridge'), 'the Returns portal invite', LONG);
  await owner.join(room);
  await owner.waitFor((e) => e.room_id === room && e.content.body === 'Where do I send it back?', 'the first message', LONG);
  const [own] = await parents(room);
  assert.ok(own && own !== spaceId, 'the portal starts in the bridge\'s own Space');
  assert.deepEqual((await state(own, 'm.space.child', room))?.via, ['localhost']);
  assert.equal(await state(spaceId, 'm.space.child', room, 'owner'), null, 'not yet in the team Space');

  // The operator sets matrix.space and restarts: the same room moves, nothing is recreated.
  await m.bridge!.stop();
  await startMac(m, { space: TEAM_SPACE });
  const until = Date.now() + LONG;
  while (!(await state(spaceId, 'm.space.child', room, 'owner'))?.via) {
    if (Date.now() > until) throw new Error('the portal never became a child of the team Space');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(await parents(room), [spaceId], 'the room names the team Space as its one parent');
  assert.equal((await state(room, 'm.space.parent', spaceId))?.canonical, true);
  assert.deepEqual(await state(own, 'm.space.child', room), {}, 'and it left the old Space');
  m.sim.receive(chat, { from: JANE, text: 'Found the label' });
  const next = await owner.waitFor((e) => e.content.body === 'Found the label', 'the next message', LONG);
  assert.equal(next.room_id, room, 'the chat stays in its room');
});
