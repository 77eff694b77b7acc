// Config defects found by probing: each fails without its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ConfigError, parseConfig } from '../../src/config/load.ts';
import { configSchema } from '../../src/config/schema.ts';
import { MAX_TIMER_MS } from '../../src/config/duration.ts';

const problems = (text: string, env: NodeJS.ProcessEnv = {}): string[] => {
  try { parseConfig(text, 'c.yaml', env); } catch (e) { if (e instanceof ConfigError) return e.problems; throw e; }
  return [];
};

const MATRIX = 'matrix:\n  homeserver_url: https://hs.example\n  homeserver_name: hs.example\n  owners: ["@me:hs.example"]\n';

test('unknown keys inside imessage.send, matrix.appservice and api.webhooks[] items are errors with their line', () => {
  const p = problems(`imessage:\n  send:\n    timout_ms: 5000\n${MATRIX}  appservice:\n    as_tokn: x\napi:\n  webhooks:\n    - url: https://h.example/x\n      secret: "0123456789abcdef"\n      timout_ms: 1\n`);
  assert.ok(p.some((x) => /^imessage\.send\.timout_ms \(line 3\): unknown key/.test(x)), p.join('\n'));
  assert.ok(p.some((x) => /^matrix\.appservice\.as_tokn \(line 9\): unknown key/.test(x)), p.join('\n'));
  assert.ok(p.some((x) => /^api\.webhooks\.0\.timout_ms \(line 14\): unknown key/.test(x)), p.join('\n'));
});

test('a missing ${ENV} inside a list item reports the item\'s own line', () => {
  const text = 'api:\n  send_allowlist:\n    - "+15551230000"\n    - ${SECOND}\n  webhooks:\n    - url: https://a.example/x\n      secret: "0123456789abcdef"\n    - url: https://b.example/x\n      secret: ${HOOK_SECRET}\n';
  const p = problems(text);
  assert.ok(p.some((x) => /^api\.send_allowlist\.1 \(line 4\): environment variable \$\{SECOND\} is not set/.test(x)), p.join('\n'));
  assert.ok(p.some((x) => /^api\.webhooks\.1\.secret \(line 9\): environment variable \$\{HOOK_SECRET\} is not set/.test(x)), p.join('\n'));
});

test('every duration key refuses more than 2^31-1 ms, which Node would fire at once', () => {
  const keys: string[][] = [];
  const walk = (s: z.ZodType, path: string[]): void => {
    const def = (s as unknown as { def: { type: string; innerType?: z.ZodType; element?: z.ZodType; out?: z.ZodType } }).def;
    if (def.innerType) return walk(def.innerType, path);
    if (def.type === 'pipe' && def.out) return walk(def.out, path); // the root: bridge.name fills names in first
    if (def.type === 'array' && def.element) return walk(def.element, [...path, '0']);
    if (s instanceof z.ZodObject) for (const [k, v] of Object.entries(s.shape as Record<string, z.ZodType>)) walk(v, [...path, k]);
    else if (/_ms$/.test(path.at(-1) ?? '')) keys.push(path);
  };
  walk(configSchema, []);
  assert.ok(keys.length >= 10, `found ${keys.length} duration keys`);
  assert.ok(keys.some((k) => k.join('.') === 'imessage.send.timeout_ms'));
  for (const key of keys) {
    if (key.includes('0')) continue;
    const yaml = key.map((k, i) => `${'  '.repeat(i)}${k}:`).join('\n') + ` ${MAX_TIMER_MS + 1}\n`;
    const base = key[0] === 'matrix' ? MATRIX.replace('matrix:\n', '') : '';
    const text = key[0] === 'matrix' ? yaml.replace('matrix:\n', `matrix:\n${base}`) : yaml;
    const p = problems(text);
    assert.ok(p.some((x) => x.startsWith(`${key.join('.')} (line `) && /at most \d+ ms/.test(x)), `${key.join('.')}: ${p.join('\n')}`);
  }
  assert.equal(parseConfig(`imessage:\n  rescan_window_ms: ${MAX_TIMER_MS}\n`).imessage.rescan_window_ms, MAX_TIMER_MS);
  assert.match(problems('imessage:\n  send:\n    timeout_ms: 2147483648\n')[0]!, /about 24\.8 days/);
});

test('${PORT:-8788} gives a number where a number is wanted, and booleans likewise', () => {
  const text = 'api:\n  port: ${PORT:-8788}\n  web_client: ${WEB:-false}\n  allow_remote: "${REMOTE}"\nbridge:\n  keep_awake: ${AWAKE}\n';
  const c = parseConfig(text, 'c.yaml', { REMOTE: 'FALSE', AWAKE: 'true' });
  assert.equal(c.api?.port, 8788);
  assert.equal(c.api?.web_client, false);
  assert.equal(c.api?.allow_remote, false);
  assert.equal(c.bridge.keep_awake, true);
  assert.equal(parseConfig(text, 'c.yaml', { PORT: '9000', REMOTE: 'true', AWAKE: 'false' }).api?.port, 9000);
  // Strings stay strings: a numeric-looking token or id is not turned into a number.
  const d = parseConfig('discord:\n  token: ${T}\n  guild_id: "${G}"\n', 'c.yaml', { T: '12345', G: '123456789012345678' });
  assert.equal(d.discord?.token, '12345');
  assert.equal(d.discord?.guild_id, '123456789012345678');
  // A non-number is still an error at its line; a literal string is never coerced.
  assert.ok(problems('api:\n  port: ${PORT:-eighty}\n').some((x) => /^api\.port \(line 2\): .*expected number/.test(x)));
  assert.ok(problems('api:\n  port: "8788"\n').some((x) => /^api\.port \(line 2\): .*expected number/.test(x)));
});

test('a section whose keys are all commented out is an empty section', () => {
  const c = parseConfig('imessage:\n  # chat_db: /x\nbridge:\napi:\n  # port: 1\n');
  assert.equal(c.imessage.poll_interval_ms, 2000);
  assert.equal(c.api?.port, 8787);
  const nested = parseConfig('imessage:\n  send:\n    # timeout_ms: 5000\n');
  assert.equal(nested.imessage.send.timeout_ms, 30_000);
  assert.deepEqual(parseConfig('# nothing yet\n').imessage.send.allowed_file_dirs, []);
  const p = problems('discord:\n  # token: x\n');
  assert.ok(p.some((x) => /^discord\.token \(line 1\): required key is missing/.test(x)), p.join('\n'));
});

test('a YAML bomb is refused with a clear error naming the file', () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const bomb = `${levels.join('\n')}\nimessage:\n  chat_db: *i\n`;
  const started = Date.now();
  assert.throws(() => parseConfig(bomb, 'bomb.yaml'), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /^bomb\.yaml: too many YAML aliases/);
    assert.match(e.message, /billion laughs/);
    return true;
  });
  assert.ok(Date.now() - started < 5000, 'refused without expanding it');
});
