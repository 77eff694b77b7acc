// The converter on real files made at test time: every tool path this machine
// can run (libheif + ffmpeg, and the npm fallback with nothing on PATH), the
// deadline, the size limit, corrupt input and the cache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaConverter, mediaSettings, sniff, imageSize, cafCodec, isAudioMessage, chooseTools, type ToolChoice } from '../../src/media/index.ts';
import { exifOrientation } from '../../src/media/orientation.ts';
import type { Attachment } from '../../src/imessage/model.ts';
import { cafAac, cafOpus, colourAt, corruptHeic, heic, movie, probe } from './fixtures.ts';

let dir = '';
const files: Record<string, string> = {};
const realTools = chooseTools();
const npmOnly = chooseTools({ platform: 'linux', path: '' });

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'media-convert-'));
  files.photo = heic(dir, 'IMG_0001.HEIC', 64, 32);
  files.rotated = heic(dir, 'IMG_0002.HEIC', 64, 32, 6);
  files.rotatedLeft = heic(dir, 'IMG_0003.HEIC', 64, 32, 8);
  files.corrupt = corruptHeic(dir, 'IMG_0004.HEIC');
  files.voice = cafOpus(dir, 'Audio Message.caf', 2);
  mkdirSync(join(dir, 'aac'));
  files.voiceAac = cafAac(join(dir, 'aac'), 'Audio Message.caf', 2);
  files.song = cafOpus(dir, 'Ringtone.caf', 1);
  files.movH264 = movie(dir, 'IMG_0005.MOV', 'h264');
  files.movOther = movie(dir, 'IMG_0006.MOV', 'mpeg4');
});

after(() => rmSync(dir, { recursive: true, force: true }));

const att = (path: string, name = path.split('/').pop()!, mimeType: string | null = null): Attachment => ({ guid: `g-${name}`, path, mimeType, uti: null, transferName: name, size: statSync(path).size, isSticker: false, part: 0 });

function converter(tools: ToolChoice, over: Partial<ReturnType<typeof mediaSettings>> = {}): MediaConverter {
  return new MediaConverter({ ...mediaSettings({}), cacheDir: mkdtempSync(join(dir, 'cache-')), thumbnailMaxSide: 16, ...over }, tools);
}

test('magic numbers, not names, say what a file is; CAF says which codec it holds', () => {
  assert.equal(sniff(readFileSync(files.photo!)), 'heic');
  assert.equal(sniff(readFileSync(files.voice!)), 'caf');
  assert.equal(sniff(readFileSync(files.movH264!)), 'mov');
  assert.equal(cafCodec(readFileSync(files.voice!)), 'opus');
  assert.equal(cafCodec(readFileSync(files.voiceAac!)), 'aac');
  assert.equal(cafCodec(readFileSync(files.photo!)), null);
  assert.equal(isAudioMessage({ transferName: 'Audio Message.caf', path: null, uti: null }), true);
  assert.equal(isAudioMessage({ transferName: 'Ringtone.caf', path: null, uti: null }), false);
  assert.equal(isAudioMessage({ transferName: 'Ringtone.caf', path: null, uti: null }, true), true, 'is_audio_message wins when known');
  assert.equal(isAudioMessage({ transferName: 'Audio Message.caf', path: null, uti: null }, false), false);
});

for (const [label, tools] of [['libheif + ffmpeg', realTools], ['npm fallback (nothing on PATH)', npmOnly]] as const) {
  test(`HEIC → upright JPEG with size and thumbnail: ${label}`, { timeout: 60_000 }, async () => {
    if (label.startsWith('libheif')) assert.equal(tools.image.kind, 'libheif+ffmpeg', 'scripts/ci/media.sh installs ffmpeg and libheif-examples');
    else assert.equal(tools.image.kind, 'npm');
    const c = converter(tools);
    const plain = await c.prepare(att(files.photo!, 'IMG_0001.HEIC', 'image/heic'));
    assert.equal(plain.notice, null);
    assert.deepEqual([plain.converted, plain.mime, plain.name, plain.w, plain.h], [true, 'image/jpeg', 'IMG_0001.jpg', 64, 32]);
    const bytes = readFileSync(plain.path);
    assert.equal(sniff(bytes), 'jpeg');
    assert.deepEqual(imageSize(bytes), { w: 64, h: 32 });
    assert.equal(colourAt(plain.path, 8, 16), 'red');
    assert.equal(colourAt(plain.path, 56, 16), 'blue');
    assert.deepEqual(imageSize(readFileSync(plain.thumbnail!.path)), { w: 16, h: 8 });
    assert.deepEqual([plain.thumbnail!.w, plain.thumbnail!.h], [16, 8]);

    // EXIF 6 = turn 90° clockwise: the left (red) half ends up on top.
    const cw = await c.prepare(att(files.rotated!));
    assert.deepEqual(imageSize(readFileSync(cw.path)), { w: 32, h: 64 });
    assert.deepEqual([cw.w, cw.h], [32, 64]);
    assert.equal(exifOrientation(readFileSync(cw.path)), 1, 'no orientation tag left to turn it twice');
    assert.equal(colourAt(cw.path, 16, 8), 'red');
    assert.equal(colourAt(cw.path, 16, 56), 'blue');
    const ccw = await c.prepare(att(files.rotatedLeft!));
    assert.equal(colourAt(ccw.path, 16, 8), 'blue');
    assert.equal(colourAt(ccw.path, 16, 56), 'red');
  });

  test(`a corrupt HEIC falls back to the original with a one-line notice: ${label}`, { timeout: 60_000 }, async () => {
    const p = await converter(tools).prepare(att(files.corrupt!, 'IMG_0004.HEIC', 'image/heic'));
    assert.deepEqual([p.converted, p.path, p.mime, p.name], [false, files.corrupt, 'image/heic', 'IMG_0004.HEIC']);
    assert.match(p.notice!, /^IMG_0004\.HEIC could not be converted \(.+\); it is sent as the original file\.$/);
    assert.doesNotMatch(p.notice!, /\n/);
  });
}

for (const [label, file] of [['Opus in CAF', 'voice'], ['AAC in CAF', 'voiceAac']] as const) {
  test(`a voice message (${label}) becomes Ogg Opus with duration and waveform`, { timeout: 60_000 }, async () => {
    const p = await converter(realTools).prepare(att(files[file]!, 'Audio Message.caf', 'audio/x-caf'));
    assert.equal(p.notice, null);
    assert.deepEqual([p.kind, p.mime, p.name, p.converted], ['voice', 'audio/ogg', 'Audio Message.ogg', true]);
    assert.equal(readFileSync(p.path).toString('latin1', 0, 4), 'OggS');
    const facts = probe(p.path);
    assert.equal(facts.codec, 'opus');
    assert.ok(Math.abs(facts.duration - 2) < 0.2, `duration ${facts.duration}`);
    assert.ok(p.durationMs! > 1800 && p.durationMs! < 2200, `durationMs ${p.durationMs}`);
    assert.equal(p.waveform!.length, 64);
    assert.ok(p.waveform!.every((v) => Number.isInteger(v) && v >= 0 && v <= 1024));
    assert.equal(Math.max(...p.waveform!), 1024);
  });
}

test('other CAF audio is converted too, but is not a voice message', async () => {
  const p = await converter(realTools).prepare(att(files.song!));
  assert.deepEqual([p.kind, p.mime, p.name], ['audio', 'audio/ogg', 'Ringtone.ogg']);
});

test('without any audio tool, CAF is sent as it is, with advice', async () => {
  const p = await converter(npmOnly).prepare(att(files.voice!, 'Audio Message.caf', 'audio/x-caf'));
  assert.deepEqual([p.converted, p.path, p.mime], [false, files.voice, 'audio/x-caf']);
  assert.match(p.notice!, /could not be converted \(no audio converter is installed \(install ffmpeg\); the file holds opus\)/);
});

test('an H.264 QuickTime video is remuxed to MP4; other codecs go as files with a note', { timeout: 60_000 }, async () => {
  const c = converter(realTools);
  const mp4 = await c.prepare(att(files.movH264!, 'IMG_0005.MOV', 'video/quicktime'));
  assert.deepEqual([mp4.kind, mp4.mime, mp4.name, mp4.w, mp4.h], ['video', 'video/mp4', 'IMG_0005.mp4', 160, 120]);
  assert.equal(sniff(readFileSync(mp4.path)), 'mp4');
  assert.equal(probe(mp4.path).codec, 'h264');
  const other = await c.prepare(att(files.movOther!, 'IMG_0006.MOV', 'video/quicktime'));
  assert.equal(other.converted, false);
  assert.match(other.notice!, /IMG_0006\.MOV could not be converted \(its video is mpeg4, which browsers can't play everywhere\)/);
});

test('a tool that hangs is killed at the deadline, and the original is sent', { timeout: 20_000 }, async () => {
  const slow = join(dir, 'slow-ffmpeg');
  writeFileSync(slow, '#!/bin/sh\nsleep 30\n');
  chmodSync(slow, 0o755);
  const c = converter({ ...realTools, audio: { kind: 'ffmpeg', ffmpeg: slow } }, { timeoutMs: 300 });
  const started = Date.now();
  const p = await c.prepare(att(files.voice!));
  assert.ok(Date.now() - started < 5000, 'did not wait for the tool');
  assert.equal(p.converted, false);
  assert.match(p.notice!, /slow-ffmpeg took longer than 0\.3 s/);
});

test('files over the size limit are not converted', async () => {
  const p = await converter(realTools, { maxBytes: 100 }).prepare(att(files.photo!));
  assert.equal(p.converted, false);
  assert.match(p.notice!, /IMG_0001\.HEIC \(0\.0 MB\) was not converted: it is over the 0\.0 MB conversion limit/);
});

test('conversion off: every file goes as it is, without a note', async () => {
  const p = await converter(realTools, { convert: false }).prepare(att(files.photo!));
  assert.deepEqual([p.converted, p.path, p.notice], [false, files.photo, null]);
});

test('one conversion per file: concurrent and later requests share it; the sweep clears the cache', async () => {
  const c = converter(realTools);
  const [a, b] = await Promise.all([c.prepare(att(files.photo!)), c.prepare(att(files.photo!))]);
  assert.equal(a.path, b.path);
  const mtime = statSync(a.path).mtimeMs;
  const again = await c.prepare(att(files.photo!));
  assert.equal(again.path, a.path);
  assert.equal(statSync(again.path).mtimeMs, mtime, 'not converted again');
  const other = converter(realTools, { cacheDir: c.settings.cacheDir, cacheMaxBytes: 0 });
  assert.equal(await other.sweep(), 1);
  assert.throws(() => statSync(a.path));
});
