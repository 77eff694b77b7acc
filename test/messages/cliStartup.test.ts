// test-tier: story
// The CLI loads only the command being run (src/cli/commands/index.ts is a
// lazy registry): `messages` over a large chat.db must not pay for the modules
// of `run`, `init` or `watch`. Checked from outside, as a user runs it, by
// recording every module the process resolves (support/traceImports.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { commands } from '../../src/cli/commands/index.ts';
import { FixtureDb, tempDir } from '../imessage/fixture.ts';
import { writeScenario } from '../imessage/scenario.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');
const TRACE = join(import.meta.dirname, 'support/traceImports.mjs');

/** Runs the CLI; returns its output and the packages (node_modules/<name>) it loaded. */
function traced(t: Parameters<typeof tempDir>[0], args: string[]): { code: number | null; stdout: string; stderr: string; packages: Set<string> } {
  const file = join(tempDir(t), 'imports.txt');
  const r = spawnSync(process.execPath, ['--import', TRACE, BIN, ...args], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, LOG_LEVEL: 'warn', TRACE_IMPORTS_FILE: file },
  });
  const urls = readFileSync(file, 'utf8').split('\n');
  const packages = new Set(urls.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((p) => p !== undefined));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, packages };
}

test('each registry entry registers exactly the command it is named after', async () => {
  const names = commands.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, 'names are unique');
  for (const entry of commands) {
    const program = new Command();
    (await entry.load())(program);
    assert.deepEqual(program.commands.map((c) => c.name()), [entry.name]);
  }
});

test('messages loads only what reading chat.db needs; help still lists every command', (t) => {
  const fx = new FixtureDb(join(tempDir(t), 'chat.db'), 'sequoia');
  writeScenario(fx);
  fx.close();

  const r = traced(t, ['messages', '--db', fx.path, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.trim().split('\n').length > 3, 'printed the messages');
  assert.ok(r.packages.has('better-sqlite3'), `the trace saw the reader's packages: ${[...r.packages].join(', ')}`);
  for (const heavy of ['fastify', 'discord.js', 'matrix-bot-sdk', 'libphonenumber-js', '@inquirer/prompts', 'chokidar']) {
    assert.ok(!r.packages.has(heavy), `messages loaded ${heavy}`);
  }

  const help = traced(t, ['--help']);
  assert.equal(help.code, 0, help.stderr);
  for (const { name } of commands) assert.match(help.stdout, new RegExp(`^  ${name}\\b`, 'm'), name);
  const unknown = traced(t, ['mesages']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /unknown command 'mesages'.*\n.*messages/, 'commander still suggests the near name');
});
