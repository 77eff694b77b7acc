// Webhook usernames must be 1–80 characters, must not contain "clyde" or
// "discord", and must not be "everyone" or "here" — otherwise Discord refuses
// the whole message (50035). Contact names are arbitrary, so clean them here.
const FORBIDDEN = /clyde|discord/gi;
const CONTAINS_FORBIDDEN = /clyde|discord/i;

export function sanitizeWebhookUsername(name: string, fallback = 'iMessage'): string {
  // Collapse whitespace and control chars; Discord trims and rejects empties.
  let s = name.replace(/[\p{Cc}\p{Cf}]/gu, '').replace(/\s+/g, ' ').trim();
  // Break forbidden words with a lookalike instead of deleting (names stay readable).
  for (let i = 0; i < 3 && CONTAINS_FORBIDDEN.test(s); i++) {
    s = s.replace(FORBIDDEN, (w) => w[0] + '\u0335' + w.slice(1)); // combining stroke after 1st letter
  }
  s = s.replace(/[@#:]|```/g, (c) => (c === '```' ? "'''" : c === '@' ? '＠' : c === '#' ? '＃' : '：'));
  const lower = s.toLowerCase();
  if (lower === 'everyone' || lower === 'here') s = `${s}.`;
  // Cut at 80 UTF-16 units without splitting a surrogate pair.
  let cut = '';
  for (const ch of s) { if (cut.length + ch.length > 80) break; cut += ch; }
  s = cut.trim();
  if (s.length === 0) return fallback;
  return s;
}
