// A small seeded PRNG (sfc32) so generated databases are reproducible by seed.

export class Random {
  private a: number; private b: number; private c: number; private d: number;

  constructor(seed: number | string) {
    // Spread the seed over the four words with a string hash (cyrb128-style).
    let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
    const s = String(seed);
    for (let i = 0; i < s.length; i++) {
      const k = s.charCodeAt(i);
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067); h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213); h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    this.a = h1 >>> 0; this.b = h2 >>> 0; this.c = h3 >>> 0; this.d = h4 >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }

  int(lo: number, hiInclusive: number): number {
    return lo + Math.floor(this.next() * (hiInclusive - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  /** An uppercase UUID v4 string from this stream. */
  uuid(): string {
    const h = (n: number, len: number) => n.toString(16).padStart(len, '0');
    const a = this.u32(), b = this.u32(), c = this.u32(), d = this.u32();
    return `${h(a, 8)}-${h(b >>> 16, 4)}-${h(((b & 0x0fff) | 0x4000), 4)}-${h(((c >>> 16) & 0x3fff) | 0x8000, 4)}-${h(c & 0xffff, 4)}${h(d, 8)}`.toUpperCase();
  }
}
