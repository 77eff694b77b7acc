// Starting a worker thread, or a child process, on one of our own modules,
// from the compiled .js files or from the .ts sources under tsx. Under tsx a
// new thread does not inherit the loader, so its first code registers it
// before importing the module. One owner for this, so every read thread and
// read process boots the same way, and one in-order pool for both.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData, type WorkerOptions } from 'node:worker_threads';

const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((e) => { setImmediate(() => { throw e; }); });
`;

/**
 * A thread running the module `name` (without extension) beside `from`
 * (the caller's import.meta.url); `data` arrives as its workerData.
 */
export function startModuleThread(from: string, name: string, data: object, options: Omit<WorkerOptions, 'eval' | 'workerData'> = {}): Worker {
  const ts = from.endsWith('.ts');
  const entry = new URL(`./${name}${ts ? '.ts' : '.js'}`, from).href;
  const tsx = ts ? import.meta.resolve('tsx/esm/api') : null;
  return new Worker(BOOT, { ...options, eval: true, workerData: { ...data, entry, tsx } });
}

/** The parent's end of a reader, thread or process: what the pool uses of a Worker. */
export interface Reader {
  /** `transfer`: buffers a thread takes over (a process gets copies). */
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  /** 'message' (the reply), 'error' (an Error), 'exit' (the exit code, or the signal that killed a process). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a Worker's listeners take any
  on(event: 'message' | 'error' | 'exit', listener: (arg: any) => void): unknown;
  removeAllListeners(event: 'exit'): unknown;
  terminate(): unknown;
}

/**
 * A child process running the module `name` beside `from`, as a Reader. For
 * one-off bulk work in a long-running process: everything its reads allocate
 * (SQLite's caches, the allocator's arenas, a V8 heap grown to its peak) goes
 * back to the system when it exits, where a thread's malloc arenas would stay
 * in this process for good (~25 MB each, measured on the search backfill).
 * Messages use the structured-clone serialization threads use. `v8Flags` tune
 * the child's V8 for its work (its heap is its own).
 */
export function startModuleProcess(from: string, name: string, data: object, v8Flags: string[] = []): Reader {
  const ts = from.endsWith('.ts');
  const child = fork(fileURLToPath(new URL(`./${name}${ts ? '.ts' : '.js'}`, from)), [], {
    // Not the parent's own flags (--inspect, --cpu-prof…): only the loader the sources need.
    execArgv: [...(ts ? ['--import', import.meta.resolve('tsx/esm')] : []), ...v8Flags],
    env: { ...process.env, [PROCESS_DATA]: JSON.stringify(data) },
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new ProcessReader(child);
}

const PROCESS_DATA = 'IMB_READER_DATA';

class ProcessReader implements Reader {
  constructor(private readonly child: ChildProcess) {}
  postMessage(message: unknown): void { this.child.send(message as object); }
  on(event: 'message' | 'error' | 'exit', listener: (arg: unknown) => void): this {
    if (event === 'exit') this.child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => listener(code ?? signal ?? 1));
    else this.child.on(event, listener);
    return this;
  }
  removeAllListeners(event: 'exit'): this { this.child.removeAllListeners(event); return this; }
  terminate(): void { this.child.kill(); }
}

/**
 * The reader's end, in the module a thread or a process runs: its data, and
 * the channel to the parent. A process whose parent is gone exits.
 */
export function readerSide<D, M>(): { data: D; onMessage(listener: (m: M) => void): void; post(m: unknown): void } {
  if (parentPort) {
    const port = parentPort;
    return { data: workerData as D, onMessage: (l) => port.on('message', l), post: (m) => port.postMessage(m) };
  }
  process.on('disconnect', () => process.exit(0));
  return {
    data: JSON.parse(process.env[PROCESS_DATA] ?? 'null') as D,
    onMessage: (l) => process.on('message', (m) => l(m as M)),
    post: (m) => process.send!(m),
  };
}

/** How a reader ended: its exit code, or the signal that killed a process. */
export type ReaderExit = number | NodeJS.Signals;

/** A reader's end in words, for an error message: "exit code 1", "killed by SIGKILL". */
export const describeExit = (how: ReaderExit): string => (typeof how === 'number' ? `exit code ${how}` : `killed by ${how}`);

/** What a thread pool's reply means: chunk `id`'s value, or why the read failed. */
export type PoolReply<T> = { id: number; value: T } | { error: Error };

export interface InOrderPool<T, M> {
  /** Chunks 0 … total-1. */
  total: number;
  threads: number;
  /** Chunks each thread may have read ahead of the one being consumed: memory stays bounded. */
  ahead: number;
  start(): Reader;
  /** The message asking a thread for chunk `id`. */
  request(id: number): unknown;
  /** A thread's message, read. */
  receive(message: M, from: Reader): PoolReply<T>;
  /** A thread that exits before the end (its exit code, or a process's signal): the error to fail with, or null when that exit is fine. */
  exited(how: ReaderExit): Error | null;
}

/**
 * Chunks read on worker threads in parallel, yielded strictly in chunk order
 * (the consumer writes them in ROWID order), with at most `ahead` chunks per
 * thread read ahead. Ending the loop early (an error, a stop, `| head`)
 * terminates every thread.
 */
export async function* inOrderFromThreads<T, M>(p: InOrderPool<T, M>): AsyncGenerator<T> {
  const done = new Map<number, T>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => { wake?.(); wake = null; };
  let nextToAssign = 0;
  let nextToYield = 0;
  const idle: Reader[] = [];
  const roomAhead = (): boolean => nextToAssign < p.total && nextToAssign < nextToYield + p.threads * (p.ahead + 1);
  const assign = (w: Reader): void => {
    if (roomAhead()) w.postMessage(p.request(nextToAssign++));
    else idle.push(w);
  };
  const workers: Reader[] = [];
  for (let i = 0; i < Math.min(p.threads, p.total); i++) {
    const w = p.start();
    workers.push(w);
    w.on('message', (m: M) => {
      const r = p.receive(m, w);
      if ('error' in r) failure ??= r.error;
      else { done.set(r.id, r.value); assign(w); }
      notify();
    });
    w.on('error', (e: Error) => { failure ??= e; notify(); });
    w.on('exit', (how: ReaderExit) => { if (nextToYield < p.total) failure ??= p.exited(how); notify(); });
    for (let k = 0; k < p.ahead; k++) assign(w);
  }
  try {
    while (nextToYield < p.total) {
      const value = done.get(nextToYield);
      if (value === undefined) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => { wake = resolve; });
        continue;
      }
      done.delete(nextToYield++);
      // Room ahead again: hand chunks to the threads that were waiting for it.
      while (idle.length > 0 && roomAhead()) assign(idle.shift()!);
      yield value;
    }
  } finally {
    for (const w of workers) { w.removeAllListeners('exit'); void w.terminate(); }
  }
}
