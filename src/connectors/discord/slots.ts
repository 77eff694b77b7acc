// How one iMessage becomes Discord messages: text split to Discord's limit,
// files in groups of ten riding on the last text part. Each planned message
// (a slot) has its own message-map part (parts.ts), written the moment it is
// posted, so a redelivery after a crash posts only the slots that are still missing.
import { attachmentNotice, splitText } from './toDiscord.ts';
import { isTooLarge, type OutFile, type WebhookSender, type WebhookTarget } from './webhookSender.ts';
import { extra, post, type DiscordPart } from './parts.ts';

const MAX_FILES_PER_MESSAGE = 10;

export interface Slot<F extends OutFile = OutFile> { index: number; part: DiscordPart; content: string | undefined; files: F[] }

/** The n-th message a slot needed (n = 0: the slot's own post; more when files Discord refused went one by one). */
export const slotMessagePart = (slot: Slot, n: number): DiscordPart => (n === 0 ? slot.part : extra(slot.index, n));

export function planSlots<F extends OutFile>(text: string, files: F[]): Slot<F>[] {
  const parts = text ? splitText(text) : [];
  const groups: F[][] = [];
  for (let i = 0; i < files.length; i += MAX_FILES_PER_MESSAGE) groups.push(files.slice(i, i + MAX_FILES_PER_MESSAGE));
  const shaped: Array<{ content: string | undefined; files: F[] }> = parts.map((content, i) => ({ content, files: i === parts.length - 1 ? groups.shift() ?? [] : [] }));
  for (const g of groups) shaped.push({ content: undefined, files: g });
  return shaped.map((s, i) => ({ index: i, part: post(i), ...s }));
}

/**
 * Post one slot; `posted` runs after each Discord message (n = 0 for the
 * slot's own) so the caller records it before anything else can fail.
 */
export async function sendSlot(sender: WebhookSender, t: WebhookTarget, username: string, slot: Slot, posted: (id: string, n: number) => void): Promise<string[]> {
  const ids: string[] = [];
  const record = (id: string) => { posted(id, ids.length); ids.push(id); };
  const content = slot.content;
  try {
    record((await sender.execute(t, { ...(content ? { content } : {}), username }, slot.files)).id);
    return ids;
  } catch (e) {
    if (!isTooLarge(e) || slot.files.length === 0) throw e;
  }
  // Discord's real limit can be below ours (boost level): send what fits, one by one, and a notice for the rest.
  const tooLarge: OutFile[] = [];
  let pending = content;
  for (const f of slot.files) {
    try {
      record((await sender.execute(t, { ...(pending ? { content: pending } : {}), username }, [f])).id);
      pending = undefined;
    } catch (e2) {
      if (!isTooLarge(e2)) throw e2;
      tooLarge.push(f);
    }
  }
  const notice = tooLarge.map((f) => attachmentNotice({ transferName: f.name, path: null, part: 0, size: f.data.length }, 'too_large')).join('\n');
  for (const c of splitText([pending, notice].filter(Boolean).join('\n'))) if (c) record((await sender.execute(t, { content: c, username }, [])).id);
  return ids;
}
