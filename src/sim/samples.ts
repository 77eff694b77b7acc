// Sample conversations for `demo`: a 1:1 iMessage chat, an SMS chat and a
// named group, with attachments, tapbacks, a reply and an edit, plus the
// matching Contacts entries; and a live chatter that keeps messages coming.
import { createAddressBook, messyPhoneFormats } from './addressBook.ts';
import type { SimChat } from './chats.ts';
import type { MessagesSimulator } from './simulator.ts';
import { atLeast } from './versions.ts';

export const SAMPLE_PEOPLE = {
  ada: { handle: '+15551230001', first: 'Ada', last: 'Lovelace' },
  grace: { handle: 'grace@example.com', first: 'Grace', last: 'Hopper' },
  alan: { handle: '+15551230003', first: 'Alan', last: 'Turing' },
  pizza: { handle: '+15551230004', organization: "Tony's Pizza" },
} as const;

export interface SampleChats { ada: SimChat; pizza: SimChat; group: SimChat }

const minutesAgo = (m: number): Date => new Date(Date.now() - m * 60_000);

export function seedSampleConversations(sim: MessagesSimulator): SampleChats {
  const p = SAMPLE_PEOPLE;
  createAddressBook(sim.home, [
    { first: p.ada.first, last: p.ada.last, phones: [messyPhoneFormats(p.ada.handle)[0]!] },
    { first: p.grace.first, last: p.grace.last, emails: [p.grace.handle] },
    { first: p.alan.first, last: p.alan.last, nickname: 'Al', phones: [messyPhoneFormats(p.alan.handle)[1]!] },
  ]);
  createAddressBook(sim.home, [{ organization: p.pizza.organization, phones: ['555-123-0004'] }], { source: 'B8E2A1F0-7C3D-4E5F-9A6B-1C2D3E4F5A6B' });
  const modern = atLeast(sim.version, 'ventura');

  const ada = sim.addChat({ participants: [p.ada.handle] });
  const hi = sim.receive(ada, { from: p.ada.handle, text: 'Are we still on for the analytical engine demo? 🧮', date: minutesAgo(55) });
  const yes = sim.sendFromMe(ada, { text: 'Yes! Bringing the punch cards', date: minutesAgo(54) });
  if (atLeast(sim.version, 'high-sierra')) sim.tapback(ada, { from: p.ada.handle, target: yes.guid, type: 'love' });
  sim.receive(ada, { from: p.ada.handle, text: 'Here is the plan', attachments: [{ name: 'IMG_4021.jpeg', bytes: 24_000 }], date: minutesAgo(50) });
  if (atLeast(sim.version, 'big-sur')) sim.sendFromMe(ada, { text: 'Perfect, see you at 7', replyTo: { guid: hi.guid }, date: minutesAgo(49) });
  if (modern) sim.edit(yes.guid, 'Yes! Bringing the punch cards 🃏');

  const pizza = sim.addChat({ participants: [p.pizza.handle], service: 'SMS' });
  sim.receive(pizza, { from: p.pizza.handle, text: 'Your order #4417 is out for delivery 🍕', date: minutesAgo(30) });
  sim.sendFromMe(pizza, { text: 'Thanks!', date: minutesAgo(29) });

  const group = sim.addChat({ participants: [p.grace.handle, p.alan.handle], displayName: 'Compiler club' });
  sim.receive(group, { from: p.grace.handle, text: 'Found a bug. An actual moth. 🦋', date: minutesAgo(20) });
  const voice = sim.receive(group, { from: p.alan.handle, attachments: [{ name: 'Audio Message.caf', bytes: 8_000 }], date: minutesAgo(18) });
  if (atLeast(sim.version, 'high-sierra')) sim.tapback(group, { from: p.grace.handle, target: voice.guid, type: 'laugh' });
  sim.sendFromMe(group, { text: 'שלום and こんにちは to the club 👋🏽', date: minutesAgo(10) });
  if (atLeast(sim.version, 'high-sierra')) sim.urlPreview(group, { from: p.alan.handle, url: 'https://example.com/on-computable-numbers' });
  return { ada, pizza, group };
}

const CHATTER = ['ok 👍', 'On my way', 'Did you see this?', 'haha 😂', 'Can you call me?', 'Running 5 min late', 'מה נשמע?', 'Dinner at 8?', '🎉🎉🎉', 'Sounds good'];

/**
 * Keep adding incoming messages every `intervalMs` to the sample chats (found
 * by handle, or the ones passed in); returns stop().
 */
export function startLiveChatter(sim: MessagesSimulator, o: { intervalMs: number; chats?: SampleChats }): () => void {
  const p = SAMPLE_PEOPLE;
  const plan: [() => SimChat | null, string][] = [
    [() => o.chats?.ada ?? sim.findChat(p.ada.handle), p.ada.handle],
    [() => o.chats?.pizza ?? sim.findChat(p.pizza.handle), p.pizza.handle],
    [() => o.chats?.group ?? null, p.grace.handle],
  ];
  let n = 0;
  const timer = setInterval(() => {
    const [find, from] = plan[n % plan.length]!;
    const chat = find() ?? sim.findChat(p.ada.handle);
    if (chat) sim.receive(chat, { from: chat.participants.includes(from) ? from : chat.participants[0]!, text: CHATTER[n % CHATTER.length]! });
    n++;
  }, o.intervalMs);
  return () => clearInterval(timer);
}
