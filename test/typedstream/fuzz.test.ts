// Mutation fuzzing of the decoder with the real blobs as seeds. Every case must
// come back as a DecodedBody or a TypedstreamError, quickly; nothing may throw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeAttributedBody, tryDecodeAttributedBody, TypedstreamError } from '../../src/imessage/typedstream/index.ts';
import { blob, GOOD } from './blobs.ts';

const CASES = 120_000;
const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x91, 0x92, 0x93, 0xfe, 0xff];

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
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
const seeds: Buffer[] = [
  ...GOOD.map((g) => g.bytes),
  blob('ExtraData'),
  encodeAttributedBody(MIXED, { runs: [{ start: 0, length: 6, part: 0, link: 'https://x.y/' }, { start: 6, length: MIXED.length - 6, part: 1, mention: 'a@b.c', bold: true }] }),
];

function mutate(rand: () => number): Buffer {
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

test(`fuzz: ${CASES} seeded mutations of the real blobs return a result or a typed error`, () => {
  const rand = prng(0x1a2b3c4d);
  let ok = 0;
  let errors = 0;
  let slowest = 0;
  const started = performance.now();
  for (let i = 0; i < CASES; i++) {
    const input = mutate(rand);
    const t0 = performance.now();
    let r: unknown;
    try {
      r = tryDecodeAttributedBody(input);
    } catch (e) {
      assert.fail(`case ${i} threw ${String(e)} for ${input.toString('hex')}`);
    }
    slowest = Math.max(slowest, performance.now() - t0);
    if (r instanceof TypedstreamError) {
      errors++;
      assert.ok(r.offset >= -1 && r.offset <= input.length, `case ${i}: offset ${r.offset} within the input`);
    } else {
      const body = r as { text: unknown; runs: { start: number; length: number }[] };
      assert.equal(typeof body.text, 'string', `case ${i}`);
      let covered = 0;
      for (const run of body.runs) { assert.equal(run.start, covered); covered += run.length; }
      assert.equal(covered, (body.text as string).length, `case ${i}: runs cover the text`);
      ok++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`# typedstream fuzz: ${CASES} cases, ${ok} decoded, ${errors} typed errors, ${seconds.toFixed(1)} s, slowest case ${slowest.toFixed(1)} ms`);
  assert.equal(ok + errors, CASES);
  assert.ok(errors > CASES / 4, 'most mutations are detected as corrupt');
  assert.ok(ok > 1000, 'harmless mutations still decode');
  assert.ok(slowest < 500, `no case is slow (${slowest} ms)`);
});

const HEADER = '040b73747265616d747970656481e803';

test('adversarial streams fail fast without allocating what they claim', () => {
  const enc = (s: string): string => Buffer.from(s).toString('hex');
  const cases: Record<string, [hex: string, reason: RegExp]> = {
    // "+" string claiming 2 GiB
    hugeString: [HEADER + '840140' + '84848408' + enc('NSString') + '0185' + '84012b' + '82ffffff7f', /runs past the end/],
    // a type encoding of 2^31-1 ignored fields: no data per element, must hit the work budget
    zeroSizeArray: [HEADER + '840d' + enc('[2147483647!]'), /more complex than its size/],
    // an empty struct repeated: same
    emptyStructs: [HEADER + '840f' + enc('[999999999{a=}]'), /more complex than its size/],
    // objects nested without end
    deepObjects: [HEADER + '840140' + ('84' + '84840141' + '00' + '85' + '92').repeat(2000), /nested deeper/],
    // a class whose superclass refers to itself
    selfSuperclass: [HEADER + '840140' + '8484' + '840141' + '00' + '92', /non-class/],
    // type encodings nested 3,333 deep
    deepEncoding: [HEADER + '84811027' + enc('{a='.repeat(3333) + 'i'), /nested deeper/],
    // reference numbers far past the tables
    badRefs: [HEADER + '82ffffff7f', /does not exist/],
  };
  for (const [name, [hex, reason]] of Object.entries(cases)) {
    const t0 = performance.now();
    const r = tryDecodeAttributedBody(Buffer.from(hex, 'hex'));
    const ms = performance.now() - t0;
    assert.ok(r instanceof TypedstreamError, `${name} is an error`);
    assert.match(r.message, reason, name);
    assert.ok(ms < 200, `${name} took ${ms} ms`);
  }
});
