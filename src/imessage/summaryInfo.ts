// message_summary_info: the per-part edit and unsend record of a message, a
// property list (binary on every real database seen; XML is accepted too).
//   ec  { "<part>": [{ t: typedstream, d: seconds }, …] }  history, original first
//   ep  [part…]  edited parts        rp  [part…]  unsent (retracted) parts
//   otr { "<part>": { lo, le } }     part ranges (tells how many parts exist)
import bplist from 'bplist-parser';
import plist from 'plist';
import { appleSecondsToEpochMs } from './dates.ts';
import { decodeTypedstreamText } from './db/text.ts';

export type PartStatus = 'original' | 'edited' | 'unsent';

export interface PartSummary {
  status: PartStatus;
  /** Every text of an edited part, oldest first; the last is the current one. */
  history?: string[];
  /** Epoch ms of each history entry. */
  historyDates?: number[];
}

export interface SummaryInfo { parts: PartSummary[]; warnings: string[] }

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

function parsePlist(buf: Uint8Array): unknown {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.subarray(0, 6).toString('latin1') === 'bplist') return bplist.parseBuffer(b)[0];
  const xml = b.toString('utf8');
  // Only hand XML-looking text to the XML parser (it logs on anything else).
  if (!/^\uFEFF?\s*<(\?xml|!DOCTYPE plist|plist)/.test(xml)) throw new Error('neither a binary nor an XML plist');
  return plist.parse(xml);
}

function partIndexes(v: unknown): number[] {
  if (Array.isArray(v)) return v.map(Number).filter((n) => Number.isInteger(n) && n >= 0 && n < 10_000);
  if (isDict(v)) return partIndexes(Object.keys(v));
  return [];
}

function toBytes(v: unknown): Uint8Array | null {
  if (v instanceof Uint8Array) return v;
  // The XML parser returns base64 <data> already as a Buffer; a string here means a foreign shape.
  return null;
}

/** Parse a summary-info blob; never throws (a bad blob yields no parts and a warning). */
export function parseSummaryInfo(buf: Uint8Array | null): SummaryInfo {
  if (!buf || buf.length === 0) return { parts: [], warnings: [] };
  let root: unknown;
  try {
    root = parsePlist(buf);
  } catch (e) {
    return { parts: [], warnings: [`message_summary_info is not a property list (${e instanceof Error ? e.message : String(e)})`] };
  }
  if (!isDict(root)) return { parts: [], warnings: ['message_summary_info is not a dictionary'] };
  const warnings: string[] = [];
  const edited = isDict(root.ec) ? root.ec : {};
  const unsent = new Set(partIndexes(root.rp));
  const count = Math.max(-1, ...partIndexes(root.otr), ...partIndexes(edited), ...partIndexes(root.ep), ...unsent) + 1;
  const parts: PartSummary[] = [];
  for (let i = 0; i < count; i++) {
    if (unsent.has(i)) { parts.push({ status: 'unsent' }); continue; }
    const entries = edited[String(i)];
    if (!Array.isArray(entries) || entries.length === 0) { parts.push({ status: 'original' }); continue; }
    const history: string[] = [];
    const historyDates: number[] = [];
    for (const entry of entries) {
      const bytes = isDict(entry) ? toBytes(entry.t) : null;
      if (!bytes) { warnings.push(`edit history of part ${i} has an entry without text`); continue; }
      const d = decodeTypedstreamText(bytes);
      if ('error' in d) { warnings.push(`edit history of part ${i} could not be decoded (${d.error})`); continue; }
      history.push(d.text);
      const secs = isDict(entry) && typeof entry.d === 'number' ? entry.d : null;
      historyDates.push(secs === null ? 0 : appleSecondsToEpochMs(secs));
    }
    parts.push({ status: 'edited', history, historyDates });
  }
  return { parts, warnings };
}

/** The earlier texts of every edited part, oldest first, current texts excluded. */
export function earlierTexts(info: SummaryInfo): string[] {
  const out: string[] = [];
  for (const p of info.parts) if (p.history && p.history.length > 1) out.push(...p.history.slice(0, -1));
  return out;
}

export function retractedParts(info: SummaryInfo): number[] {
  const out: number[] = [];
  info.parts.forEach((p, i) => { if (p.status === 'unsent') out.push(i); });
  return out;
}
