// The no-install path for photos, run as its own Node process (plain
// JavaScript, so it needs no TypeScript loader): decode HEIC with the
// WebAssembly libheif (heic-decode) or JPEG with jpeg-js, turn the pixels
// upright, and write the JPEG and its thumbnail.
// argv: <input> <output.jpg> <thumb.jpg> <thumbMaxSide> <orientation 1-8>
// stdout: {"w":…,"h":…,"tw":…,"th":…}
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import decodeHeic from 'heic-decode';
import jpeg from 'jpeg-js';

const [input, output, thumbPath, thumbMaxArg, orientationArg] = process.argv.slice(2);
const src = readFileSync(input);
const isJpeg = src[0] === 0xff && src[1] === 0xd8;
const raw = isJpeg ? jpeg.decode(src, { useTArray: true, maxMemoryUsageInMB: 1024 }) : await decodeHeic({ buffer: src });
const upright = orient(raw, Number(orientationArg) || 1);
writeFileSync(output, jpeg.encode(upright, 85).data);
const thumb = shrink(upright, Number(thumbMaxArg) || 800);
writeFileSync(thumbPath, jpeg.encode(thumb, 75).data);
process.stdout.write(JSON.stringify({ w: upright.width, h: upright.height, tw: thumb.width, th: thumb.height }));

/** Move each pixel to where EXIF orientation `o` says it is displayed. */
function orient(img, o) {
  if (o === 1) return img;
  const { width: W, height: H, data } = img;
  const swap = o >= 5;
  const w = swap ? H : W;
  const h = swap ? W : H;
  const out = Buffer.alloc(w * h * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let dx = x, dy = y;
      switch (o) {
        case 2: dx = W - 1 - x; break;
        case 3: dx = W - 1 - x; dy = H - 1 - y; break;
        case 4: dy = H - 1 - y; break;
        case 5: dx = y; dy = x; break;
        case 6: dx = H - 1 - y; dy = x; break;
        case 7: dx = H - 1 - y; dy = W - 1 - x; break;
        case 8: dx = y; dy = W - 1 - x; break;
      }
      const s = (y * W + x) * 4;
      const d = (dy * w + dx) * 4;
      out[d] = data[s]; out[d + 1] = data[s + 1]; out[d + 2] = data[s + 2]; out[d + 3] = data[s + 3];
    }
  }
  return { width: w, height: h, data: out };
}

/** Box-average down to fit `max` on the long side (never up). */
function shrink(img, max) {
  const { width: W, height: H, data } = img;
  const scale = Math.max(W, H) / max;
  if (scale <= 1) return img;
  const w = Math.max(1, Math.round(W / scale));
  const h = Math.max(1, Math.round(H / scale));
  const out = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(y * H / h), y1 = Math.max(y0 + 1, Math.floor((y + 1) * H / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(x * W / w), x1 = Math.max(x0 + 1, Math.floor((x + 1) * W / w));
      let r = 0, g = 0, b = 0, n = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const s = (sy * W + sx) * 4;
          r += data[s]; g += data[s + 1]; b += data[s + 2]; n++;
        }
      }
      const d = (y * w + x) * 4;
      out[d] = r / n; out[d + 1] = g / n; out[d + 2] = b / n; out[d + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}
