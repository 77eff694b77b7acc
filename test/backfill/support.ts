// The conversation every backfill test starts from: 30 earlier messages, a
// tapback on one, an edit of another, a third unsent, over the past hours.
import type { MessagesSimulator, SimChat } from '../../src/sim/simulator.ts';
import { toAppleDate } from '../../src/sim/appleTime.ts';

export const HISTORY = 30;
export const TAPPED = 4;
export const EDITED = 9;
export const UNSENT = 14;
export const STEP_MS = 7 * 60_000;

export interface Seeded {
  /** Texts as history should show them, oldest first ('' for the unsent one). */
  texts: string[];
  /** Original times (epoch ms, whole seconds), oldest first. */
  dates: number[];
  guids: string[];
}

export function seedHistory(sim: MessagesSimulator, chat: SimChat, from: string, now = Date.now()): Seeded {
  const texts: string[] = [];
  const dates: number[] = [];
  const guids: string[] = [];
  for (let i = 0; i < HISTORY; i++) {
    const date = Math.floor((now - (HISTORY + 2 - i) * STEP_MS) / 1000) * 1000;
    const text = `earlier ${i}`;
    const m = i % 3 === 2 ? sim.sendFromMe(chat, { text, date: new Date(date) }) : sim.receive(chat, { from, text, date: new Date(date) });
    texts.push(text);
    dates.push(date);
    guids.push(m.guid);
  }
  const mine = (i: number) => i % 3 === 2;
  sim.tapback(chat, { target: guids[TAPPED]!, type: 'love', ...(mine(TAPPED) ? { from } : {}) });
  sim.edit(guids[EDITED]!, 'earlier 9 (fixed)');
  texts[EDITED] = 'earlier 9 (fixed)';
  sim.unsend(guids[UNSENT]!);
  texts[UNSENT] = '';
  // They happened back then too (not just now, inside the watcher's change window).
  backdate(sim, guids[EDITED]!, 'date_edited', dates[EDITED]! + 60_000);
  backdate(sim, guids[UNSENT]!, 'date_retracted', dates[UNSENT]! + 60_000);
  backdate(sim, guids[UNSENT]!, 'date_edited', dates[UNSENT]! + 60_000); // Messages moves it with an unsend
  return { texts, dates, guids };
}

function backdate(sim: MessagesSimulator, guid: string, column: 'date_edited' | 'date_retracted', at: number): void {
  const now = sim.db.prepare(`SELECT ${column} FROM message WHERE guid = ?`).pluck().get(guid) as number | bigint;
  const unit = BigInt(now) > 1_000_000_000_000n ? 'ns' : 's';
  sim.db.prepare(`UPDATE message SET ${column} = ? WHERE guid = ?`).run(toAppleDate(at, unit), guid);
}
