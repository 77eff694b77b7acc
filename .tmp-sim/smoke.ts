import { MessagesSimulator } from '/work/main/src/sim/simulator.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeTypedstreamText } from '/work/main/src/imessage/db/text.ts';
for (const version of ['el-capitan','high-sierra','catalina','big-sur','monterey','ventura','sonoma','sequoia','tahoe'] as const) {
  const dir = mkdtempSync(join(tmpdir(), 'sim-'));
  const sim = MessagesSimulator.create({ dir, version });
  const c = sim.addChat({ participants: ['+15551234567'] });
  const g = sim.addChat({ participants: ['+15551234567', 'a@b.com'], displayName: 'Fam' });
  const m = sim.receive(c, { from: '+15551234567', text: 'hi 👋🏽 שלום', attachments: [{ name: 'IMG_1.jpg' }] });
  const s = sim.sendFromMe(g, { text: 'yo' });
  try { sim.tapback(c, { target: m.guid, type: 'love', from: '+15551234567' }); } catch (e) { console.log(version, (e as Error).message); }
  try { sim.edit(s.guid, 'yo!'); sim.unsend(m.guid, { part: 0 }); } catch (e) { console.log(version, (e as Error).message); }
  sim.groupEvent(g, { type: 'renamed', name: 'New', actor: 'a@b.com' });
  sim.close();
  const db = new Database(sim.dbPath, { readonly: true });
  const rows = db.prepare('select ROWID, guid, text, attributedBody, date, is_from_me, handle_id from message').all() as any[];
  console.log(version, c.guid, g.guid, rows.map(r => [r.ROWID, r.text, r.attributedBody ? decodeTypedstreamText(r.attributedBody) : null, String(r.date).length]));
}
