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
