// Whether the compiled build (dist/, from `npm run build`, which `npm ci` and
// `npm install` run through `prepare`) is the build of the sources here now.
// The bin runs it when it is: no TypeScript loader in the process or in each
// read thread and read process (a loader thread and ~20–30 MB each, measured),
// and a faster start. After any edit under src/ the stamp no longer matches
// and the bin runs the sources through tsx instead: a stale build never runs.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const stampPath = (root = ROOT) => join(root, 'dist', '.source-stamp');

/** Every file under `<root>/src`, as absolute paths: what the stamp covers and what a build copies or compiles. */
export function sourceFiles(root = ROOT) {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p); else out.push(p);
    }
  };
  walk(join(root, 'src'));
  return out;
}

/** Every file under src/ by path, size and modification time: any edit, addition or removal changes it. */
export function sourceStamp(root = ROOT) {
  const src = join(root, 'src');
  const lines = sourceFiles(root).map((p) => { const s = statSync(p); return `${relative(src, p)}\t${s.size}\t${s.mtimeMs}`; });
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

/** The compiled CLI entry when dist/ was built from exactly these sources, else null (IMESSAGE_BRIDGE_SOURCES=1: always null). */
export function currentBuild(root = ROOT) {
  if (process.env.IMESSAGE_BRIDGE_SOURCES === '1' || !existsSync(stampPath(root))) return null;
  try {
    return readFileSync(stampPath(root), 'utf8').trim() === sourceStamp(root) ? join(root, 'dist', 'cli', 'main.js') : null;
  } catch {
    return null;
  }
}
