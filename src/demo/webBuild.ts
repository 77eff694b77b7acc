// The web client's bundle (web/dist) is built on first use, so a fresh clone's
// `npm run demo` (or `run`) serves it with nothing else built first. It also
// rebuilds when web/ sources are newer than the bundle (after a `git pull`).
// Builds go to a private folder and are renamed into place, so parallel
// starts never serve a half-written bundle.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));
export const WEB_DIST = join(WEB_ROOT, 'dist');

function newestSource(): number {
  const walk = (dir: string): number => Math.max(0, ...readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  const top = ['index.html', 'vite.config.ts'].map((f) => join(WEB_ROOT, f)).filter(existsSync).map((f) => statSync(f).mtimeMs);
  return Math.max(walk(join(WEB_ROOT, 'src')), ...(existsSync(join(WEB_ROOT, 'public')) ? [walk(join(WEB_ROOT, 'public'))] : []), ...top);
}

export type WebBundleState = 'fresh' | 'missing' | 'stale' | 'no-sources';

export function webBundleState(): WebBundleState {
  if (!existsSync(join(WEB_ROOT, 'src'))) return 'no-sources';
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return 'missing';
  return statSync(index).mtimeMs >= newestSource() ? 'fresh' : 'stale';
}

/**
 * Makes sure web/dist holds a bundle of the current sources. `say` gets one
 * line when a build happens. Without Vite (an install without dev
 * dependencies) a stale bundle is kept and a missing one is reported.
 */
export async function ensureWebClient(say: (line: string) => void = () => undefined): Promise<void> {
  const state = webBundleState();
  if (state === 'fresh' || state === 'no-sources') return;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    if (state === 'missing') say('The web client is not built and Vite is not installed: run "npm ci" (with dev dependencies) and start again, or "npm run build:web".');
    return;
  }
  say(state === 'missing' ? 'Building the web client (first run, a few seconds)…' : 'Rebuilding the web client (its sources changed)…');
  const tmp = join(WEB_ROOT, `.dist-${process.pid}-${Date.now()}`);
  try {
    await vite.build({ root: WEB_ROOT, configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true } });
    if (webBundleState() === 'fresh') return; // another process finished first
    const old = `${tmp}-old`;
    if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old);
    try { renameSync(tmp, WEB_DIST); } catch { /* another process renamed its build in first */ }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
