// What every bench prints first and how it states a target: the machine and
// the date (figures depend on both), the load when it ran (the machine is
// shared), and "met" / "NOT MET" next to each ratio with a target.
import { cpus, loadavg, platform, release, totalmem } from 'node:os';

export function printHeader(bench: string): void {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`# ${bench} on ${platform()} ${release()}, ${cpus().length}× ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  console.log(`# ${new Date().toISOString()}, load average ${load}`);
}

export function printLoadAfter(): void {
  console.log(`# load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

/** `name value x (target >= t: met|NOT MET)`; higher is better. */
export function printRatio(name: string, ratio: number, target: number): void {
  console.log(`${name} ${ratio.toFixed(2)} x (target >= ${target}: ${ratio >= target ? 'met' : 'NOT MET'})`);
}

/** `name value unit (target < t: met|NOT MET)`; lower is better. */
export function printBelow(name: string, value: number, unit: string, target: number): void {
  console.log(`${name} ${value} ${unit} (target < ${target} ${unit}: ${value < target ? 'met' : 'NOT MET'})`);
}
