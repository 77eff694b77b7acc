// bridge.media keys: defaults (conversion on), limits, and clear rejections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mediaSection } from '../../src/config/sections/media.ts';
import { configureMedia, mediaConverter, mediaSettings } from '../../src/media/index.ts';

test('conversion is on by default; the cache sits next to the bridge database', () => {
  const s = mediaSettings({}, '/data/bridge/bridge.db');
  assert.deepEqual(s, {
    convert: true, timeoutMs: 60_000, maxBytes: 100 * 1024 * 1024, cacheDir: join('/data/bridge', 'media-cache'),
    cacheMaxBytes: 1024 ** 3, cacheMaxAgeMs: 30 * 86_400_000, thumbnailMaxSide: 800,
  });
  assert.equal(mediaSettings({ cache_dir: '/var/cache/imb', convert: false }).cacheDir, '/var/cache/imb');
  assert.equal(mediaSettings({ convert: false }).convert, false);
});

test('bad values and unknown keys are refused with the key named', () => {
  for (const bad of [{ convert: 'yes' }, { timeout_ms: 10 }, { max_bytes: 0 }, { thumbnail_size: 5000 }, { convrt: true }]) {
    const r = mediaSection.safeParse(bad);
    assert.equal(r.success, false, JSON.stringify(bad));
    const key = Object.keys(bad)[0]!;
    assert.ok(r.error!.issues.some((i) => i.path.includes(key) || ('keys' in i && (i.keys as string[]).includes(key))), JSON.stringify(r.error!.issues));
  }
});

test('configureMedia replaces the shared converter the connectors and the API use', () => {
  const c = configureMedia({ convert: false, timeout_ms: 5000 }, '/tmp/x/bridge.db');
  assert.equal(mediaConverter(), c);
  assert.deepEqual([c.settings.convert, c.settings.timeoutMs, c.settings.cacheDir], [false, 5000, '/tmp/x/media-cache']);
  configureMedia(undefined);
  assert.equal(mediaConverter().settings.convert, true);
});

test('bridge.media is a section of the config file: defaults when left out, keys checked with their line', async () => {
  const { parseConfig, ConfigError } = await import('../../src/config/load.ts');
  assert.deepEqual(parseConfig('bridge:\n  log_level: info\n').bridge.media, {
    convert: true, timeout_ms: 60_000, max_bytes: 100 * 1024 * 1024, cache_max_bytes: 1024 ** 3, cache_max_age_days: 30, thumbnail_size: 800,
  });
  const c = parseConfig('bridge:\n  media:\n    convert: false\n    cache_dir: ~/imb-cache\n');
  assert.equal(c.bridge.media.convert, false);
  assert.match(c.bridge.media.cache_dir!, /^\/.*\/imb-cache$/, '~/ is expanded like every path');
  try {
    parseConfig('bridge:\n  media:\n    convrt: false\n', 'c.yaml');
    assert.fail('an unknown key is refused');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.match(e.problems.join('\n'), /^bridge\.media\.convrt \(line 3\): unknown key/m);
  }
});
