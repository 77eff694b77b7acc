// launchd appends stdout/stderr forever, so the daemon writes its own log file
// and rotates it by size; launchd's files only catch what escapes before that.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';

export interface RotationOptions { dir: string; name?: string; maxBytes?: number; keep?: number }

export class RotatingLog extends Writable {
  private fd: number;
  private size: number;
  readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(o: RotationOptions) {
    super();
    mkdirSync(o.dir, { recursive: true });
    this.file = join(o.dir, o.name ?? 'bridge.log');
    this.maxBytes = o.maxBytes ?? 10 * 1024 * 1024;
    this.keep = o.keep ?? 5;
    this.fd = openSync(this.file, 'a');
    this.size = existsSync(this.file) ? statSync(this.file).size : 0;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    try {
      if (this.size + chunk.length > this.maxBytes && this.size > 0) this.rotate();
      writeSync(this.fd, chunk);
      this.size += chunk.length;
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _final(cb: (err?: Error | null) => void): void {
    closeSync(this.fd);
    cb();
  }

  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    }
    renameSync(this.file, `${this.file}.1`);
    this.fd = openSync(this.file, 'a');
    this.size = 0;
  }
}
