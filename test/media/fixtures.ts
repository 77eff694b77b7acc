// Real media made at test time with Debian's tools (scripts/ci/media.sh
// installs them): HEIC from heif-enc, CAF from ffmpeg. ffmpeg can't write AAC
// into CAF, so that variant is assembled here from ffmpeg's ADTS output, the
// way afconvert lays it out (desc, kuki with an esds, pakt, data).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpegJs from 'jpeg-js';

const ff = (args: string[]): void => { execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...args], { stdio: 'pipe' }); };

/**
 * A JPEG whose left half is red and right half blue (so a test can tell which
 * way it was turned), optionally with an EXIF Orientation tag written by hand.
 */
export function jpeg(dir: string, name: string, w: number, h: number, orientation?: number): string {
  const path = join(dir, name);
  const half = `${w / 2}x${h}`;
  ff(['-f', 'lavfi', '-i', `color=c=red:s=${half}`, '-f', 'lavfi', '-i', `color=c=blue:s=${half}`, '-filter_complex', '[0:v][1:v]hstack', '-frames:v', '1', '-q:v', '2', path]);
  if (orientation) writeFileSync(path, withExifOrientation(readFileSync(path), orientation));
  return path;
}

export function withExifOrientation(j: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const seg = Buffer.from([0xff, 0xe1, 0, 0]);
  seg.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([j.subarray(0, 2), seg, payload, j.subarray(2)]);
}

/** The colour at (x, y) of a JPEG: 'red', 'blue' or 'other'. */
export function colourAt(path: string, x: number, y: number): 'red' | 'blue' | 'other' {
  const img = jpegJs.decode(readFileSync(path), { useTArray: true });
  const i = (y * img.width + x) * 4;
  const [r, g, b] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
  if (r > 180 && g < 80 && b < 80) return 'red';
  if (b > 180 && r < 80 && g < 80) return 'blue';
  return 'other';
}

/** A HEIC made by heif-enc from a test pattern (heif-enc keeps the JPEG's EXIF, orientation included). */
export function heic(dir: string, name: string, w: number, h: number, orientation?: number): string {
  const src = jpeg(dir, `${name}.src.jpg`, w, h, orientation);
  const path = join(dir, name);
  execFileSync('heif-enc', ['-q', '60', src, '-o', path], { stdio: 'pipe' });
  return path;
}

/** A real HEIC with its coded image data scrambled: the container parses, decoding fails. */
export function corruptHeic(dir: string, name: string): string {
  const good = readFileSync(heic(dir, `${name}.good.heic`, 64, 48));
  const bad = Buffer.from(good);
  const mdat = bad.indexOf('mdat', 0, 'latin1');
  for (let i = mdat + 8; i < bad.length; i++) bad[i] = (i * 131) & 0xff;
  const path = join(dir, name);
  writeFileSync(path, bad);
  return path;
}

/** A sine-wave voice message, Opus in CAF, as iOS 17+ records them. */
export function cafOpus(dir: string, name: string, seconds: number): string {
  const path = join(dir, name);
  ff(['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-ac', '1', '-c:a', 'libopus', '-b:a', '24k', '-f', 'caf', path]);
  return path;
}

/** AAC-LC in CAF, as older iOS versions and afconvert write them. */
export function cafAac(dir: string, name: string, seconds: number): string {
  const adts = join(dir, `${name}.aac`);
  ff(['-f', 'lavfi', '-i', `sine=frequency=330:duration=${seconds}`, '-ac', '1', '-ar', '44100', '-c:a', 'aac', '-b:a', '64k', '-f', 'adts', adts]);
  const frames = adtsFrames(readFileSync(adts));
  const path = join(dir, name);
  writeFileSync(path, cafWithAac(frames, 44100, 1));
  return path;
}

function adtsFrames(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  while (i + 7 <= b.length) {
    if (b[i] !== 0xff || ((b[i + 1] as number) & 0xf0) !== 0xf0) throw new Error(`not an ADTS frame at ${i}`);
    const protectionAbsent = (b[i + 1] as number) & 1;
    const len = (((b[i + 3] as number) & 3) << 11) | ((b[i + 4] as number) << 3) | ((b[i + 5] as number) >> 5);
    const headerLen = protectionAbsent ? 7 : 9;
    out.push(b.subarray(i + headerLen, i + len));
    i += len;
  }
  return out;
}

function chunk(type: string, body: Buffer): Buffer {
  const h = Buffer.alloc(12);
  h.write(type, 0, 'latin1');
  h.writeBigInt64BE(BigInt(body.length), 4);
  return Buffer.concat([h, body]);
}

const descr = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag, 0x80, 0x80, 0x80, body.length]), body]);

function berLength(n: number): number[] {
  const bytes = [n & 0x7f];
  for (let v = n >> 7; v > 0; v >>= 7) bytes.unshift((v & 0x7f) | 0x80);
  return bytes;
}

function cafWithAac(frames: Buffer[], rate: number, channels: number): Buffer {
  const desc = Buffer.alloc(32);
  desc.writeDoubleBE(rate, 0);
  desc.write('aac ', 8, 'latin1');
  desc.writeUInt32BE(2, 12); // kMPEG4Object_AAC_LC
  desc.writeUInt32BE(0, 16);
  desc.writeUInt32BE(1024, 20);
  desc.writeUInt32BE(channels, 24);
  desc.writeUInt32BE(0, 28);
  const freqIndex = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000].indexOf(rate);
  const asc = Buffer.alloc(2);
  asc.writeUInt16BE((2 << 11) | (freqIndex << 7) | (channels << 3));
  const dcd = Buffer.concat([Buffer.from([0x40, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), descr(0x05, asc)]);
  const esds = descr(0x03, Buffer.concat([Buffer.from([0, 0, 0]), descr(0x04, dcd), descr(0x06, Buffer.from([2]))]));
  const paktHead = Buffer.alloc(24);
  paktHead.writeBigInt64BE(BigInt(frames.length), 0);
  paktHead.writeBigInt64BE(BigInt(frames.length * 1024 - 2112), 8);
  paktHead.writeInt32BE(2112, 16);
  paktHead.writeInt32BE(0, 20);
  const pakt = Buffer.concat([paktHead, Buffer.from(frames.flatMap((f) => berLength(f.length)))]);
  const data = Buffer.concat([Buffer.alloc(4), ...frames]);
  const header = Buffer.from([0x63, 0x61, 0x66, 0x66, 0, 1, 0, 0]);
  return Buffer.concat([header, chunk('desc', desc), chunk('kuki', esds), chunk('pakt', pakt), chunk('data', data)]);
}

/** An H.264 QuickTime movie (what an iPhone records with "Most Compatible"), and an MPEG-4 Part 2 one that is not remuxed. */
export function movie(dir: string, name: string, codec: 'h264' | 'mpeg4'): string {
  const path = join(dir, name);
  ff(['-f', 'lavfi', '-i', 'testsrc2=size=160x120:duration=1:rate=10', '-f', 'lavfi', '-i', 'sine=duration=1',
    '-c:v', codec === 'h264' ? 'libx264' : 'mpeg4', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-f', 'mov', path]);
  return path;
}

/** Facts about a media file, from ffprobe. */
export function probe(path: string): { codec: string; w?: number; h?: number; duration: number; format: string } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height:format=duration,format_name', '-of', 'json', path]).toString('utf8');
  const j = JSON.parse(out) as { streams: Array<{ codec_name: string; width?: number; height?: number }>; format: { duration?: string; format_name: string } };
  const s = j.streams[0]!;
  return { codec: s.codec_name, ...(s.width ? { w: s.width, h: s.height } : {}), duration: Number(j.format.duration ?? 0), format: j.format.format_name };
}
