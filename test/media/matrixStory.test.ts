// Story: a contact sends an iPhone photo (HEIC) and a voice message (CAF) to
// the owner, who reads in Element. Against a real Synapse: the photo is an
// m.image JPEG with w/h and a thumbnail, the voice message an Ogg Opus m.audio
// with the MSC3245 voice marker and MSC1767 duration and waveform. The checks
// download the bytes from the homeserver, as Element would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorld, ALICE, type World } from '../matrix/liveWorld.ts';
import type { SeenEvent } from '../support/synapse/elementUser.ts';
import { imageSize, sniff } from '../../src/media/index.ts';
import { cafOpus, heic, probe } from './fixtures.ts';

const LONG = 60_000;
let w: World;
let work = '';

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'media-matrix-'));
  w = await startWorld('bot');
});
after(async () => {
  await w?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The bytes and Content-Type the homeserver serves for an mxc:// URI. */
async function fetchMedia(mxc: string): Promise<{ type: string | null; bytes: Buffer }> {
  const [server, id] = mxc.slice('mxc://'.length).split('/');
  const r = await fetch(`${w.owner.url}/_matrix/client/v1/media/download/${server}/${id}`, { headers: { authorization: `Bearer ${w.owner.token}` } });
  assert.equal(r.status, 200);
  return { type: r.headers.get('content-type'), bytes: Buffer.from(await r.arrayBuffer()) };
}

const isMessage = (e: SeenEvent): boolean => e.type === 'm.room.message';

test('a HEIC photo and a CAF voice message reach Element as a JPEG m.image and an Ogg Opus voice message', { timeout: 180_000 }, async () => {
  const chat = w.sim.addChat({ participants: [ALICE.handle] });
  const photo = readFileSync(heic(work, 'IMG_7001.HEIC', 160, 120, 6));
  w.sim.receive(chat, { from: ALICE.handle, text: 'look at this', attachments: [{ name: 'IMG_7001.HEIC', bytes: photo }] });
  const room = await w.owner.waitForInvite((_r, st) => st.some((e) => e.type === 'm.room.name' && e.content.name === ALICE.name), 'invite to the portal', LONG);
  await w.owner.join(room);

  const img = await w.owner.waitFor((e) => isMessage(e) && e.content.msgtype === 'm.image', 'the photo', LONG);
  const info = img.content.info as { mimetype: string; size: number; w: number; h: number; thumbnail_url: string; thumbnail_info: { mimetype: string; w: number; h: number; size: number } };
  assert.equal(img.content.filename, 'IMG_7001.jpg');
  assert.deepEqual([info.mimetype, info.w, info.h], ['image/jpeg', 120, 160], 'upright: EXIF orientation 6 turned it');
  const full = await fetchMedia(String(img.content.url));
  assert.equal(sniff(full.bytes), 'jpeg');
  assert.match(full.type ?? '', /^image\/jpeg/);
  assert.deepEqual(imageSize(full.bytes), { w: 120, h: 160 });
  assert.equal(info.size, full.bytes.length);
  const thumb = await fetchMedia(info.thumbnail_url);
  assert.equal(sniff(thumb.bytes), 'jpeg');
  assert.deepEqual(imageSize(thumb.bytes), { w: info.thumbnail_info.w, h: info.thumbnail_info.h });
  assert.equal(info.thumbnail_info.mimetype, 'image/jpeg');

  const voiceDir = join(work, 'voice');
  mkdirSync(voiceDir);
  w.sim.receive(chat, { from: ALICE.handle, attachments: [{ name: 'Audio Message.caf', bytes: readFileSync(cafOpus(voiceDir, 'Audio Message.caf', 2)) }] });
  const voice = await w.owner.waitFor((e) => isMessage(e) && e.content.msgtype === 'm.audio', 'the voice message', LONG);
  assert.deepEqual(voice.content['org.matrix.msc3245.voice'], {});
  const msc1767 = voice.content['org.matrix.msc1767.audio'] as { duration: number; waveform: number[] };
  assert.ok(msc1767.duration > 1800 && msc1767.duration < 2200, `duration ${msc1767.duration} ms`);
  assert.ok(msc1767.waveform.length > 0 && msc1767.waveform.every((v) => v >= 0 && v <= 1024));
  const vinfo = voice.content.info as { mimetype: string; duration: number };
  assert.equal(vinfo.mimetype, 'audio/ogg');
  assert.equal(vinfo.duration, msc1767.duration);
  const ogg = await fetchMedia(String(voice.content.url));
  assert.equal(ogg.bytes.toString('latin1', 0, 4), 'OggS');
  assert.match(ogg.type ?? '', /^audio\/ogg/);
  const file = join(voiceDir, 'arrived.ogg');
  writeFileSync(file, ogg.bytes);
  assert.equal(probe(file).codec, 'opus');
  assert.ok(!w.owner.events.some((e) => isMessage(e) && /\.(heic|caf)$/i.test(String(e.content.filename ?? ''))), 'no HEIC or CAF posted');
});
