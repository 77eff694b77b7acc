import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseDocument, isMap, type YAMLMap } from 'yaml';
import { z } from 'zod';
import { ConfigError, defaultConfig, parseConfig } from '../../src/config/load.ts';
import { configSchema } from '../../src/config/schema.ts';

const problems = (text: string, env: NodeJS.ProcessEnv = {}): string[] => {
  try { parseConfig(text, 'c.yaml', env); } catch (e) { if (e instanceof ConfigError) return e.problems; throw e; }
  return [];
};

test('defaults point at the Mac locations', () => {
  const c = defaultConfig();
  assert.equal(c.imessage.chat_db, join(homedir(), 'Library/Messages/chat.db'));
  assert.equal(c.bridge.database, join(homedir(), 'Library/Application Support/imessage-bridge/bridge.db'));
  assert.equal(c.imessage.poll_interval_ms, 2000);
  assert.equal(c.api, undefined);
});

test('errors name the key, the line and what was expected', () => {
  const p = problems('imessage:\n  poll_interval_ms: "fast"\napi:\n  port: 99999\n  bogus: 1\n');
  assert.ok(p.some((x) => /^imessage\.poll_interval_ms \(line 2\): .*expected number/i.test(x)), p.join('\n'));
  assert.ok(p.some((x) => /^api\.port \(line 4\): .*65535/.test(x)), p.join('\n'));
  assert.ok(p.some((x) => /^api\.bogus \(line 5\): unknown key/.test(x)), p.join('\n'));
});

test('a missing required key is reported at its section line', () => {
  const p = problems('bridge:\n  log_level: info\ndiscord:\n  token: x\n');
  assert.ok(p.some((x) => /^discord\.guild_id \(line 3\)/.test(x)), p.join('\n'));
});

test('invalid YAML is one clear problem with its line', () => {
  const p = problems('imessage:\n  chat_db: [unclosed\n');
  assert.equal(p.length, 1);
  assert.match(p[0]!, /^line \d+: invalid YAML/);
});

test('${ENV_VAR} interpolation fills secrets, with defaults, and names unset variables', () => {
  const text = 'discord:\n  token: ${DISCORD_TOKEN}\n  guild_id: "${GUILD:-123456789012345678}"\n';
  const c = parseConfig(text, 'c.yaml', { DISCORD_TOKEN: 'sekrit' });
  assert.equal(c.discord?.token, 'sekrit');
  assert.equal(c.discord?.guild_id, '123456789012345678');
  const p = problems(text, {});
  assert.ok(p.some((x) => /^discord\.token \(line 2\): environment variable \$\{DISCORD_TOKEN\} is not set/.test(x)), p.join('\n'));
});

test('~ in paths expands to the home directory', () => {
  assert.equal(parseConfig('imessage:\n  chat_db: ~/x/chat.db\n').imessage.chat_db, join(homedir(), 'x/chat.db'));
});

// Walks the zod schema for every key path, so a key added to a section without
// being documented in config.example.yaml fails here.
function schemaKeys(schema: z.ZodType, prefix: string[] = []): string[][] {
  let s: z.ZodType = schema;
  for (;;) {
    const def = (s as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType } }).def;
    if (def.innerType) { s = def.innerType; continue; }
    // z.preprocess(fn, schema) is a pipe from a transform into the schema: walk the schema.
    if (def.type === 'pipe' && def.in) { s = (def.in as unknown as { def: { type: string } }).def.type === 'transform' && def.out ? def.out : def.in; continue; }
    break;
  }
  if (s instanceof z.ZodObject) {
    return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([k, v]) => [[...prefix, k], ...schemaKeys(v, [...prefix, k])]);
  }
  return [];
}

test('config.example.yaml is valid and documents every key, each with a comment', () => {
  const text = readFileSync('config.example.yaml', 'utf8');
  const env = { DISCORD_TOKEN: 't', DISCORD_GUILD_ID: '123456789012345678', MATRIX_ACCESS_TOKEN: 't' };
  parseConfig(text, 'config.example.yaml', env);
  const doc = parseDocument(text);
  // Optional keys shown commented out (`# api_url: …`) count as documented.
  const commentedOut = new Set([...text.matchAll(/^\s*# ([a-z_]+): /gm)].map((m) => m[1]));
  const missing: string[] = [];
  const uncommented: string[] = [];
  const keys = schemaKeys(configSchema);
  assert.ok(keys.length > 80, `the schema walk found only ${keys.length} keys`);
  for (const path of keys) {
    if (!doc.hasIn(path) && commentedOut.has(path.at(-1)!)) continue;
    if (!doc.hasIn(path)) {
      // Keys inside a record/list of objects (e.g. webhooks[].url) are documented on the list.
      missing.push(path.join('.'));
      continue;
    }
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    if (isMap(parent)) {
      const items = (parent as YAMLMap).items;
      const index = items.findIndex((p) => (p.key as { value?: unknown })?.value === path.at(-1));
      const key = items[index]?.key as { commentBefore?: string | null } | undefined;
      const value = items[index]?.value as { comment?: string | null; commentBefore?: string | null } | undefined;
      // yaml attaches a comment above a map's first key to the map itself.
      const firstKeyComment = index === 0 ? (parent as YAMLMap).commentBefore : null;
      if (!key?.commentBefore && !value?.comment && !value?.commentBefore && !firstKeyComment) uncommented.push(path.join('.'));
    }
  }
  assert.deepEqual(missing, [], `undocumented keys: ${missing.join(', ')}`);
  assert.deepEqual(uncommented, [], `keys without a comment: ${uncommented.join(', ')}`);
});

test('a copy of config.example.yaml holds no test values: real Discord, no appservice tokens in bot mode, no webhooks', () => {
  const text = readFileSync('config.example.yaml', 'utf8');
  const c = parseConfig(text, 'config.yaml', { DISCORD_TOKEN: 't', DISCORD_GUILD_ID: '123456789012345678', MATRIX_ACCESS_TOKEN: 't' });
  assert.equal(c.discord?.api_url, undefined, 'Discord is the real one, not a local test server');
  assert.deepEqual(c.discord?.mirrors, []);
  assert.deepEqual(c.discord?.allowed_roles, []);
  assert.equal(c.matrix?.mode, 'bot');
  assert.equal(c.matrix?.appservice.as_token, undefined);
  assert.equal(c.matrix?.appservice.hs_token, undefined);
  assert.deepEqual(c.api?.webhooks, []);
  assert.doesNotMatch(text, /^[^#\n]*(127\.0\.0\.1:3000|hooks\.example)/m, 'test endpoints only in comments');
  // Each secret is one clear problem when unset, naming its variable.
  const p = problemsIn(text);
  assert.deepEqual(p.map((x) => /\$\{(\w+)\}/.exec(x)?.[1]).sort(), ['DISCORD_GUILD_ID', 'DISCORD_TOKEN', 'MATRIX_ACCESS_TOKEN']);
});

const problemsIn = (text: string): string[] => {
  try { parseConfig(text, 'config.yaml', {}); } catch (e) { if (e instanceof ConfigError) return e.problems; throw e; }
  return [];
};

test('`config check` validates a file and exits non-zero with the problems', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imb-cfg-'));
  const good = join(dir, 'good.yaml');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(good, 'imessage:\n  poll_interval_ms: 1000\n');
  writeFileSync(bad, 'imessage:\n  poll_interval_ms: -5\n');
  const ok = spawnSync(process.execPath, ['bin/imessage-bridge.js', 'config', 'check', good], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /ok/);
  const ko = spawnSync(process.execPath, ['bin/imessage-bridge.js', 'config', 'check', bad], { encoding: 'utf8' });
  assert.notEqual(ko.status, 0);
  assert.match(ko.stderr, /imessage\.poll_interval_ms \(line 2\)/);
  const missing = spawnSync(process.execPath, ['bin/imessage-bridge.js', 'config', 'check', join(dir, 'nope.yaml')], { encoding: 'utf8' });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /file not found/);
});
