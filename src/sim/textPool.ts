// Realistic message texts for the generator: varied lengths, emoji with skin
// tones and ZWJ sequences, non-BMP characters, combining marks, RTL scripts,
// newlines and links. Bodies are encoded once per text and reused.
import type { Random } from './random.ts';

const WORDS = ('ok sure yes no maybe lol haha omg thanks thank you see you soon tonight tomorrow dinner lunch coffee meeting running late '
  + 'on my way home work call me later did you get it sounds good love that great idea what time where are you the kids are asleep '
  + 'can you pick up milk please remember the tickets happy birthday congrats weekend plans movie game traffic weather rain sunny').split(' ');
const EMOJI = ['😂', '❤️', '👍', '🙏', '🎉', '😭', '🔥', '👋🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🤷‍♀️', '🥲', '🫠', '🇺🇸', '✨', '💯'];
const FOREIGN = ['שלום, מה שלומך?', 'مرحبا كيف حالك', 'こんにちは、元気？', '你好，明天见', 'Привет! Как дела?', 'café crème brûlée', 'naïve résumé',
  'e\u0301 a\u0300 o\u0302 (combining)', '𝓕𝓪𝓷𝓬𝔂 𝕥𝕖𝕩𝕥', '𠜎𠜱𠝹 (CJK ext B)', 'Zalgo t̷̢e̵x̶t̸'];
const LINKS = ['https://example.com/article/42', 'https://maps.apple.com/?q=coffee', 'https://youtu.be/dQw4w9WgXcQ', 'https://github.com/nodejs/node/issues/1'];

function sentence(r: Random): string {
  const n = r.int(1, 14);
  const w: string[] = [];
  for (let i = 0; i < n; i++) w.push(r.pick(WORDS));
  let s = w.join(' ');
  if (r.chance(0.5)) s = s[0]!.toUpperCase() + s.slice(1);
  if (r.chance(0.3)) s += r.pick(['!', '?', '.', '...', '!!']);
  if (r.chance(0.25)) s += ` ${r.pick(EMOJI)}`;
  return s;
}

function text(r: Random): string {
  const kind = r.next();
  if (kind < 0.08) return r.pick(EMOJI) + (r.chance(0.4) ? r.pick(EMOJI) : '');
  if (kind < 0.16) return r.pick(FOREIGN);
  if (kind < 0.2) return `${sentence(r)}\n${sentence(r)}${r.chance(0.3) ? `\n\n${sentence(r)}` : ''}`;
  if (kind < 0.23) return `${sentence(r)} ${r.pick(LINKS)}`;
  if (kind < 0.25) return Array.from({ length: r.int(8, 40) }, () => sentence(r)).join(' ');
  return sentence(r);
}

export function textPool(r: Random, size: number): string[] {
  const out = new Set<string>();
  for (let guard = 0; out.size < size && guard < size * 20; guard++) out.add(text(r));
  return [...out];
}

export const GROUP_NAMES = ['Family', 'Trip planning ✈️', 'Book club 📚', 'Roommates', 'Soccer moms ⚽', 'Work crew', 'الأصدقاء', 'Cousins 👨‍👩‍👧'];
export const APP_BUNDLES = ['com.apple.SafetyMonitorApp.SafetyMonitorMessages', 'com.apple.PassbookUIService.PeerPaymentMessagesExtension', 'com.example.GamePigeon.ext'];
export const LINK_POOL = LINKS;
