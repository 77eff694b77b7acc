// The guides stay true to the code: every CLI command, slash subcommand and
// Matrix command is in docs/commands.md, and docs/discord.md's invite URL
// carries exactly the permissions its table lists, including those doctor
// checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { commands } from '../../src/cli/commands/index.ts';
import { COMMAND } from '../../src/connectors/discord/commands.ts';
import { HELP } from '../../src/connectors/matrix/commands.ts';

const doc = (name: string): string => readFileSync(`docs/${name}`, 'utf8');

test('docs/commands.md names every CLI command and subcommand, every /imessage subcommand and every !imessage command', () => {
  const text = doc('commands.md');
  const program = new Command('imessage-bridge');
  for (const register of commands) register(program);
  const missing: string[] = [];
  for (const c of program.commands) {
    const subs = c.commands.filter((s) => s.name() !== 'help');
    if (subs.length === 0 && !text.includes(`| \`${c.name()}`)) missing.push(c.name());
    for (const s of subs) if (!text.includes(`| \`${c.name()} ${s.name()}`)) missing.push(`${c.name()} ${s.name()}`);
  }
  for (const o of COMMAND.options) if (!text.includes(`/imessage ${o.name}`)) missing.push(`/imessage ${o.name}`);
  for (const line of HELP.split('\n').slice(1)) {
    const cmd = /^!imessage (\w+)/.exec(line)?.[1];
    if (cmd && !text.includes(`!imessage ${cmd}`)) missing.push(`!imessage ${cmd}`);
  }
  assert.deepEqual(missing, []);
});

test('docs/discord.md: the invite URL\'s permissions integer is the sum of its table, with the bits doctor checks', () => {
  const text = doc('discord.md');
  const rows = [...text.matchAll(/^\| ([A-Z][A-Za-z ]+) \| (\d+) \|/gm)].map((m) => ({ name: m[1]!, value: BigInt(m[2]!) }));
  assert.ok(rows.length >= 8, `${rows.length} permission rows`);
  for (const r of rows) assert.equal(r.value & (r.value - 1n), 0n, `${r.name} is one bit`);
  const sum = rows.reduce((a, r) => a | r.value, 0n);
  const url = /permissions=(\d+)/.exec(text);
  assert.equal(url?.[1], String(sum));
  assert.match(text, new RegExp(`\\*\\*${sum}\\*\\*`));
  for (const bit of [1n << 4n, 1n << 6n, 1n << 29n]) assert.ok((sum & bit) !== 0n, `doctor's bit ${bit} is granted`);
  assert.match(text, /MESSAGE CONTENT INTENT/);
  assert.match(text, /scope=bot%20applications\.commands/);
});
