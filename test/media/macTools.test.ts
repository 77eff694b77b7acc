// The Mac's tool choices, on Linux: stand-ins for sips, afconvert and afinfo
// (shell scripts doing the same job with libheif and ffmpeg, and keeping the
// EXIF orientation tag the way ImageIO does) check the arguments the converter
// gives them and what it does with their output. Plus what `doctor` reports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaConverter, chooseTools, imageSize, mediaSettings, mediaToolCheck, mediaToolReport } from '../../src/media/index.ts';
import type { Attachment } from '../../src/imessage/model.ts';
import { cafOpus, colourAt, heic, probe } from './fixtures.ts';

let dir = '';
let macBin = '';

const SIPS = `#!/bin/sh
# sips -s format jpeg -s formatOptions Q IN --out OUT | sips --rotate D FILE | sips --flip horizontal|vertical FILE | sips -Z N -s format jpeg IN --out OUT
echo "$*" >> "$(dirname "$0")/sips.log"
case "$1" in
  -s) exec heif-convert -q 95 "$7" "$9" ;;
  --rotate) f="$3"; case "$2" in 90) vf=transpose=1;; 180) vf=hflip,vflip;; 270) vf=transpose=2;; esac ;;
  --flip) f="$3"; [ "$2" = horizontal ] && vf=hflip || vf=vflip ;;
  -Z) exec ffmpeg -v error -y -i "$6" -vf "scale=w='min($2,iw)':h='min($2,ih)':force_original_aspect_ratio=decrease" "$8" ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
ffmpeg -v error -y -noautorotate -i "$f" -vf "$vf" "$f.tmp.jpg" && mv "$f.tmp.jpg" "$f"
`;
const AFCONVERT = `#!/bin/sh
# afconvert -f m4af -d aac IN OUT
[ "$1 $2 $3 $4" = "-f m4af -d aac" ] || { echo "unexpected: $*" >&2; exit 2; }
exec ffmpeg -v error -y -i "$5" -c:a aac -f ipod "$6"
`;
const AFINFO = `#!/bin/sh
d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$1")
echo "File: $1"; echo "estimated duration: $d sec"
`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'media-mac-'));
  macBin = join(dir, 'bin');
  mkdirSync(macBin);
  for (const [name, body] of [['sips', SIPS], ['afconvert', AFCONVERT], ['afinfo', AFINFO]] as const) {
    writeFileSync(join(macBin, name), body);
    chmodSync(join(macBin, name), 0o755);
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

const att = (path: string, name: string): Attachment => ({ guid: name, path, mimeType: null, uti: null, transferName: name, size: statSync(path).size, isSticker: false, part: 0 });
/** A Mac without Homebrew: our stand-ins plus the system folders (ffmpeg is hidden from PATH, the stand-ins call it by name). */
const bareMac = () => ({ platform: 'darwin' as const, path: macBin });

test('a bare Mac uses sips for photos (turned by the EXIF tag it keeps) and afconvert for voice (AAC .m4a)', { timeout: 60_000 }, async () => {
  const tools = chooseTools(bareMac());
  assert.equal(tools.image.kind, 'sips');
  assert.equal(tools.audio.kind, 'afconvert');
  assert.equal(tools.video.kind, 'none');
  // The stand-ins run the real tools; give them the full PATH through the environment they inherit.
  const c = new MediaConverter({ ...mediaSettings({}), cacheDir: join(dir, 'cache'), thumbnailMaxSide: 20 }, tools);
  const photo = await c.prepare(att(heic(dir, 'IMG_1.HEIC', 80, 40, 6), 'IMG_1.HEIC'));
  assert.equal(photo.notice, null);
  assert.deepEqual([photo.mime, photo.w, photo.h], ['image/jpeg', 40, 80]);
  assert.equal(colourAt(photo.path, 20, 10), 'red', 'turned clockwise: the left half is on top');
  assert.deepEqual(imageSize(readFileSync(photo.thumbnail!.path)), { w: 10, h: 20 });
  assert.match(readFileSync(join(macBin, 'sips.log'), 'utf8'), /^-s format jpeg -s formatOptions 85 .*IMG_1\.HEIC --out .*\n--rotate 90 .*\n-Z 20 -s format jpeg /);

  const voice = await c.prepare(att(cafOpus(dir, 'Audio Message.caf', 2), 'Audio Message.caf'));
  assert.deepEqual([voice.kind, voice.mime, voice.name], ['voice', 'audio/mp4', 'Audio Message.m4a']);
  assert.equal(probe(voice.path).codec, 'aac');
  assert.ok(voice.durationMs! > 1800 && voice.durationMs! < 2300, String(voice.durationMs));
});

test('doctor reports the tool choices, and what to install when voice messages can\'t be converted', () => {
  const mac = mediaToolReport(bareMac());
  assert.match(mac[0]!, /HEIC photos → JPEG with sips/);
  assert.match(mac[1]!, /voice messages → AAC \(\.m4a\) with afconvert; install ffmpeg/);
  assert.equal(mediaToolCheck(bareMac()).ok, true);
  const here = mediaToolReport({ platform: 'linux', path: process.env.PATH ?? '' });
  assert.match(here[0]!, /with \S*heif-(convert|dec) and ffmpeg/);
  assert.match(here[1]!, /Ogg Opus with ffmpeg/);
  const bare = mediaToolCheck({ platform: 'linux', path: '' });
  assert.equal(bare.ok, false);
  assert.match(bare.detail, /bundled WebAssembly decoder/);
  assert.match(bare.fix!, /apt-get install ffmpeg/);
});
