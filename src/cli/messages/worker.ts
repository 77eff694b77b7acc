// One read thread of `messages` (see parallel.ts): it reads the ROWID ranges
// it is handed with its own read-only connection, formats every message, and
// sends the range back as UTF-8 bytes whose buffer is transferred, not copied;
// once written, the buffer comes back to be filled again (memory stays flat).
import { parentPort, workerData } from 'node:worker_threads';
import { ChatDb, ChatDbError } from '../../imessage/db/index.ts';
import { formatterFor } from './format.ts';
import { LineBuffer } from './lineBuffer.ts';
import type { ChunkReply, ToWorker, WorkerSetup } from './parallel.ts';

const port = parentPort!;
const setup = workerData as WorkerSetup;
const format = formatterFor(setup.format);
const spares: ArrayBuffer[] = [];
const lines = new LineBuffer(1 << 21, () => spares.pop());
let db: ChatDb | null = null;

function reply(req: { id: number; after: number; before: number | null }): ChunkReply {
  try {
    db ??= ChatDb.open(setup.path, { scan: true });
    let count = 0;
    const range = req.before === null ? { sinceRowid: req.after } : { sinceRowid: req.after, beforeRowid: req.before };
    for (const m of db.iterateMessages(range)) {
      lines.push(format(m));
      count++;
    }
    return { id: req.id, ...lines.detach(), count };
  } catch (e) {
    const err = e as Error;
    return {
      id: req.id,
      error: { message: err.message, ...(e instanceof ChatDbError && { kind: e.kind, advice: e.advice }) },
    };
  }
}

port.on('message', (msg: ToWorker) => {
  if ('recycle' in msg) {
    spares.push(msg.recycle);
    return;
  }
  const r = reply(msg);
  port.postMessage(r, 'buffer' in r ? [r.buffer] : []);
});
