// Messages is sandboxed and reads an attachment only after osascript returns, so
// a file is COPIED into ~/Library/Messages/Attachments/imessage-bridge/<uuid>/
// (the one place it can always read; /tmp fails) and removed a while later.
// Only files inside the allowed folders are accepted, judged after resolving
// symlinks, so neither `../` nor a link can reach anything else.
import { randomUUID } from 'node:crypto';
import { constants as fsc } from 'node:fs';
import { copyFile, mkdir, readdir, realpath, rm, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { fileRefused, SendError } from './errors.ts';

export interface StagerOptions {
  home: string;
  allowedDirs: string[];
  maxBytes: number;
  /** How long a staged copy is kept for Messages to read it (at least 60 s in production). */
  cleanupAfterMs: number;
}

const UUID_DIR = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function stagingRoot(home: string): string {
  return join(home, 'Library', 'Messages', 'Attachments', 'imessage-bridge');
}

/** True when `child` is `dir` itself or lies below it (both already resolved). */
export function isInside(dir: string, child: string): boolean {
  const rel = relative(dir, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** A name Messages will show as the transfer name; never a path. */
export function safeFileName(p: string): string {
  // eslint-disable-next-line no-control-regex
  const name = basename(p).replace(/[\u0000-\u001f/\\:]/g, '_').slice(0, 200);
  return name === '' || name === '.' || name === '..' ? 'file' : name;
}

export class AttachmentStager {
  readonly root: string;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly o: StagerOptions) {
    this.root = stagingRoot(o.home);
  }

  /** Check the file and copy it into the staging folder. Throws SendError('file_refused'). */
  async stage(path: string): Promise<string> {
    const real = await this.check(path);
    const dir = join(this.root, randomUUID());
    await mkdir(dir, { recursive: true });
    const dest = join(dir, safeFileName(path));
    try {
      await copyFile(real, dest, fsc.COPYFILE_EXCL);
      // The file may have grown between the check and the copy.
      if ((await stat(dest)).size > this.o.maxBytes) throw this.tooBig(path);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      if (err instanceof SendError) throw err;
      throw fileRefused(`could not copy ${path} for Messages: ${(err as Error).message}`,
        'Check that the file is readable by the bridge and that the disk has space.');
    }
    return dest;
  }

  /** Remove a staged copy once Messages has had time to read it. */
  scheduleRemoval(staged: string): void {
    const dir = join(staged, '..');
    const t = setTimeout(() => { this.timers.delete(dir); void rm(dir, { recursive: true, force: true }); }, this.o.cleanupAfterMs);
    t.unref();
    this.timers.set(dir, t);
  }

  /** Remove a staged copy now: the send failed before Messages could have taken it. */
  async discard(staged: string): Promise<void> {
    await rm(join(staged, '..'), { recursive: true, force: true });
  }

  /** At startup: remove copies left by an earlier run once they are old enough. */
  async sweep(now = Date.now()): Promise<number> {
    let names: string[];
    try { names = await readdir(this.root); } catch { return 0; }
    let removed = 0;
    for (const name of names) {
      if (!UUID_DIR.test(name)) continue;
      const dir = join(this.root, name);
      try {
        if (now - (await stat(dir)).mtimeMs < this.o.cleanupAfterMs || this.timers.has(dir)) continue;
        await rm(dir, { recursive: true, force: true });
        removed++;
      } catch { /* vanished meanwhile */ }
    }
    return removed;
  }

  /** Stop the timers; copies not yet due are left for the next start's sweep. */
  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private async check(path: string): Promise<string> {
    const allowedHint = `Allowed folders: ${this.o.allowedDirs.join(', ') || '(none configured)'}; add one to imessage.send.allowed_file_dirs.`;
    if (typeof path !== 'string' || path === '' || path.includes('\0')) {
      throw fileRefused('the file path is empty or contains a NUL byte', 'Give the absolute path of an existing file.');
    }
    if (!isAbsolute(path)) throw fileRefused(`the file path must be absolute: ${path}`, 'Give the absolute path of the file (`~` is not expanded).');
    let real: string;
    try { real = await realpath(path); } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw fileRefused(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? 'error'}`, 'Check that the file exists and is readable by the bridge.');
    }
    const roots: string[] = [];
    for (const d of this.o.allowedDirs) {
      try { roots.push(await realpath(d)); } catch { /* a missing folder allows nothing */ }
    }
    if (!roots.some((r) => isInside(r, real))) {
      throw fileRefused(`refusing to send ${path}: it is outside the allowed folders${real !== path ? ` (it resolves to ${real})` : ''}`, allowedHint);
    }
    const st = await stat(real);
    if (!st.isFile()) throw fileRefused(`refusing to send ${path}: not a regular file`, 'Only regular files can be sent.');
    if (st.size > this.o.maxBytes) throw this.tooBig(path);
    return real;
  }

  private tooBig(path: string): SendError {
    return fileRefused(`refusing to send ${path}: larger than ${this.o.maxBytes} bytes`, 'Send a smaller file, or raise imessage.send.max_file_bytes.');
  }
}
