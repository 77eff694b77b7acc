// What the connectors make of a prepared file: the Matrix event content and
// the Discord upload, for a photo, a voice message and a file that could not
// be made playable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaConverter, mediaSettings, imageSize, sniff } from '../../src/media/index.ts';
import { attachmentContent } from '../../src/connectors/matrix/media.ts';
import { loadForDiscord } from '../../src/connectors/discord/attachments.ts';
import type { Attachment } from '../../src/imessage/model.ts';
import { cafOpus, heic, movie } from './fixtures.ts';

let dir = '';
let media: MediaConverter;
const f: Record<string, string> = {};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'media-connectors-'));
  media = new MediaConverter({ ...mediaSettings({}), cacheDir: join(dir, 'cache'), thumbnailMaxSide: 32 });
  f.photo = heic(dir, 'IMG_0100.HEIC', 100, 60);
  f.voice = cafOpus(dir, 'Audio Message.caf', 1);
  f.movie = movie(dir, 'IMG_0101.MOV', 'mpeg4');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const att = (path: string | null, name: string, part = 0): Attachment => ({ guid: `g${part}`, path, mimeType: null, uti: null, transferName: name, size: path ? statSync(path).size : 4096, isSticker: false, part });

function fakeMatrix(): { upload(data: Buffer, type: string, name: string): Promise<string>; uploads: Array<{ data: Buffer; type: string; name: string }> } {
  const uploads: Array<{ data: Buffer; type: string; name: string }> = [];
  return { uploads, upload: async (data, type, name) => { uploads.push({ data, type, name }); return `mxc://hs/${uploads.length}`; } };
}

test('Matrix: a HEIC photo is an m.image JPEG with w, h and an uploaded thumbnail', { timeout: 60_000 }, async () => {
  const api = fakeMatrix();
  const up = await attachmentContent(api, att(f.photo!, 'IMG_0100.HEIC'), null, media);
  assert.equal(up.notice, null);
  assert.deepEqual(up.content, {
    msgtype: 'm.image', body: 'IMG_0100.jpg', filename: 'IMG_0100.jpg', url: 'mxc://hs/1',
    info: { mimetype: 'image/jpeg', size: api.uploads[0]!.data.length, w: 100, h: 60, thumbnail_url: 'mxc://hs/2', thumbnail_info: { mimetype: 'image/jpeg', size: api.uploads[1]!.data.length, w: 32, h: 19 } },
  });
  assert.deepEqual(api.uploads.map((u) => [u.type, sniff(u.data)]), [['image/jpeg', 'jpeg'], ['image/jpeg', 'jpeg']]);
  assert.deepEqual(imageSize(api.uploads[1]!.data), { w: 32, h: 19 });
});

test('Matrix: a voice message is m.audio Ogg Opus with the MSC3245 marker and MSC1767 duration and waveform', { timeout: 60_000 }, async () => {
  const api = fakeMatrix();
  const up = await attachmentContent(api, att(f.voice!, 'Audio Message.caf'), 'Alice: Audio Message.caf', media);
  const c = up.content!;
  assert.equal(c.msgtype, 'm.audio');
  assert.equal(c.body, 'Alice: Audio Message.caf');
  assert.equal(c.filename, 'Audio Message.ogg');
  assert.deepEqual(c['org.matrix.msc3245.voice'], {});
  const audio = c['org.matrix.msc1767.audio'] as { duration: number; waveform: number[] };
  assert.equal((c.info as { duration: number; mimetype: string }).duration, audio.duration);
  assert.equal((c.info as { mimetype: string }).mimetype, 'audio/ogg');
  assert.ok(audio.duration > 900 && audio.duration < 1100);
  assert.equal(audio.waveform.length, 64);
  assert.equal(api.uploads[0]!.data.toString('latin1', 0, 4), 'OggS');
});

test('Matrix: what can\'t be made playable goes as the original, with the notice for its own line', { timeout: 60_000 }, async () => {
  const up = await attachmentContent(fakeMatrix(), att(f.movie!, 'IMG_0101.MOV'), null, media);
  assert.equal(up.content!.msgtype, 'm.video');
  assert.equal((up.content!.info as { mimetype: string }).mimetype, 'video/quicktime');
  assert.match(up.notice!, /^IMG_0101\.MOV could not be converted \(its video is mpeg4/);
  const missing = await attachmentContent(fakeMatrix(), att(null, 'IMG_9.HEIC'), null, media);
  assert.deepEqual(missing, { content: null, missing: '📎 IMG_9.HEIC (not downloaded on the Mac yet)', notice: null });
});

test('Discord: a .jpg and a playable .ogg are uploaded; notices explain the rest', { timeout: 60_000 }, async () => {
  const loaded = await loadForDiscord([att(f.photo!, 'IMG_0100.HEIC', 1), att(f.voice!, 'Audio Message.caf', 2), att(f.movie!, 'IMG_0101.MOV', 3), att(null, 'later.pdf', 4)], 8 * 1024 * 1024, media);
  assert.deepEqual(loaded.files.map((x) => [x.name, x.part]), [['IMG_0100.jpg', 1], ['Audio Message.ogg', 2], ['IMG_0101.MOV', 3]]);
  assert.equal(sniff(loaded.files[0]!.data), 'jpeg');
  assert.equal(loaded.files[1]!.data.toString('latin1', 0, 4), 'OggS');
  assert.equal(loaded.notices.length, 2);
  assert.match(loaded.notices[0]!, /^📎 IMG_0101\.MOV could not be converted/);
  assert.match(loaded.notices[1]!, /later\.pdf \(not downloaded on the Mac yet\)/);
  const small = await loadForDiscord([att(f.photo!, 'IMG_0100.HEIC', 1)], 100, media);
  assert.deepEqual(small.files, []);
  assert.match(small.notices[0]!, /IMG_0100\.jpg .* is too large for Discord/);
});
