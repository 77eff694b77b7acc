import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.ts';
import { runDoctor, formatResults, type DoctorEnv } from '../../src/service/doctor/index.ts';
import { recordingRunner, type RunResult } from '../../src/service/runner.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { createAddressBook } from '../../src/sim/addressBook.ts';
import { installAgent, DEFAULT_LABEL } from '../../src/service/launchAgent.ts';

type Answer = (cmd: string, args: string[], input?: string) => Partial<RunResult>;

const okMac: Answer = (cmd, args, input) => {
  if (cmd === 'osascript' && input?.includes('System Events')) return { stdout: 'true\n' };
  if (cmd === 'osascript' && input?.includes('count of')) return { stdout: '1\n' };
  if (cmd === 'osascript') return { stdout: 'Messages\n' };
  if (cmd === 'pmset' && args[1] === 'assertions') return { stdout: 'Assertion status system-wide:\n   PreventSystemSleep             0\n' };
  if (cmd === 'pmset') return { stdout: 'System-wide power settings:\nActive Profiles:\n sleep                0\n displaysleep         10\n' };
  if (cmd === 'launchctl') return { stdout: 'state = running\n\tpid = 321\n' };
  return {};
};

const discordOk: Record<string, unknown> = {
  '/users/@me': { id: '111111111111111111', username: 'bridge' },
  '/applications/@me': { id: '222222222222222222', flags: 1 << 18 },
  '/guilds/333333333333333333': { id: '333333333333333333', roles: [{ id: '333333333333333333', permissions: '0' }, { id: '444444444444444444', permissions: String((1 << 4) | (1 << 6) | (1 << 29)) }] },
  '/guilds/333333333333333333/members/111111111111111111': { roles: ['444444444444444444'] },
};

function fetchStub(overrides: Record<string, { status: number; body?: unknown } | Error> = {}): typeof fetch {
  return (async (input: string | URL) => {
    const url = new URL(String(input));
    const key = url.pathname.replace(/^\/api\/v10/, '');
    const o = overrides[key];
    if (o instanceof Error) throw o;
    if (o) return new Response(o.body === undefined ? null : JSON.stringify(o.body), { status: o.status });
    if (key in discordOk) return Response.json(discordOk[key]);
    if (key === '/_matrix/client/versions') return Response.json({ versions: ['v1.11'] });
    if (key === '/_matrix/client/v3/account/whoami') return Response.json({ user_id: '@bot:hs.test' });
    return new Response('{}', { status: 404 });
  }) as typeof fetch;
}

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'imb-doctor-'));
  const sim = MessagesSimulator.create({ dir });
  const chat = sim.addChat({ participants: ['+15551234567'] });
  sim.receive(chat, { from: '+15551234567', text: 'hello' });
  createAddressBook(sim.home, [{ first: 'Ada', last: 'Lovelace', phones: ['(555) 123-4567'] }]);
  sim.close();
  const configText = `imessage:\n  chat_db: ${sim.dbPath}\n  contacts_dir: ${join(sim.home, 'Library/Application Support/AddressBook')}\nbridge:\n  database: ${join(dir, 'bridge', 'bridge.db')}\ndiscord:\n  token: t0k\n  guild_id: "333333333333333333"\n  api_url: http://127.0.0.1:9/api\nmatrix:\n  homeserver_url: http://127.0.0.1:9\n  homeserver_name: hs.test\n  access_token: mx\n  owners: ["@me:hs.test"]\napi:\n  host: 127.0.0.1\n`;
  const configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, configText);
  // A PATH with a stand-in ffmpeg, so the media check finds a converter for voice messages.
  const tools = join(dir, 'tools');
  mkdirSync(tools);
  writeFileSync(join(tools, 'ffmpeg'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(tools, 'ffmpeg'), 0o755);
  const base = (over: Partial<DoctorEnv> = {}, answer: Answer = okMac, text = configText): DoctorEnv => {
    const runner = recordingRunner((c, a) => answer(c, a, undefined));
    // recordingRunner does not pass input to answer(): wrap to expose the script.
    const run: DoctorEnv['run'] = async (cmd, args, opts) => { await runner(cmd, args, opts); const r = answer(cmd, args, opts?.input); return { code: r.code ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' }; };
    return {
      config: parseConfig(text), configPath, home: sim.home, uid: 501, platform: 'darwin',
      execPath: '/opt/homebrew/bin/node', termProgram: undefined, run, fetch: fetchStub(),
      freeBytes: () => 10 * 1024 ** 3, serviceLabel: DEFAULT_LABEL, toolPath: tools, ...over,
    };
  };
  await installAgent({ label: DEFAULT_LABEL, platform: 'darwin', home: sim.home, uid: 501, nodePath: '/n', scriptPath: '/s', configPath }, recordingRunner());
  return { dir, sim, base, configText };
}

const failing = (results: { id: string; ok: boolean }[]) => results.filter((r) => !r.ok).map((r) => r.id);

test('doctor passes every check on a healthy (simulated) Mac', async () => {
  const { base } = await setup();
  const results = await runDoctor(base());
  assert.deepEqual(failing(results), [], formatResults(results));
  assert.deepEqual(results.map((r) => r.id), ['chatdb', 'contacts', 'automation', 'messages', 'sleep', 'launchagent', 'discord', 'matrix', 'media', 'api', 'disk']);
  assert.match(formatResults(results), /^✔ chat\.db readable/m);
  assert.match(formatResults(results), /^✔ Media conversion: .*voice messages → Ogg Opus with ffmpeg \(.*tools\/ffmpeg\)/m);
});

test('each check fails once, alone, with an exact fix', async () => {
  const { base, configText, dir } = await setup();
  const cases: { id: string; env: DoctorEnv; fix: RegExp }[] = [
    { id: 'chatdb', env: base({}, okMac, configText.replace(/chat_db: .*/, `chat_db: ${join(dir, 'missing.db')}`)), fix: /chat_db|chat\.db|Messages/i },
    { id: 'contacts', env: base({}, okMac, configText.replace(/contacts_dir: .*/, `contacts_dir: ${join(dir, 'nowhere')}`)), fix: /Contacts/ },
    { id: 'automation', env: base({}, (c, a, i) => (c === 'osascript' && i === 'tell application "Messages" to get name' ? { code: 1, stderr: '0:43: execution error: Not authorized to send Apple events to Messages. (-1743)' } : okMac(c, a, i))), fix: /Privacy & Security › Automation.*\/opt\/homebrew\/bin\/node/ },
    { id: 'messages', env: base({}, (c, a, i) => (i?.includes('System Events') ? { stdout: 'false\n' } : okMac(c, a, i))), fix: /Open Messages/ },
    { id: 'sleep', env: base({}, (c, a, i) => (c === 'pmset' && a[1] !== 'assertions' ? { stdout: ' sleep                1\n' } : okMac(c, a, i))), fix: /keep_awake: true|pmset -a sleep 0/ },
    { id: 'launchagent', env: base({}, (c, a, i) => (c === 'launchctl' ? { code: 113, stderr: 'Could not find service' } : okMac(c, a, i))), fix: /launchctl bootstrap gui\/501/ },
    { id: 'discord', env: base({ fetch: fetchStub({ '/applications/@me': { status: 200, body: { flags: 0 } } }) }), fix: /MESSAGE CONTENT INTENT/ },
    { id: 'matrix', env: base({ fetch: fetchStub({ '/_matrix/client/v3/account/whoami': { status: 401, body: {} } }) }), fix: /access_token/ },
    { id: 'api', env: base({}, okMac, configText.replace('host: 127.0.0.1', 'host: 0.0.0.0\n  allow_remote: true')), fix: /127\.0\.0\.1/ },
    { id: 'media', env: base({ toolPath: join(dir, 'empty') }), fix: /brew install ffmpeg/ },
    { id: 'disk', env: base({ freeBytes: () => 10 * 1024 * 1024 }), fix: /500 MB/ },
  ];
  for (const c of cases) {
    const results = await runDoctor(c.env);
    assert.deepEqual(failing(results), [c.id], `${c.id}: ${formatResults(results)}`);
    const r = results.find((x) => x.id === c.id)!;
    assert.match(r.fix ?? '', c.fix, `${c.id} fix: ${r.fix}`);
    assert.match(formatResults(results), new RegExp(`^✘ ${r.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
  }
});

test('Discord permission and Matrix reachability failures name what is missing', async () => {
  const { base } = await setup();
  const noWebhooks = fetchStub({ '/guilds/333333333333333333': { status: 200, body: { roles: [{ id: '444444444444444444', permissions: String(1 << 6) }] } } });
  const r1 = (await runDoctor(base({ fetch: noWebhooks }))).find((r) => r.id === 'discord')!;
  assert.equal(r1.ok, false);
  assert.match(r1.detail, /Manage Webhooks, Manage Channels/);
  const down = fetchStub({ '/_matrix/client/versions': new Error('connect ECONNREFUSED') });
  const r2 = (await runDoctor(base({ fetch: down }))).find((r) => r.id === 'matrix')!;
  assert.equal(r2.ok, false);
  assert.match(r2.detail, /ECONNREFUSED/);
});

test('bridge.media.convert: false is reported as off, not as a missing tool', async () => {
  const { base, configText, dir } = await setup();
  const results = await runDoctor(base({ toolPath: join(dir, 'empty') }, okMac, configText.replace('bridge:\n', 'bridge:\n  media:\n    convert: false\n')));
  const media = results.find((r) => r.id === 'media')!;
  assert.equal(media.ok, true);
  assert.match(media.detail, /off \(bridge\.media\.convert: false\)/);
});

test('off a Mac, doctor says so first, points to `demo`, and skips the checks that ask macOS', async () => {
  const { base } = await setup();
  const env = base({ platform: 'linux' });
  const results = await runDoctor(env);
  assert.equal(results[0]!.id, 'platform');
  assert.equal(results[0]!.ok, false);
  assert.match(results[0]!.detail, /linux, not macOS/);
  assert.match(results[0]!.fix!, /imessage-bridge demo/);
  const ids = results.map((r) => r.id);
  for (const macOnly of ['automation', 'messages', 'sleep', 'launchagent']) assert.ok(!ids.includes(macOnly), `${macOnly} skipped: ${ids.join(',')}`);
  assert.ok(ids.includes('chatdb') && ids.includes('media'));
});

test('`doctor` on this Linux machine: the first line says it is not macOS and points to demo (CLI)', async () => {
  const { spawnSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'imb-doctor-cli-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `imessage:\n  chat_db: ${join(dir, 'chat.db')}\nbridge:\n  database: ${join(dir, 'bridge.db')}\n`);
  const r = spawnSync(process.execPath, ['bin/imessage-bridge.js', 'doctor', '--config', config], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (process.platform === 'darwin') return; // only meaningful off a Mac; the unit test above covers the logic everywhere
  assert.equal(r.status, 1, r.stderr);
  const first = r.stdout.split('\n')[0]!;
  assert.match(first, /^✘ macOS: this machine runs linux, not macOS/);
  assert.match(r.stdout, /fix: .*imessage-bridge demo/);
  assert.doesNotMatch(r.stdout, /osascript|Automation permission|LaunchAgent installed/);
});
