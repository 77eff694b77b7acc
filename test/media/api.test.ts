// The API serves what browsers can show: a HEIC photo as JPEG and a voice
// message as Ogg Opus by default, the file as Messages stored it on request.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, startHarness, type Harness } from '../api/support/harness.ts';
import { imageSize, sniff } from '../../src/media/index.ts';
import { cafOpus, heic } from './fixtures.ts';

let h: Harness;
let work = '';
const ids = { photo: '', voice: '', pdf: '' };
let heicBytes: Buffer;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'media-api-'));
  heicBytes = readFileSync(heic(work, 'IMG_0042.HEIC', 96, 48, 6));
  const voice = readFileSync(cafOpus(work, 'Audio Message.caf', 1));
  h = await startHarness({}, (f) => {
    const chat = f.addChat(['+15550000001']);
    const [m1, m2, m3] = [f.addMessage(chat, ''), f.addMessage(chat, ''), f.addMessage(chat, 'the label')];
    f.writeAttachmentFile('aa/IMG_0042.HEIC', heicBytes);
    f.addAttachment(m1, '~/Library/Messages/Attachments/aa/IMG_0042.HEIC', 'image/heic', 'IMG_0042.HEIC');
    f.writeAttachmentFile('bb/Audio Message.caf', voice);
    f.addAttachment(m2, '~/Library/Messages/Attachments/bb/Audio Message.caf', 'audio/x-caf', 'Audio Message.caf');
    f.writeAttachmentFile('cc/label.pdf', '%PDF-1.4 label');
    f.addAttachment(m3, '~/Library/Messages/Attachments/cc/label.pdf', 'application/pdf', 'label.pdf');
    [ids.photo, ids.voice, ids.pdf] = [m1.guid, m2.guid, m3.guid];
  });
});

after(async () => {
  await h?.close();
  rmSync(work, { recursive: true, force: true });
});

const get = async (path: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Buffer }> => {
  const res = await fetch(h.url + path, { headers: bearer(h.tokens.read) });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
};

test('a HEIC photo is served as an upright JPEG; ?original=1 gives the HEIC', { timeout: 60_000 }, async () => {
  const jpeg = await get(`/v1/attachments/${ids.photo}/0`);
  assert.equal(jpeg.status, 200);
  assert.equal(jpeg.type, 'image/jpeg');
  assert.equal(sniff(jpeg.bytes), 'jpeg');
  assert.deepEqual(imageSize(jpeg.bytes), { w: 48, h: 96 });
  assert.match(jpeg.disposition!, /^inline; filename="IMG_0042\.jpg"/);
  const original = await get(`/v1/attachments/${ids.photo}/0?original=1`);
  assert.equal(original.type, 'image/heic');
  assert.deepEqual(original.bytes, heicBytes);
  assert.match(original.disposition!, /filename="IMG_0042\.HEIC"/);
});

test('a voice message is served as Ogg Opus; other files as they are', { timeout: 60_000 }, async () => {
  const ogg = await get(`/v1/attachments/${ids.voice}/0`);
  assert.equal(ogg.type, 'audio/ogg');
  assert.equal(ogg.bytes.toString('latin1', 0, 4), 'OggS');
  assert.equal((await get(`/v1/attachments/${ids.voice}/0?original=true`)).bytes.toString('latin1', 0, 4), 'caff');
  const pdf = await get(`/v1/attachments/${ids.pdf}/0`);
  assert.equal(pdf.bytes.toString(), '%PDF-1.4 label');
  assert.equal(pdf.type, 'application/octet-stream', 'not a type browsers render inline');
});

test('a bad ?original value is a clear 400', async () => {
  const res = await fetch(`${h.url}/v1/attachments/${ids.photo}/0?original=maybe`, { headers: bearer(h.tokens.read) });
  assert.equal(res.status, 400);
  const body = await res.json() as { error: { message: string } };
  assert.ok(body.error.message.length > 10, body.error.message);
});
