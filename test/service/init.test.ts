import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInit, type WizardDeps } from '../../src/service/init/wizard.ts';
import { flagPrompter, type Prompter } from '../../src/service/init/prompter.ts';
import { parseConfig } from '../../src/config/load.ts';

const fakeFetch = (opts: { discordOk?: boolean } = {}): typeof fetch => (async (input: string | URL, init?: RequestInit) => {
  const url = String(input);
  const auth = new Headers(init?.headers).get('authorization');
  if (url.includes('down.test') || auth === 'Bot net') throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  if (url.endsWith('/users/@me')) return auth === 'Bot good-token' && opts.discordOk !== false ? Response.json({ id: '1', username: 'imb' }) : new Response('{}', { status: 401 });
  if (url.endsWith('/_matrix/client/versions')) return Response.json({ versions: ['v1.11'] });
  if (url.endsWith('/account/whoami')) return auth === 'Bearer mx-token' ? Response.json({ user_id: '@bot:hs.test' }) : new Response('{}', { status: 401 });
  return new Response('{}', { status: 404 });
}) as typeof fetch;

function deps(flags: Record<string, string | string[] | boolean>, over: Partial<WizardDeps> = {}) {
  const lines: string[] = [];
  const tokens: { db: string; name: string; scopes: string[] }[] = [];
  const d: WizardDeps = {
    prompter: flagPrompter(flags), fetch: fakeFetch(), defaultChatDb: '/nonexistent/chat.db',
    listChats: () => [{ guid: 'iMessage;-;+15551234567', label: 'Ada Lovelace' }, { guid: 'iMessage;+;chat42', label: 'Book club' }],
    createApiToken: (db, name, scopes) => { tokens.push({ db, name, scopes }); return 'imb_secret'; },
    out: (l) => lines.push(l), ...over,
  };
  return { d, lines, tokens };
}

const allFlags = {
  'chat-db': '/data/chat.db', connectors: 'discord,matrix', 'discord-token': 'good-token', 'discord-guild': '333333333333333333',
  'discord-roles': '555555555555555555', 'discord-mirrors': 'iMessage;-;+15551234567', 'matrix-homeserver': 'http://hs.test:8008',
  'matrix-server-name': 'hs.test', 'matrix-mode': 'bot', 'matrix-owner': '@me:hs.test', 'matrix-token': 'mx-token', 'matrix-mirrors': 'iMessage;+;chat42',
};

test('init without a terminal writes a valid, commented config from flags and creates a token', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'imb-init-')), 'config.yaml');
  const { d, lines, tokens } = deps(allFlags);
  const r = await runInit(path, d);
  const text = readFileSync(path, 'utf8');
  const cfg = parseConfig(text);
  assert.equal(cfg.imessage.chat_db, '/data/chat.db');
  assert.deepEqual(cfg.discord?.mirrors, ['iMessage;-;+15551234567']);
  assert.deepEqual(cfg.discord?.allowed_roles, ['555555555555555555']);
  assert.deepEqual(cfg.matrix?.mirrors, ['iMessage;+;chat42']);
  assert.equal(cfg.matrix?.access_token, 'mx-token');
  assert.equal(cfg.api?.host, '127.0.0.1');
  assert.match(text, /# Messages' database/);
  assert.match(text, /# Only these roles/);
  assert.equal(r.apiToken, 'imb_secret');
  assert.deepEqual(tokens.map((t) => t.scopes), [['read', 'send']]);
  assert.ok(lines.some((l) => l.includes('Discord token valid')));
});

test('running init again keeps the user\'s own comments and keys', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'imb-init-')), 'config.yaml');
  await runInit(path, deps(allFlags).d);
  writeFileSync(path, readFileSync(path, 'utf8').replace('imessage:', '# my own note, keep me\nimessage:\n  poll_interval_ms: 1500 # tuned by hand'));
  await runInit(path, deps({ ...allFlags, 'discord-mirrors': 'iMessage;+;chat42', api: true, 'api-token': false }).d);
  const text = readFileSync(path, 'utf8');
  assert.match(text, /# my own note, keep me/);
  assert.match(text, /poll_interval_ms: 1500 # tuned by hand/);
  assert.deepEqual(parseConfig(text).discord?.mirrors, ['iMessage;+;chat42']);
});

test('a bad Discord token stops the wizard before anything is written', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'imb-init-')), 'config.yaml');
  const { d } = deps({ ...allFlags, 'discord-token': 'wrong' });
  await assert.rejects(runInit(path, d), /rejected the bot token/);
  assert.throws(() => readFileSync(path));
});

test('a missing required flag without a terminal is a clear error', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'imb-init-')), 'config.yaml');
  const { d } = deps({ connectors: 'discord' });
  await assert.rejects(runInit(path, d), /--discord-token is required when there is no terminal/);
});

test('init offers recent chats from chat.db, newest first, with contact names', async () => {
  const { MessagesSimulator } = await import('../../src/sim/simulator.ts');
  const { seedSampleConversations } = await import('../../src/sim/samples.ts');
  const { recentChats } = await import('../../src/service/init/recentChats.ts');
  const dir = mkdtempSync(join(tmpdir(), 'imb-init-sim-'));
  const sim = MessagesSimulator.create({ dir });
  seedSampleConversations(sim);
  sim.close();
  const chats = recentChats(sim.dbPath, join(sim.home, 'Library/Application Support/AddressBook'));
  assert.deepEqual(chats.map((c) => c.label).sort(), ['Ada Lovelace', 'Compiler club', "Tony's Pizza"]);
  const { ChatDb } = await import('../../src/imessage/db/index.ts');
  const db = ChatDb.open(sim.dbPath);
  const last = new Map(db.chats().map((c) => [c.guid as string, c.lastMessageAt ?? 0]));
  db.close();
  const times = chats.map((c) => last.get(c.guid)!);
  assert.deepEqual(times, [...times].sort((a, b) => b - a));
  assert.ok(chats.every((c) => /;[-+];/.test(c.guid)));
});

test('init --flags end to end: the CLI writes a config that validates', async () => {
  const { spawnSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'imb-init-cli-'));
  const path = join(dir, 'config.yaml');
  const r = spawnSync(process.execPath, ['bin/imessage-bridge.js', 'init', '--config', path, '--chat-db', join(dir, 'missing.db'), '--connectors', '', '--no-api-token'], { encoding: 'utf8', input: '' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /cannot read chat\.db yet/);
  assert.match(r.stdout, /wrote /);
  const cfg = parseConfig(readFileSync(path, 'utf8'));
  assert.equal(cfg.imessage.chat_db, join(dir, 'missing.db'));
  assert.equal(cfg.api?.host, '127.0.0.1');
});

/** A person at the terminal: answers per question, in order; a question asked once too often fails the test. */
function person(answers: Record<string, (string | string[] | boolean)[]>): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = <T>(key: string, def?: T): T => {
    asked.push(key);
    const q = answers[key];
    if (!q || q.length === 0) {
      if (def !== undefined) return def;
      throw new Error(`asked ${key} once too often`);
    }
    return q.shift() as T;
  };
  return {
    interactive: true, asked,
    input: async (k, _m, def) => next<string>(k, def),
    secret: async (k) => next<string>(k),
    confirm: async (k, _m, def) => next<boolean>(k, def),
    select: async (k, _m, _c, def) => next<string>(k, def),
    checkbox: async (k) => next<string[]>(k, []),
  };
}

test('on a terminal a rejected token, an unreachable host or a wrong id is asked again, naming the host; earlier answers are kept', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'imb-init-')), 'config.yaml');
  const p = person({
    'chat-db': ['/data/chat.db'], connectors: [['discord', 'matrix']],
    'discord-token': ['wrong', 'net', 'good-token'], 'discord-guild': ['my server', '333333333333333333'],
    'discord-roles': ['admins', '555555555555555555'], 'discord-mirrors': [['iMessage;-;+15551234567']],
    'matrix-homeserver': ['http://down.test:8008', 'matrix dot org', 'http://hs.test:8008'], 'matrix-server-name': ['hs.test'],
    'matrix-mode': ['bot'], 'matrix-owner': ['me', '@me:hs.test'], 'matrix-token': ['nope', 'mx-token'], 'matrix-mirrors': [[]],
    api: [true], 'api-token': [false],
  });
  const { d, lines } = deps({}, { prompter: p });
  await runInit(path, d);
  const out = lines.join('\n');
  assert.match(out, /✘ Discord \(discord\.com\) rejected the bot token \(401\)/);
  assert.match(out, /✘ cannot reach Discord at discord\.com \(ECONNREFUSED\)/);
  assert.match(out, /✘ "my server" is not a Discord snowflake id .*Copy Server ID/);
  assert.match(out, /✘ "admins" is not a role id/);
  assert.match(out, /✘ cannot reach the homeserver at down\.test:8008 \(ECONNREFUSED\)/);
  assert.match(out, /✘ "matrix dot org" is not a URL/);
  assert.match(out, /✘ "me" is not a Matrix user id like @alice:example\.org: give your full user id, e\.g\. @me:hs\.test/);
  assert.match(out, /✘ The homeserver hs\.test:8008 rejected the access token \(401\)/);
  assert.equal(out.match(/Please try again \(your other answers are kept\)/g)?.length, 8);
  const cfg = parseConfig(readFileSync(path, 'utf8'));
  assert.equal(cfg.imessage.chat_db, '/data/chat.db', 'the first answer survived every retry');
  assert.equal(cfg.discord?.token, 'good-token');
  assert.equal(cfg.discord?.guild_id, '333333333333333333');
  assert.deepEqual(cfg.discord?.allowed_roles, ['555555555555555555']);
  assert.equal(cfg.matrix?.homeserver_url, 'http://hs.test:8008');
  assert.deepEqual(cfg.matrix?.owners, ['@me:hs.test']);
  assert.equal(cfg.matrix?.access_token, 'mx-token');
});

test('without a terminal a wrong answer ends the run with the reason, and nothing is written', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'imb-init-')), 'config.yaml');
  await assert.rejects(runInit(path, deps({ ...allFlags, 'matrix-owner': 'me' }).d), /"me" is not a Matrix user id like @alice:example\.org/);
  await assert.rejects(runInit(path, deps({ ...allFlags, 'matrix-homeserver': 'http://down.test:8008' }).d), /cannot reach the homeserver at down\.test:8008/);
  assert.throws(() => readFileSync(path));
});

test('a config file init edits is made private (0600) once tokens are in it', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'imb-init-')), 'config.yaml');
  writeFileSync(path, 'imessage:\n  poll_interval_ms: 1500\n');
  chmodSync(path, 0o644);
  await runInit(path, deps({ ...allFlags, 'api-token': false }).d);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const fresh = join(mkdtempSync(join(tmpdir(), 'imb-init-')), 'config.yaml');
  await runInit(fresh, deps({ 'chat-db': '/data/chat.db', connectors: '', 'api-token': false }).d);
  assert.equal(statSync(fresh).mode & 0o777, 0o600, 'a new file is private from the start');
});

test('init prints no raw JSON log lines between its prompts, even when reading chat.db logs a note (CLI)', async () => {
  const { spawnSync } = await import('node:child_process');
  const { MessagesSimulator } = await import('../../src/sim/simulator.ts');
  const Database = (await import('better-sqlite3')).default;
  const dir = mkdtempSync(join(tmpdir(), 'imb-init-log-'));
  const sim = MessagesSimulator.create({ dir: join(dir, 'sim') });
  sim.addChat({ participants: ['+15551230001'] });
  sim.close();
  // Without its message_id index, opening chat.db logs an info note.
  const db = new Database(sim.dbPath);
  const indexes = db.prepare(`SELECT il.name FROM pragma_index_list('chat_message_join') il, pragma_index_info(il.name) ii WHERE ii.seqno = 0 AND ii.name = 'message_id' AND il.origin = 'c'`).pluck().all() as string[];
  for (const i of indexes) db.exec(`DROP INDEX "${i}"`);
  db.close();
  assert.ok(indexes.length > 0, 'the note is triggered');
  const path = join(dir, 'config.yaml');
  const r = spawnSync(process.execPath, ['bin/imessage-bridge.js', 'init', '--config', path, '--chat-db', sim.dbPath, '--connectors', '', '--no-api-token'],
    { encoding: 'utf8', input: '', env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /✔ chat\.db readable: 1 chats/);
  assert.doesNotMatch(r.stdout + r.stderr, /^\{"level"/m);
});
