// What a file really is, from its first bytes (magic numbers), not its name:
// Messages' mime types and extensions are hints at best, and a CAF file can
// hold Opus (voice messages since iOS 17) or AAC (older ones).
import type { Attachment } from '../imessage/model.ts';

export type FileKind = 'jpeg' | 'png' | 'gif' | 'webp' | 'heic' | 'caf' | 'ogg' | 'mp4' | 'm4a' | 'mov' | 'webm' | 'mp3' | 'unknown';

const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

export function sniff(b: Buffer): FileKind {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47) return 'png';
  if (b.length >= 6 && b.toString('latin1', 0, 4) === 'GIF8') return 'gif';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (b.length >= 8 && b.toString('latin1', 0, 4) === 'caff') return 'caf';
  if (b.length >= 4 && b.toString('latin1', 0, 4) === 'OggS') return 'ogg';
  if (b.length >= 4 && b.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
  if (b.length >= 3 && (b.toString('latin1', 0, 3) === 'ID3' || (b[0] === 0xff && ((b[1] as number) & 0xe0) === 0xe0))) return 'mp3';
  if (b.length >= 12 && b.toString('latin1', 4, 8) === 'ftyp') {
    const brand = b.toString('latin1', 8, 12);
    if (HEIF_BRANDS.has(brand)) return 'heic';
    if (brand === 'M4A ' || brand === 'M4B ') return 'm4a';
    return brand === 'qt  ' ? 'mov' : 'mp4';
  }
  if (b.length >= 8 && ['moov', 'mdat', 'wide', 'free'].includes(b.toString('latin1', 4, 8))) return 'mov';
  return 'unknown';
}

export type CafCodec = 'opus' | 'aac' | 'pcm' | 'other';

/** The codec inside a CAF file: the format ID of its `desc` chunk, which always comes first. */
export function cafCodec(b: Buffer): CafCodec | null {
  if (sniff(b) !== 'caf' || b.length < 8 + 12 + 32 || b.toString('latin1', 8, 12) !== 'desc') return null;
  const id = b.toString('latin1', 8 + 12 + 8, 8 + 12 + 12);
  if (id === 'opus') return 'opus';
  if (id === 'aac ' || id === 'aach' || id === 'aacp') return 'aac';
  if (id === 'lpcm' || id === 'ulaw' || id === 'alaw') return 'pcm';
  return 'other';
}

/**
 * A voice message recorded in Messages. chat.db marks the message with
 * `is_audio_message = 1`; the attachment itself is always `Audio Message.caf`,
 * which is what we see here when the flag is not passed along.
 */
export function isAudioMessage(a: Pick<Attachment, 'transferName' | 'path' | 'uti'>, flag?: boolean): boolean {
  const name = a.transferName ?? a.path?.split('/').pop() ?? '';
  const caf = /\.caf$/i.test(name) || a.uti === 'com.apple.coreaudio-format';
  if (flag !== undefined) return flag && caf;
  return caf && /^Audio Message/i.test(name);
}

/** PNG, GIF and JPEG dimensions from the header; null for anything else. */
export function imageSize(b: Buffer): { w: number; h: number } | null {
  const kind = sniff(b);
  if (kind === 'png' && b.length > 24) return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
  if (kind === 'gif' && b.length > 10) return { w: b.readUInt16LE(6), h: b.readUInt16LE(8) };
  if (kind !== 'jpeg') return null;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1] as number;
    // SOF0–SOF15 carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but don't.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { h: b.readUInt16BE(i + 5), w: b.readUInt16BE(i + 7) };
    i += 2 + b.readUInt16BE(i + 2);
  }
  return null;
}
