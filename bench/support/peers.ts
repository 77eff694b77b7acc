// The Rust peers the benches compare against, built or found when cargo is
// present: crabstep (imessage-exporter's typedstream decoder, timed by our
// small bench in bench/crabstep/) and the imessage-exporter CLI itself. Each
// returns null after printing one `skipped` line saying why, so a machine
// without Rust still runs the rest of the bench.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const CARGO_BIN = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin');

function cargo(): string | null {
  for (const c of ['cargo', join(CARGO_BIN, 'cargo')]) {
    if (spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0) return c;
  }
  return null;
}

function skip(name: string, why: string): null {
  process.stdout.write(`${name}_skipped 1 (${why})\n`);
  return null;
}

/** The crabstep bench binary (bench/crabstep, release build; the first build takes a few minutes). */
export function crabstepBench(): string | null {
  const bin = join(ROOT, 'bench/crabstep/target/release/crabstep-bench');
  const c = cargo();
  if (!c) return existsSync(bin) ? bin : skip('crabstep', 'cargo not found; install Rust from https://rustup.rs to compare with crabstep');
  process.stderr.write('building bench/crabstep (cargo build --release)…\n');
  const r = spawnSync(c, ['build', '--release', '--quiet', '--manifest-path', join(ROOT, 'bench/crabstep/Cargo.toml')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !existsSync(bin)) return skip('crabstep', 'cargo build of bench/crabstep failed');
  return bin;
}

/** imessage-exporter: IMESSAGE_EXPORTER=…, else on PATH or in ~/.cargo/bin, else `cargo install imessage-exporter`. */
export function imessageExporter(): { bin: string; version: string } | null {
  const version = (bin: string): string | null => {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim().split(/\s+/).at(-1) ?? '?' : null;
  };
  for (const bin of [process.env.IMESSAGE_EXPORTER, 'imessage-exporter', join(CARGO_BIN, 'imessage-exporter')]) {
    const v = bin ? version(bin) : null;
    if (bin && v) return { bin, version: v };
  }
  const c = cargo();
  if (!c) return skip('imessage_exporter', 'cargo not found; install Rust from https://rustup.rs, or set IMESSAGE_EXPORTER=/path/to/imessage-exporter');
  process.stderr.write('installing imessage-exporter (cargo install imessage-exporter; takes several minutes)…\n');
  const r = spawnSync(c, ['install', '--quiet', 'imessage-exporter'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const bin = join(CARGO_BIN, 'imessage-exporter');
  const v = r.status === 0 ? version(bin) : null;
  return v ? { bin, version: v } : skip('imessage_exporter', '`cargo install imessage-exporter` failed');
}

/** The real attributedBody blobs: vendored in test/fixtures when present, else ../shared beside the checkout. */
export function realBlobs(): { file: string; path: string; text: string }[] {
  const dir = [join(ROOT, 'test/fixtures/typedstream'), join(ROOT, '../shared/typedstream')].find((d) => existsSync(join(d, 'manifest.json')));
  if (!dir) throw new Error('No typedstream blobs: expected test/fixtures/typedstream/manifest.json (or ../shared/typedstream).');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { file: string; text: string | null; expect?: string }[];
  return manifest.filter((m) => m.expect !== 'error').map((m) => ({ file: m.file, path: join(dir, m.file), text: m.text ?? '' }));
}
