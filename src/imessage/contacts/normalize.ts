// One canonical key per handle, so a contact stored as "(555) 123-4567" matches
// the chat.db handle "+15551234567". Phone numbers become E.164; short codes
// (e.g. "72345") and anything else that is not a possible full number stay as
// their exact digits, so they can never match a longer number by its tail.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Up to this many digits, a number without "+" is a short code, matched exactly. */
const SHORT_CODE_MAX_DIGITS = 6;

export function normalizeHandle(h: string, region: string): string {
  const s = h.trim().replace(/^(?:tel|sms|mailto|imessage):/i, '');
  if (s.includes('@')) return s.toLowerCase();
  const digits = s.replace(/\D/g, '');
  if (digits === '') return s.toLowerCase();
  // Only input that looks like a phone number is treated as one; anything else is kept as typed.
  if (!/^[+\d\s().\-/]+$/.test(s)) return s.toLowerCase();
  const plus = s.startsWith('+') || s.startsWith('00');
  if (!plus && digits.length <= SHORT_CODE_MAX_DIGITS) return digits;
  const parsed = parsePhoneNumberFromString(s.startsWith('00') ? `+${s.slice(2)}` : s, region.toUpperCase() as CountryCode);
  // isPossible (length), not isValid: fictional 555 numbers and new ranges must still match.
  if (parsed?.isPossible()) return parsed.number;
  return plus ? `+${digits}` : digits;
}
