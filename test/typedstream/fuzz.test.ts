// Mutation fuzzing of the decoder with the real blobs as seeds. Every case must
// come back as a DecodedBody or a TypedstreamError, quickly; nothing may throw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tryDecodeAttributedBody, TypedstreamError } from '../../src/imessage/typedstream/index.ts';
import { mutate, prng } from './mutate.ts';

const CASES = 120_000;

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
