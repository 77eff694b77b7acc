// `imessage-bridge messages --json` over the whole 1M-message database (the
// seeded generator's, cached in the temp dir; DB=… for another file), side by
// side with imessage-exporter's text export of the same file (`-f txt`;
// skipped with one line when cargo and imessage-exporter are absent). Runs
// alternate ours / theirs; each figure is the best of ROUNDS (default 1).
// Ours twice: as it runs by default (one thread) and with worker threads
// (--threads, one per core up to 4), each through the bin as a user runs it. Also peak RSS while streaming (target < 200 MB) and
// CPU seconds, the steadier figure on a shared machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error -- plain JS beside the bin, no declarations
import { currentBuild } from '../bin/compiled.js';
import { bigDatabase } from './support/bigDb.ts';
import { measure, type RunFigures } from './support/measure.ts';
import { imessageExporter } from './support/peers.ts';
import { printBelow, printHeader, printLoadAfter, printRatio } from './support/report.ts';

const TARGET_RATIO = 1; // at least as fast as imessage-exporter (issue 15)
const TARGET_RSS_MB = 200;
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 1));
const BIN = join(import.meta.dirname, '../bin/imessage-bridge.js');

printHeader('bench/cli.ts');
// The bin runs the compiled build when it is current (bin/compiled.js), as after `npm ci`; say which ran.
console.log(currentBuild() ? '# the CLI runs the compiled build (dist/)' : '# the CLI runs the sources through tsx (no current build: `npm run build`)');
const { path, home } = bigDatabase();
const exporter = imessageExporter();
const VARIANTS: { name: string; args: string[] }[] = [
  { name: 'cli_messages_json', args: [] },
  { name: 'cli_messages_json_threads', args: ['--threads', String(Math.min(4, availableParallelism()))] },
];

const best = (a: RunFigures | undefined, b: RunFigures): RunFigures => (a && a.seconds <= b.seconds ? a : b);
const ours = new Map<string, RunFigures>();
const peakRss = new Map<string, number>();
let theirs: RunFigures | undefined;
for (let r = 0; r < ROUNDS; r++) {
  for (const v of VARIANTS) {
    const o = await measure(process.execPath, [BIN, 'messages', '--db', path, '--json', ...v.args], '/dev/null', { ...process.env, HOME: home, LOG_LEVEL: 'warn' });
    ours.set(v.name, best(ours.get(v.name), o));
    peakRss.set(v.name, Math.max(peakRss.get(v.name) ?? 0, o.peakRssMb ?? 0));
  }
  if (exporter) {
    const out = mkdtempSync(join(tmpdir(), 'imb-bench-exporter-'));
    try {
      theirs = best(theirs, await measure(exporter.bin, ['-f', 'txt', '-p', path, '-o', out, '-a', 'macOS'], '/dev/null', { ...process.env, HOME: home }));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
}

const rows = Number(process.env.N ?? 1_000_000) === 1_000_000 ? '1m' : String(process.env.N);
const fmt = (f: RunFigures, name: string): void => {
  console.log(`${name}_${rows}_seconds ${f.seconds.toFixed(2)} s (${Math.round(Number(process.env.N ?? 1_000_000) / f.seconds)} msg/s)`);
  if (f.cpuSeconds !== null) console.log(`${name}_${rows}_cpu_seconds ${f.cpuSeconds.toFixed(2)} s`);
};
if (theirs && exporter) {
  fmt(theirs, `imessage_exporter_${exporter.version}_txt`);
  if (theirs.peakRssMb !== null) console.log(`imessage_exporter_peak_rss_mb ${theirs.peakRssMb} MB`);
}
for (const v of VARIANTS) {
  const o = ours.get(v.name)!;
  fmt(o, v.name);
  if (peakRss.get(v.name)) printBelow(`${v.name}_peak_rss_mb`, peakRss.get(v.name)!, 'MB', TARGET_RSS_MB);
  if (theirs) {
    printRatio(`${v.name}_vs_imessage_exporter`, theirs.seconds / o.seconds, TARGET_RATIO);
    if (o.cpuSeconds && theirs.cpuSeconds) console.log(`${v.name}_vs_imessage_exporter_cpu ${(theirs.cpuSeconds / o.cpuSeconds).toFixed(2)} x (CPU seconds, informational)`);
  }
}
printLoadAfter();
