import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import plist from 'plist';
import { agentStatus, buildPlist, installAgent, plistPath, uninstallAgent, type AgentSpec } from '../../src/service/launchAgent.ts';
import { recordingRunner } from '../../src/service/runner.ts';
import { RotatingLog } from '../../src/service/rotatingLog.ts';
import { caffeinateArgs, keepAwake } from '../../src/service/caffeinate.ts';

const spec = (home: string): AgentSpec => ({
  label: 'com.example.imb', home, uid: 501, platform: 'darwin',
  nodePath: '/opt/homebrew/bin/node', scriptPath: '/opt/imb/bin/imessage-bridge.js', configPath: '/Users/me/imb/config.yaml',
});

test('plist parses back with absolute paths and the keys launchd needs', async () => {
  const home = mkdtempSync(join(tmpdir(), 'imb-svc-'));
  const run = recordingRunner();
  const file = await installAgent(spec(home), run);
  assert.equal(file, plistPath(home, 'com.example.imb'));
  const parsed = plist.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  assert.deepEqual(parsed, buildPlist(spec(home)));
  assert.deepEqual(parsed.ProgramArguments, ['/opt/homebrew/bin/node', '/opt/imb/bin/imessage-bridge.js', 'run', '--config', '/Users/me/imb/config.yaml']);
  assert.equal(parsed.RunAtLoad, true);
  assert.deepEqual(parsed.KeepAlive, { SuccessfulExit: false });
  assert.equal(parsed.ThrottleInterval, 10);
  assert.equal(parsed.ProcessType, 'Interactive');
  assert.match(String(parsed.StandardErrorPath), /Library\/Logs\/imessage-bridge\/stderr\.log$/);
  for (const p of parsed.ProgramArguments as string[]) assert.ok(p.startsWith('/') || !p.includes('/'), `${p} must be absolute`);
  // First install: nothing to boot out, then exactly one bootstrap into the GUI domain.
  assert.deepEqual(run.calls, [{ cmd: 'launchctl', args: ['bootstrap', 'gui/501', file] }]);
});

test('reinstall boots the old job out first; uninstall boots out and removes the plist', async () => {
  const home = mkdtempSync(join(tmpdir(), 'imb-svc-'));
  const run = recordingRunner();
  await installAgent(spec(home), run);
  await installAgent(spec(home), run);
  const file = plistPath(home, 'com.example.imb');
  assert.deepEqual(run.calls.slice(1), [
    { cmd: 'launchctl', args: ['bootout', 'gui/501/com.example.imb'] },
    { cmd: 'launchctl', args: ['bootstrap', 'gui/501', file] },
  ]);
  assert.equal(await uninstallAgent(home, 'com.example.imb', 501, run), true);
  assert.deepEqual(run.calls.at(-1), { cmd: 'launchctl', args: ['bootout', 'gui/501/com.example.imb'] });
  assert.equal(existsSync(file), false);
});

test('a failing bootstrap is a clear error with advice', async () => {
  const home = mkdtempSync(join(tmpdir(), 'imb-svc-'));
  const run = recordingRunner((_c, args) => (args[0] === 'bootstrap' ? { code: 5, stderr: 'Bootstrap failed: 5: Input/output error' } : {}));
  await assert.rejects(installAgent(spec(home), run), (e: Error & { advice?: string }) => {
    assert.match(e.message, /Bootstrap failed: 5/);
    assert.match(e.advice ?? '', /logged-in user session/);
    return true;
  });
});

test('status reads pid and last exit from launchctl print', async () => {
  const home = mkdtempSync(join(tmpdir(), 'imb-svc-'));
  const run = recordingRunner(() => ({ stdout: 'gui/501/com.example.imb = {\n\tstate = running\n\tpid = 4242\n\tlast exit code = 0\n}' }));
  const s = await agentStatus(home, 'com.example.imb', 501, run);
  assert.deepEqual({ loaded: s.loaded, pid: s.pid, lastExit: s.lastExit, installed: s.installed }, { loaded: true, pid: 4242, lastExit: 0, installed: false });
  assert.deepEqual(run.calls, [{ cmd: 'launchctl', args: ['print', 'gui/501/com.example.imb'] }]);
  const down = await agentStatus(home, 'com.example.imb', 501, recordingRunner(() => ({ code: 113, stderr: 'Could not find service' })));
  assert.equal(down.loaded, false);
});

test('logs rotate by size and keep a bounded number of files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'imb-log-'));
  const log = new RotatingLog({ dir, maxBytes: 100, keep: 2 });
  for (let i = 0; i < 10; i++) log.write(`${'x'.repeat(40)}${i}\n`);
  await new Promise<void>((r) => log.end(r));
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, ['bridge.log', 'bridge.log.1', 'bridge.log.2']);
  assert.match(readFileSync(join(dir, 'bridge.log'), 'utf8'), /x9\n$/);
  for (const f of files) assert.ok(readFileSync(join(dir, f)).length <= 100);
});

test('caffeinate is spawned with -i -s -w <pid> on macOS only, when enabled', () => {
  const spawned: { cmd: string; args: string[] }[] = [];
  const spawner = (cmd: string, args: string[]) => { spawned.push({ cmd, args }); return { kill: () => true, on: () => undefined } as never; };
  assert.equal(keepAwake({ enabled: true, platform: 'linux', spawner }), null);
  assert.equal(keepAwake({ enabled: false, platform: 'darwin', spawner }), null);
  const h = keepAwake({ enabled: true, platform: 'darwin', pid: 77, spawner });
  assert.ok(h);
  assert.deepEqual(spawned, [{ cmd: '/usr/bin/caffeinate', args: ['-i', '-s', '-w', '77'] }]);
  assert.deepEqual(caffeinateArgs(1), ['-i', '-s', '-w', '1']);
});

test('off a Mac, install refuses before writing anything, pointing to demo', async () => {
  const home = mkdtempSync(join(tmpdir(), 'imb-svc-'));
  const run = recordingRunner();
  await assert.rejects(installAgent({ ...spec(home), platform: 'linux' }, run), (e: Error & { advice?: string }) => {
    assert.match(e.message, /macOS LaunchAgent, and this machine runs linux: nothing was installed/);
    assert.match(e.advice ?? '', /imessage-bridge demo/);
    return true;
  });
  assert.equal(existsSync(plistPath(home, 'com.example.imb')), false);
  assert.equal(existsSync(join(home, 'Library')), false, 'not even the folders');
  assert.deepEqual(run.calls, [], 'launchctl never ran');
  assert.equal((await agentStatus(home, 'com.example.imb', 501, recordingRunner(() => ({ code: 113 })))).installed, false);
});

test('a failed bootstrap leaves no plist behind, so status does not claim it is installed', async () => {
  const home = mkdtempSync(join(tmpdir(), 'imb-svc-'));
  const run = recordingRunner((cmd, args) => (args[0] === 'bootstrap' ? { code: 5, stderr: 'Bootstrap failed: 5: Input/output error' } : {}));
  await assert.rejects(installAgent(spec(home), run), /launchctl bootstrap failed/);
  assert.equal(existsSync(plistPath(home, 'com.example.imb')), false);
  const status = await agentStatus(home, 'com.example.imb', 501, recordingRunner(() => ({ code: 113 })));
  assert.deepEqual([status.installed, status.loaded], [false, false]);
});

test('`service install` on this Linux machine exits non-zero, says why, and `service status` says installed: no (CLI)', async () => {
  if (process.platform === 'darwin') return; // the refusal is what is tested; on a Mac the unit tests above cover it
  const { spawnSync } = await import('node:child_process');
  const { writeFileSync } = await import('node:fs');
  const home = mkdtempSync(join(tmpdir(), 'imb-svc-cli-'));
  const config = join(home, 'config.yaml');
  writeFileSync(config, 'imessage:\n  poll_interval_ms: 1000\n');
  const env = { ...process.env, HOME: home };
  const bin = join(import.meta.dirname, '../../bin/imessage-bridge.js');
  const r = spawnSync(process.execPath, [bin, 'service', 'install', '--config', config], { env, encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /^error: the service is a macOS LaunchAgent, and this machine runs linux: nothing was installed/m);
  assert.match(r.stderr, /imessage-bridge demo/);
  assert.doesNotMatch(r.stdout, /installed/);
  assert.equal(existsSync(join(home, 'Library/LaunchAgents')), false);
  const noConfig = spawnSync(process.execPath, [bin, 'service', 'install', '--config', join(home, 'missing.yaml')], { env, encoding: 'utf8' });
  assert.match(noConfig.stderr, /this machine runs linux/, 'the platform is the first thing said, before a missing config');
  const s = spawnSync(process.execPath, [bin, 'service', 'status'], { env, encoding: 'utf8' });
  assert.match(s.stdout, /^installed: no/m);
});
