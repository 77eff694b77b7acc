// typedstream (attributedBody) decoding, ours vs node-typedstream, side by side
// on the real blobs of test/fixtures/typedstream. Rounds alternate between the two
// so machine load hits both alike; each figure is the best round. node-typedstream
// runs in its fastest mode (no nested-archive decoding) and is checked to return
// the same texts first. SECONDS=… sets the time per round.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Unarchiver } from 'node-typedstream';
import { decodeAttributedBody } from '../src/imessage/typedstream/index.ts';

const DIR = join(import.meta.dirname, '../test/fixtures/typedstream');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { file: string; text: string | null; expect?: string }[];
const blobs = manifest.filter((m) => m.expect !== 'error').map((m) => ({ text: m.text ?? '', bytes: readFileSync(join(DIR, m.file)) }));
const ROUND_MS = Number(process.env.SECONDS ?? 1.5) * 1000;
const ROUNDS = 5;

function nodeText(buf: Buffer, mode: Unarchiver.BinaryDecoding): string {
  const groups = Unarchiver.open(buf, mode).decodeAll() as { values: { string: string }[] }[];
  return groups[0]!.values[0]!.string;
}

const decoders: Record<string, (b: Buffer) => string> = {
  ours: (b) => decodeAttributedBody(b).text,
  node_typedstream: (b) => nodeText(b, Unarchiver.BinaryDecoding.none),
  node_typedstream_default: (b) => nodeText(b, Unarchiver.BinaryDecoding.all),
};

for (const [name, decode] of Object.entries(decoders)) {
  const wrong = blobs.filter((b) => decode(b.bytes) !== b.text).length;
  if (wrong) process.stderr.write(`warning: ${name} returned a different text for ${wrong} of ${blobs.length} blobs\n`);
}

/** Blobs per second over one timed round. */
function round(decode: (b: Buffer) => string): number {
  let n = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    for (const b of blobs) sink += decode(b.bytes).length;
    n += blobs.length;
    elapsed = performance.now() - start;
  }
  if (sink < 0) console.log(sink);
  return (n / elapsed) * 1000;
}

for (const decode of Object.values(decoders)) round(decode); // warm-up (JIT)
const best: Record<string, number> = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, decode] of Object.entries(decoders)) best[name] = Math.max(best[name] ?? 0, round(decode));
}

const ours = best.ours!;
const theirs = best.node_typedstream!;
console.log(`typedstream_blobs ${blobs.length} blobs`);
console.log(`typedstream_ours_blobs_per_s ${Math.round(ours)} blobs/s`);
console.log(`typedstream_node_typedstream_blobs_per_s ${Math.round(theirs)} blobs/s`);
console.log(`typedstream_node_typedstream_default_mode_blobs_per_s ${Math.round(best.node_typedstream_default!)} blobs/s`);
console.log(`typedstream_speedup ${(ours / theirs).toFixed(1)} x`);
