// Photo orientation. Phones store pixels as the sensor saw them and say how to
// turn them: HEIF with `irot`/`imir` boxes (which libheif applies while
// decoding), JPEG and older HEIF with the EXIF Orientation tag (which decoders
// don't apply). The converted JPEG carries upright pixels and no EXIF, so
// every viewer shows it the same way and w/h are the displayed size.

export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const TIFF_HEADERS = [Buffer.from('MM\0*', 'latin1'), Buffer.from('II*\0', 'latin1')];
const EXIF_PREFIX = Buffer.from('Exif\0\0', 'latin1');
const HEIF_PREFIX = Buffer.alloc(4); // a HEIF Exif item starts with the (zero) offset to its TIFF header

/** Offset of the Orientation tag's value (SHORT) in `b`, with its byte order; null when absent. */
function orientationTag(b: Buffer): { at: number; le: boolean } | null {
  for (const header of TIFF_HEADERS) {
    for (let tiff = b.indexOf(header); tiff >= 0; tiff = b.indexOf(header, tiff + 1)) {
      // Only a TIFF header where Exif puts one, not four random bytes in compressed data.
      const before = b.subarray(Math.max(0, tiff - 6), tiff);
      if (!before.equals(EXIF_PREFIX) && !before.subarray(-4).equals(HEIF_PREFIX)) continue;
      const found = ifd0Orientation(b, tiff, header[0] === 0x49);
      if (found) return found;
    }
  }
  return null;
}

function ifd0Orientation(b: Buffer, tiff: number, le: boolean): { at: number; le: boolean } | null {
  const u16 = (o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  if (tiff + 8 > b.length) return null;
  const ifd = tiff + (le ? b.readUInt32LE(tiff + 4) : b.readUInt32BE(tiff + 4));
  if (ifd + 2 > b.length) return null;
  const n = u16(ifd);
  for (let k = 0; k < n; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > b.length) return null;
    if (u16(e) === 0x0112 && u16(e + 2) === 3) return { at: e + 8, le };
  }
  return null;
}

export function exifOrientation(b: Buffer): Orientation {
  const tag = orientationTag(b);
  if (!tag) return 1;
  const v = tag.le ? b.readUInt16LE(tag.at) : b.readUInt16BE(tag.at);
  return v >= 1 && v <= 8 ? (v as Orientation) : 1;
}

/** Rewrite the EXIF Orientation tag in place (after the pixels were turned). */
export function resetExifOrientation(b: Buffer): void {
  const tag = orientationTag(b);
  if (!tag) return;
  if (tag.le) b.writeUInt16LE(1, tag.at);
  else b.writeUInt16BE(1, tag.at);
}

/** HEIF transform boxes live in the `meta` box near the start of the file. */
export function heifHasTransform(b: Buffer): boolean {
  const head = b.subarray(0, Math.min(b.length, 256 * 1024));
  return head.includes('irot', 0, 'latin1') || head.includes('imir', 0, 'latin1');
}

/** What is still left to do after libheif decoded the image: per the HEIF spec, its own transforms win over EXIF. */
export function heifPendingOrientation(b: Buffer): Orientation {
  return heifHasTransform(b) ? 1 : exifOrientation(b);
}

export const swapsSides = (o: Orientation): boolean => o >= 5;

/** The ffmpeg filter that makes the pixels upright ('' for none). */
export function ffmpegOrientationFilter(o: Orientation): string {
  return ['', '', 'hflip', 'hflip,vflip', 'vflip', 'transpose=0', 'transpose=1', 'transpose=3', 'transpose=2'][o] ?? '';
}

/** The sips arguments that make the pixels upright (sips rotates clockwise). */
export function sipsOrientationArgs(o: Orientation): string[] {
  const table: Record<Orientation, string[]> = {
    1: [], 2: ['--flip', 'horizontal'], 3: ['--rotate', '180'], 4: ['--flip', 'vertical'],
    5: ['--rotate', '270', '--flip', 'horizontal'], 6: ['--rotate', '90'], 7: ['--rotate', '90', '--flip', 'horizontal'], 8: ['--rotate', '270'],
  };
  return table[o];
}
