// Edits and unsends change the existing row, never add one: the body is
// rewritten, date_edited / date_retracted set, and message_summary_info
// records the history (`ec`, `ep`), the unsent parts (`rp`) and the original
// part ranges (`otr`).
import { encodeAttributedBody } from '../imessage/typedstream/index.ts';
import { bodyColumns, layout, type BodyPart } from './body.ts';
import { requireColumn, SimulatorError, type SimContext } from './context.ts';
import { loadMessage, plainText, type StoredMessage } from './lookup.ts';
import { nowDate } from './messages.ts';
import { readSummary, writeSummary, type SummaryState } from './summaryInfo.ts';
import { toAppleSeconds } from './appleTime.ts';

/** The parts still shown, with their original indexes. */
function liveParts(m: StoredMessage, s: SummaryState): BodyPart[] {
  const a = m.attachmentGuids.length;
  const text = plainText(m);
  const count = s.otr?.length ?? a + (text === '' ? 0 : 1);
  const out: BodyPart[] = [];
  for (let i = 0; i < count; i++) {
    if (s.rp.includes(i)) continue;
    out.push(i < a ? { kind: 'attachment', guid: m.attachmentGuids[i] ?? '', index: i } : { kind: 'text', text, index: i });
  }
  return out;
}

function storedSeconds(ctx: SimContext, date: bigint): number {
  return ctx.traits.dateUnit === 'ns' ? Number(date) / 1e9 : Number(date);
}

function rewrite(ctx: SimContext, m: StoredMessage, parts: BodyPart[], s: SummaryState, stamp: Record<string, bigint>): void {
  const laid = layout(parts);
  ctx.t.message.update(m.rowid, { ...bodyColumns(ctx.traits, laid), message_summary_info: writeSummary(s), ...stamp });
}

export function editMessage(ctx: SimContext, guid: string, newText: string, part?: number): void {
  requireColumn(ctx, 'message', 'date_edited', 'editing a message');
  if (newText === '') throw new SimulatorError('bad_input', 'an edit needs non-empty text', 'To remove a message, use unsend(guid).');
  ctx.db.transaction(() => {
    const m = loadMessage(ctx, guid);
    const s = readSummary(m.summaryInfo);
    const parts = liveParts(m, s);
    s.otr ??= layout(parts).ranges;
    const p = part ?? m.attachmentGuids.length;
    const target = parts.find((x) => x.index === p);
    if (!target || target.kind !== 'text') {
      throw new SimulatorError('bad_input', `part ${p} of ${guid} is not a text part that can be edited`, 'Edit the text part (the default) of a message that has text and was not unsent.');
    }
    const history = s.ec.get(p) ?? [{ t: encodeAttributedBody(target.text, { runs: [{ start: 0, length: target.text.length, part: p }] }), d: storedSeconds(ctx, m.date) }];
    history.push({ t: encodeAttributedBody(newText, { runs: [{ start: 0, length: newText.length, part: p }] }), d: toAppleSeconds(Date.now()) });
    s.ec.set(p, history);
    if (!s.ep.includes(p)) s.ep.push(p);
    rewrite(ctx, m, parts.map((x) => (x.index === p ? { kind: 'text', text: newText, index: p } : x)), s, { date_edited: nowDate(ctx) });
  })();
}

/** Unsend one part, or the whole message when `part` is omitted (the body is then emptied). */
export function unsendMessage(ctx: SimContext, guid: string, part?: number): void {
  requireColumn(ctx, 'message', 'date_retracted', 'unsending a message');
  ctx.db.transaction(() => {
    const m = loadMessage(ctx, guid);
    const s = readSummary(m.summaryInfo);
    const parts = liveParts(m, s);
    s.otr ??= layout(parts).ranges;
    const gone = part === undefined ? parts.map((x) => x.index ?? 0) : [part];
    for (const p of gone) {
      if (!parts.some((x) => x.index === p)) throw new SimulatorError('bad_input', `part ${p} of ${guid} does not exist or was already unsent`, 'Pass a part index shown in the message.');
      s.rp.push(p);
    }
    // Like Messages, an unsend also moves date_edited (bridges must not take it for an edit).
    const now = nowDate(ctx);
    rewrite(ctx, m, parts.filter((x) => !gone.includes(x.index ?? 0)), s, { date_retracted: now, ...(ctx.t.message.has('date_edited') ? { date_edited: now } : {}) });
  })();
}
