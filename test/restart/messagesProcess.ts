// A stand-in for Messages.app as a separate process: it holds chat.db open in
// WAL mode (like Messages), writes rows when told, and closes and reopens its
// connection (a Messages restart). Driven line by line over stdin; answers
// `ok <json>` or `err <message>` on stdout. Run with `node --import tsx`.
import { createInterface } from 'node:readline';
import { existsSync, rmSync } from 'node:fs';
import { MessagesSimulator } from '../../src/sim/simulator.ts';

const dir = process.argv[2]!;
let sim: MessagesSimulator | null = null;
let dbPath = '';

function handle(line: string): unknown {
  const [cmd, ...rest] = line.split(' ');
  switch (cmd) {
    case 'open': sim = MessagesSimulator.open(dir); return null;
    case 'close': {
      // Messages quits: everything checkpointed, then its connection closes.
      sim!.db.pragma('wal_checkpoint(TRUNCATE)');
      sim!.close({ pending: 'now' });
      sim = null;
      // SQLite removes -wal/-shm on the last close when it can lock the file
      // exclusively. On macOS that happens even with the bridge running (its
      // locks were dropped, see the issue); where the bridge's lock held,
      // `last` finishes the job so the bridge sees the same files vanish.
      const removed = { wal: !existsSync(`${dbPath}-wal`), shm: !existsSync(`${dbPath}-shm`) };
      if (rest[0] === 'last') for (const s of ['-wal', '-shm']) rmSync(`${dbPath}${s}`, { force: true });
      return removed;
    }
    case 'receive': {
      const [chat, from, ...text] = rest;
      return sim!.receive(chat!, { from: from!, text: text.join(' ') }).guid;
    }
    case 'tapback': {
      const [chat, from, target] = rest;
      return sim!.tapback(chat!, { from: from!, target: target!, type: 'love' }).guid;
    }
    default: throw new Error(`unknown command ${cmd}`);
  }
}


const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  try {
    const out = handle(line.trim());
    if (sim) dbPath = sim.dbPath;
    process.stdout.write(`ok ${JSON.stringify(out ?? null)}\n`);
  } catch (e) {
    process.stdout.write(`err ${(e as Error).message.replace(/\n/g, ' ')}\n`);
  }
});
rl.on('close', () => { sim?.close({ pending: 'drop' }); process.exit(0); });
