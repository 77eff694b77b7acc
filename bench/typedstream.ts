// typedstream (attributedBody) decoding on the real blobs, side by side with
// crabstep (imessage-exporter's Rust decoder; bench/crabstep, built when cargo
// is present) and node-typedstream. Rounds alternate between the decoders so
// the shared machine's load hits all alike; each figure is the best round.
// Every decoder is first checked to return the manifest's texts.
// SECONDS=… sets the time per round, ROUNDS=… their number.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Unarchiver } from 'node-typedstream';
import { decodeAttributedBody, decodeAttributedBodyText } from '../src/imessage/typedstream/index.ts';
import { crabstepBench, realBlobs } from './support/peers.ts';
import { printHeader, printLoadAfter, printRatio } from './support/report.ts';

printHeader('bench/typedstream.ts');

const TARGET = 0.8; // of crabstep's blobs/s (issue 15)
const ROUND_MS = Number(process.env.SECONDS ?? 1.5) * 1000;
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 5));
const blobs = realBlobs().map((b) => ({ ...b, bytes: readFileSync(b.path) }));

function nodeText(buf: Buffer): string {
  const groups = Unarchiver.open(buf, Unarchiver.BinaryDecoding.none).decodeAll() as { values: { string: string }[] }[];
  return groups[0]!.values[0]!.string;
}
// `ours` builds the text and every attribute run (the public decodeAttributedBody); `ours_text`
// is what chat.db reads call: every attribute still read and checked, no runs built — the same
// work crabstep's loop does (text as an owned String, each attribute visited).
const decoders: Record<string, (b: Buffer) => string> = {
  ours: (b) => decodeAttributedBody(b).text,
  ours_text: decodeAttributedBodyText,
  node_typedstream: nodeText,
};
for (const [name, decode] of Object.entries(decoders)) {
  const wrong = blobs.filter((b) => decode(b.bytes) !== b.text).length;
  if (wrong) process.stderr.write(`warning: ${name} returned a different text for ${wrong} of ${blobs.length} blobs\n`);
}

/** Blobs per second over one timed round. */
function round(decode: (b: Buffer) => string, ms: number): number {
  let n = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (const b of blobs) sink += decode(b.bytes).length;
    n += blobs.length;
    elapsed = performance.now() - start;
  }
  if (sink < 0) console.log(sink);
  return (n / elapsed) * 1000;
}

const crabstep = crabstepBench();
function crabstepRound(): number {
  const r = spawnSync(crabstep!, blobs.map((b) => b.path), { encoding: 'utf8', env: { ...process.env, ROUND_MS: String(ROUND_MS), ROUNDS: '1' } });
  const failed = Number(/crabstep_failed (\d+)/.exec(r.stdout)?.[1] ?? NaN);
  const rate = Number(/crabstep_blobs_per_s (\d+)/.exec(r.stdout)?.[1] ?? NaN);
  if (r.status !== 0 || !Number.isFinite(rate)) throw new Error(`bench/crabstep failed: ${r.stderr || r.stdout}`);
  if (failed) process.stderr.write(`warning: crabstep gave no text for ${failed} of ${blobs.length} blobs\n`);
  return rate;
}

for (const decode of Object.values(decoders)) round(decode, ROUND_MS); // warm-up (JIT)
const best: Record<string, number> = {};
const keep = (name: string, v: number): void => { best[name] = Math.max(best[name] ?? 0, v); };
for (let r = 0; r < ROUNDS; r++) {
  keep('ours', round(decoders.ours!, ROUND_MS));
  keep('ours_text', round(decoders.ours_text!, ROUND_MS));
  if (crabstep) keep('crabstep', crabstepRound());
  keep('node_typedstream', round(decoders.node_typedstream!, ROUND_MS / 3));
}

const ours = best.ours!;
console.log(`typedstream_blobs ${blobs.length} blobs`);
console.log(`typedstream_ours_blobs_per_s ${Math.round(ours)} blobs/s`);
if (best.crabstep) {
  const ratio = ours / best.crabstep;
  console.log(`typedstream_crabstep_blobs_per_s ${Math.round(best.crabstep)} blobs/s`);
  printRatio('typedstream_vs_crabstep', ratio, TARGET);
  console.log(`typedstream_ours_text_blobs_per_s ${Math.round(best.ours_text!)} blobs/s`);
  printRatio('typedstream_text_vs_crabstep', best.ours_text! / best.crabstep, TARGET);
}
console.log(`typedstream_node_typedstream_blobs_per_s ${Math.round(best.node_typedstream!)} blobs/s`);
console.log(`typedstream_vs_node_typedstream ${(ours / best.node_typedstream!).toFixed(1)} x`);
printLoadAfter();
