// The parent side of messagesProcess.ts: one "Messages" process per test.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

export class MessagesApp {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(line: string) => void> = [];

  private constructor(simDir: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'messagesProcess.ts'), simDir], { stdio: 'pipe' });
    createInterface({ input: this.child.stdout }).on('line', (l) => this.waiting.shift()?.(l));
    this.child.stderr.on('data', (d: Buffer) => process.stderr.write(`[messages] ${d.toString()}`));
  }

  /** Start the process and open chat.db in it. */
  static async start(simDir: string): Promise<MessagesApp> {
    const app = new MessagesApp(simDir);
    await app.call('open');
    return app;
  }

  async call<T = unknown>(line: string): Promise<T> {
    const answer = new Promise<string>((resolve) => this.waiting.push(resolve));
    this.child.stdin.write(`${line}\n`);
    const a = await answer;
    if (!a.startsWith('ok ')) throw new Error(`messages process: ${a}`);
    return JSON.parse(a.slice(3)) as T;
  }

  receive(chat: string, from: string, text: string): Promise<string> { return this.call<string>(`receive ${chat} ${from} ${text}`); }
  tapback(chat: string, from: string, target: string): Promise<string> { return this.call<string>(`tapback ${chat} ${from} ${target}`); }
  /** Quit: checkpoint and close chat.db. `last`: -wal/-shm are gone afterwards, as after a last close. Says what SQLite itself removed. */
  close(o: { last?: boolean } = {}): Promise<{ wal: boolean; shm: boolean }> { return this.call(o.last ? 'close last' : 'close'); }
  reopen(): Promise<void> { return this.call('open'); }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin.end();
    await exited;
  }
}
