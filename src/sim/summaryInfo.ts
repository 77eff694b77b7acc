// message_summary_info as Messages writes it when a message is edited or
// unsent (see test/fixtures/edited_message): a binary plist with
//   ec  { "<part>": [{ t: typedstream, d: float seconds }, …] }  original first
//   ep  [edited parts]   rp  [unsent parts]
//   otr { "<part>": { lo, le } }  the ORIGINAL part ranges, never rewritten
// plus `amc` and `ust`, present on every modern row.
import bplist from 'bplist-parser';
import { PlistReal, writeBplist, type PlistValue } from './bplist.ts';

export interface HistoryEntry { t: Buffer; d: number }
export interface SummaryState {
  ec: Map<number, HistoryEntry[]>;
  ep: number[];
  rp: number[];
  otr: { lo: number; le: number }[] | null;
}

/** What Messages stores on an ordinary modern row (Ventura on). */
export const PLAIN_SUMMARY_INFO = writeBplist({ amc: 0, ust: true });

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
const numbers = (v: unknown): number[] => (Array.isArray(v) ? v.filter((n): n is number => typeof n === 'number') : []);

/** Read a summary the simulator (or Messages) wrote; an unreadable one counts as empty. */
export function readSummary(buf: Buffer | null): SummaryState {
  const state: SummaryState = { ec: new Map(), ep: [], rp: [], otr: null };
  if (!buf || buf.length === 0) return state;
  let root: unknown;
  try { root = bplist.parseBuffer(buf)[0]; } catch { return state; }
  if (!isDict(root)) return state;
  if (isDict(root.ec)) {
    for (const [k, entries] of Object.entries(root.ec)) {
      if (!Array.isArray(entries)) continue;
      state.ec.set(Number(k), entries.filter(isDict).map((e) => ({ t: Buffer.from(e.t as Buffer), d: Number(e.d) })));
    }
  }
  state.ep = numbers(root.ep);
  state.rp = numbers(root.rp);
  if (isDict(root.otr)) {
    const otr = root.otr;
    const n = Object.keys(otr).length;
    state.otr = Array.from({ length: n }, (_, i) => {
      const r = otr[String(i)];
      return isDict(r) ? { lo: Number(r.lo), le: Number(r.le) } : { lo: 0, le: 0 };
    });
  }
  return state;
}

export function writeSummary(s: SummaryState): Buffer {
  const root: Record<string, PlistValue> = { amc: 0 };
  if (s.ec.size > 0) {
    const ec: Record<string, PlistValue> = {};
    for (const [part, entries] of [...s.ec].sort((a, b) => a[0] - b[0])) {
      // `d` is a real on every Mac, even for a whole second.
      ec[String(part)] = entries.map((e) => ({ t: e.t, d: new PlistReal(e.d) }));
    }
    root.ec = ec;
  }
  root.ust = true;
  if (s.ep.length > 0) root.ep = [...s.ep].sort((a, b) => a - b);
  if (s.otr) root.otr = Object.fromEntries(s.otr.map((r, i) => [String(i), { lo: r.lo, le: r.le }]));
  if (s.rp.length > 0) root.rp = [...s.rp].sort((a, b) => a - b);
  return writeBplist(root);
}
