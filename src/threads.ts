// Starting a worker thread on one of our own modules, from the compiled .js
// files or from the .ts sources under tsx. Under tsx a new thread does not
// inherit the loader, so its first code registers it before importing the
// module. One owner for this, so every read thread boots the same way.
import { Worker, type WorkerOptions } from 'node:worker_threads';

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

/** What a thread pool's reply means: chunk `id`'s value, or why the read failed. */
export type PoolReply<T> = { id: number; value: T } | { error: Error };

export interface InOrderPool<T, M> {
  /** Chunks 0 … total-1. */
  total: number;
  threads: number;
  /** Chunks each thread may have read ahead of the one being consumed: memory stays bounded. */
  ahead: number;
  start(): Worker;
  /** The message asking a thread for chunk `id`. */
  request(id: number): unknown;
  /** A thread's message, read. */
  receive(message: M, from: Worker): PoolReply<T>;
  /** A thread that exits before the end: the error to fail with, or null when that exit is fine. */
  exited(code: number): Error | null;
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
  const idle: Worker[] = [];
  const roomAhead = (): boolean => nextToAssign < p.total && nextToAssign < nextToYield + p.threads * (p.ahead + 1);
  const assign = (w: Worker): void => {
    if (roomAhead()) w.postMessage(p.request(nextToAssign++));
    else idle.push(w);
  };
  const workers: Worker[] = [];
  for (let i = 0; i < Math.min(p.threads, p.total); i++) {
    const w = p.start();
    workers.push(w);
    w.on('message', (m: M) => {
      const r = p.receive(m, w);
      if ('error' in r) failure ??= r.error;
      else { done.set(r.id, r.value); assign(w); }
      notify();
    });
    w.on('error', (e) => { failure ??= e; notify(); });
    w.on('exit', (code) => { if (nextToYield < p.total) failure ??= p.exited(code); notify(); });
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
