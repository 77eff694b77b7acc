// What the demo shows on top of the simulator's sample chats: real photos, a
// voice message, an unsent message, a group event, delivery/read receipts and
// a conversation spanning several days, so the web client has everything to
// show. Written through the simulator like Messages would write it.
import { readFileSync, writeFileSync } from 'node:fs';
import { createAddressBook } from '../sim/addressBook.ts';
import { SAMPLE_PEOPLE, seedSampleConversations, type SampleChats } from '../sim/samples.ts';
import type { MessagesSimulator, SimAttachmentSpec, SimChat } from '../sim/simulator.ts';

const asset = (name: string): Buffer => readFileSync(new URL(`./assets/${name}`, import.meta.url));

/** Demo photos: real JPEGs, and a real HEIC (the API serves it converted to JPEG, src/media). */
export const demoPhoto = (name: 'IMG_4021.jpeg' | 'IMG_5530.jpeg' | 'IMG_6001.HEIC'): SimAttachmentSpec =>
  (name.endsWith('.HEIC') ? { name, mime: 'image/heic', uti: 'public.heic', bytes: asset(name) } : { name, bytes: asset(name) });

/** A small real PDF: a file that is neither picture nor sound, shown as a chip. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
export const demoPdf = (): SimAttachmentSpec => ({ name: 'Trajectory notes.pdf', mime: 'application/pdf', uti: 'com.adobe.pdf', bytes: PDF });
/**
 * A voice message the browser can play (AAC). Messages writes `.caf`, which
 * browsers can't play; until the API converts those, the client offers them as
 * a download. Its name is what marks it as a voice message for the client.
 */
export const demoVoice = (): SimAttachmentSpec => ({ name: 'Audio Message.m4a', bytes: asset('Audio Message.m4a') });

export const KATHERINE = { handle: '+15551230005', first: 'Katherine', last: 'Johnson' } as const;

export interface DemoChats extends SampleChats { alan: SimChat }

/** A local time `days` days ago at hh:mm (the long conversation spans several days). */
function at(days: number, hh: number, mm: number): Date {
  const d = new Date();
  d.setDate(d.getDate() - days);
  d.setHours(hh, mm, 0, 0);
  return d;
}

// [days ago, hh, mm, from Alan?, text, attachment?]
type Line = [number, number, number, boolean, string, SimAttachmentSpec?];
const HISTORY: Line[] = [
  [6, 9, 12, true, 'Morning! Did the bombe parts arrive?'],
  [6, 9, 14, false, 'Two of three crates. The rotors are still at the depot.'],
  [6, 9, 15, true, 'Typical. I will cycle over after lunch.'],
  [6, 18, 40, true, 'Got them. Heavier than expected 😅'],
  [5, 7, 55, false, 'Going for a run before work?'],
  [5, 7, 58, true, '20 miles today. The marathon trial is in three weeks.'],
  [5, 8, 1, false, 'You are mad. Brilliant, but mad.'],
  [5, 12, 30, true, 'Lunch view from the hut', demoPhoto('IMG_5530.jpeg')],
  [5, 12, 33, false, 'Looks freezing'],
  [4, 20, 5, true, 'Question for you: can a machine think?'],
  [4, 20, 7, false, 'Depends what you mean by think'],
  [4, 20, 9, true, 'Exactly my point. I am writing it up as a game.'],
  [4, 20, 10, true, 'An interrogator, two hidden players, typed answers only.'],
  [4, 20, 14, false, 'So if nobody can tell which is the machine…'],
  [4, 20, 15, true, 'Then we should stop asking the question the old way.'],
  [3, 10, 2, false, 'Sunrise on the way in', demoPhoto('IMG_4021.jpeg')],
  [3, 10, 20, true, 'Gorgeous. Save me a seat at the meeting'],
  [2, 16, 45, true, 'Chess tonight? I wrote the rules out on paper, we can play it by hand'],
  [2, 16, 50, false, 'A paper machine! Count me in ♟️'],
  [2, 22, 10, true, 'It lost in 29 moves. Still counts as a first.'],
  [1, 8, 30, false, 'Reading your draft now: "Computing Machinery and Intelligence"'],
  [1, 8, 41, false, 'The objections section is great. Lady Lovelace would have something to say'],
  [1, 8, 44, true, 'She already did, I quote her!'],
];

/** The simulator's sample chats plus the demo's own content; returns every chat. */
export function seedDemoContent(sim: MessagesSimulator): DemoChats {
  const p = SAMPLE_PEOPLE;
  // Alan's long conversation first, so rowids follow the dates like in chat.db.
  const alan = sim.addChat({ participants: [p.alan.handle] });
  for (const [days, hh, mm, fromAlan, text, file] of HISTORY) {
    const o = { text, date: at(days, hh, mm), ...(file ? { attachments: [file] } : {}) };
    // The history is old news: read on the Mac, so only today's lines count as unread.
    if (fromAlan) sim.markRead(sim.receive(alan, { from: p.alan.handle, ...o }).guid); else sim.sendFromMe(alan, o);
  }
  const chats = seedSampleConversations(sim);
  realPhotoForSample(sim);

  const minutesAgo = (m: number): Date => new Date(Date.now() - m * 60_000);
  sim.receive(alan, { from: p.alan.handle, text: 'Listen to this 🎤', date: minutesAgo(42) });
  sim.receive(alan, { from: p.alan.handle, attachments: [demoVoice()], date: minutesAgo(41) });
  const oops = sim.sendFromMe(alan, { text: 'Sending you the wrong draft, ignore', date: minutesAgo(40) });
  sim.unsend(oops.guid);
  const last = sim.sendFromMe(alan, { text: 'Here is the right one, see you Thursday', date: minutesAgo(39) });
  sim.markRead(last.guid);
  sim.tapback(alan, { from: p.alan.handle, target: last.guid, type: 'love' });

  // Katherine: a HEIC photo from the iPhone and a PDF, a few days ago.
  const katherine = sim.addChat({ participants: [KATHERINE.handle] });
  sim.receive(katherine, { from: KATHERINE.handle, text: 'The trajectory numbers check out.', attachments: [demoPdf()], date: at(3, 15, 20) });
  sim.sendFromMe(katherine, { text: 'Thank you! Photo of the launch pad?', date: at(3, 15, 24) });
  sim.receive(katherine, { from: KATHERINE.handle, attachments: [demoPhoto('IMG_6001.HEIC')], date: at(3, 15, 31) });

  createAddressBook(sim.home, [{ first: KATHERINE.first, last: KATHERINE.last, phones: [KATHERINE.handle] }], { source: '5C0FFEE0-1D2B-4C3D-8E9F-A0B1C2D3E4F5' });
  sim.groupEvent(chats.group, { type: 'member_added', actor: p.grace.handle, handle: KATHERINE.handle });
  return { ...chats, alan };
}

/**
 * The sample's "Here is the plan" photo is placeholder bytes; give it a real
 * JPEG so the client shows a picture. (A `bytes` option on the sim's samples
 * would make this unnecessary.)
 */
function realPhotoForSample(sim: MessagesSimulator): void {
  const bytes = asset('IMG_4021.jpeg');
  const rows = sim.db.prepare("SELECT ROWID AS id, filename FROM attachment WHERE transfer_name = 'IMG_4021.jpeg'").all() as { id: number; filename: string }[];
  for (const r of rows) {
    writeFileSync(r.filename.replace(/^~\//, `${sim.home}/`), bytes);
    sim.db.prepare('UPDATE attachment SET total_bytes = ? WHERE ROWID = ?').run(bytes.length, r.id);
  }
}
