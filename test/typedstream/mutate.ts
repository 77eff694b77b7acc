// Seeded mutations of the real blobs, shared by the fuzz tests of the decoder
// and of its fast path.
import { encodeAttributedBody } from '../../src/imessage/typedstream/index.ts';
import { blob, GOOD } from './blobs.ts';

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x91, 0x92, 0x93, 0xfe, 0xff];

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIXED = 'héllo 👩‍👩‍👧 ﷽ \u2028x\r\n';
export const seeds: Buffer[] = [
  ...GOOD.map((g) => g.bytes),
  blob('ExtraData'),
  encodeAttributedBody(MIXED, { runs: [{ start: 0, length: 6, part: 0, link: 'https://x.y/' }, { start: 6, length: MIXED.length - 6, part: 1, mention: 'a@b.c', bold: true }] }),
];

export function mutate(rand: () => number): Buffer {
  const int = (n: number): number => Math.floor(rand() * n);
  const src = seeds[int(seeds.length)]!;
  const kind = int(8);
  const at = int(src.length);
  switch (kind) {
    case 0: { // bit flips
      const b = Buffer.from(src);
      for (let k = 1 + int(4); k > 0; k--) { const p = int(b.length); b[p] = b[p]! ^ (1 << int(8)); }
      return b;
    }
    case 1: { // a byte becomes a tag or boundary value
      const b = Buffer.from(src);
      b[at] = INTERESTING[int(INTERESTING.length)]!;
      return b;
    }
    case 2: // insert bytes
      return Buffer.concat([src.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(3) }, () => int(256))), src.subarray(at)]);
    case 3: // delete bytes
      return Buffer.concat([src.subarray(0, at), src.subarray(at + 1 + int(8))]);
    case 4: // truncate
      return src.subarray(0, at);
    case 5: { // splice two blobs
      const other = seeds[int(seeds.length)]!;
      return Buffer.concat([src.subarray(0, at), other.subarray(int(other.length))]);
    }
    case 6: { // length / count / reference corruption with multi-byte integer forms
      const b = Buffer.from(src);
      const forms = [[0x81, int(256), int(256)], [0x82, int(256), int(256), int(256), int(256)], [0x82, 0xff, 0xff, 0xff, 0x7f], [0x81, 0xff, 0x7f], [0x82, 0, 0, 0, 0x80]];
      const form = forms[int(forms.length)]!;
      return Buffer.concat([b.subarray(0, at), Buffer.from(form), b.subarray(at + 1)]);
    }
    default: { // duplicate a chunk (repeats tables, objects, runs)
      const len = 1 + int(40);
      return Buffer.concat([src.subarray(0, at + len), src.subarray(at, at + len), src.subarray(at + len)]);
    }
  }
}
