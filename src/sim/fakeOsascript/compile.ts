// A strict "compiler" for the only AppleScript shapes known to work in Messages
// on macOS 13–26 (see shared/notes/macos.md). Anything else fails the way
// osascript would: -2741 syntax errors for unknown statements and for any
// string literal other than "Messages" (a literal user string means a value was
// interpolated into the script, which the bridge must never do).

export type Qualifier = { kind: 'service' | 'account'; serviceType: string };
export type Value = { kind: 'text' | 'file'; item: number };
export type Target =
  | { kind: 'chat'; item: number; of?: Qualifier }
  | { kind: 'participant' | 'buddy'; item: number; of: Qualifier | { kind: 'var'; name: string } };

export type Statement =
  | { kind: 'set'; name: string; value: Qualifier; pos: Span }
  | { kind: 'send'; value: Value; target: Target; pos: Span };

export interface Span { start: number; end: number }
export interface CompileError { osaNumber: number; message: string; pos: Span }
export type Compiled = { ok: true; statements: Statement[] } | { ok: false; error: CompileError };

const ITEM = String.raw`\(?\s*item (\d+) of argv\s*\)?`;
const QUAL = String.raw`(?:1st|first) (service|account) whose service type (?:=|is) (\w+)`;
const SET_RE = new RegExp(`^set (\\w+) to ${QUAL}$`);
const SEND_RE = /^send (.+?) to (.+)$/;
const TEXT_RE = new RegExp(`^${ITEM}$`);
const FILE_RE = new RegExp(`^\\(?\\s*POSIX file ${ITEM}\\s*\\)?$`);
const CHAT_RE = new RegExp(`^chat id ${ITEM}(?: of \\(${QUAL}\\))?$`);
const PERSON_RE = new RegExp(`^(participant|buddy) ${ITEM} of (?:(\\w+)|\\(${QUAL}\\))$`);

const syntax = (message: string, pos: Span): Compiled => ({ ok: false, error: { osaNumber: -2741, message, pos } });

export function compile(script: string): Compiled {
  const lines: { text: string; pos: Span }[] = [];
  let offset = 0;
  for (const raw of script.split('\n')) {
    const text = raw.replace(/\s+/g, ' ').trim();
    const lead = raw.length - raw.trimStart().length;
    if (text !== '' && !text.startsWith('--')) lines.push({ text, pos: { start: offset + lead, end: offset + raw.trimEnd().length } });
    offset += raw.length + 1;
  }
  const all: Span = { start: 0, end: script.length };

  // Literal strings: only the application name may appear in the text of a script.
  const literal = /"((?:[^"\\]|\\.)*)"/g;
  for (let m = literal.exec(script); m; m = literal.exec(script)) {
    if (m[1] !== 'Messages') {
      return syntax(`Expected expression but found “"”. (a literal string "${(m[1] ?? '').slice(0, 40)}" was interpolated into the script; values must come from argv)`, { start: m.index, end: m.index + m[0].length });
    }
  }
  if (/\bparticipant \w+ handle\b/.test(script)) return syntax('Expected end of line but found “handle”.', all);
  // Building values by concatenation is how interpolated scripts look; the known shapes never do it.
  const amp = script.indexOf('&');
  if (amp >= 0) return syntax('Expected end of line but found “&”. (values must come from argv, not be concatenated)', { start: amp, end: amp + 1 });

  const first = lines[0];
  const last = lines[lines.length - 1];
  if (!first || first.text !== 'on run argv' || !last || last.text !== 'end run') {
    return syntax('Expected “on run argv” … “end run”: values must arrive through argv.', first?.pos ?? all);
  }
  const tellOpen = lines[1];
  const tellClose = lines[lines.length - 2];
  if (!tellOpen || tellOpen.text !== 'tell application "Messages"' || !tellClose || tellClose.text !== 'end tell' || lines.length < 5) {
    return syntax('Expected “tell application "Messages"” … “end tell”.', tellOpen?.pos ?? all);
  }

  const statements: Statement[] = [];
  for (const line of lines.slice(2, -2)) {
    const s = statement(line.text, line.pos);
    if ('ok' in s) return s;
    statements.push(s);
  }
  if (!statements.some((s) => s.kind === 'send')) return syntax('Expected a “send” statement.', all);
  return { ok: true, statements };
}

function statement(text: string, pos: Span): Statement | Compiled {
  const set = SET_RE.exec(text);
  if (set) return { kind: 'set', name: set[1] ?? '', value: { kind: set[2] as 'service' | 'account', serviceType: set[3] ?? '' }, pos };
  const send = SEND_RE.exec(text);
  if (!send) return syntax(`Expected end of line, etc. but found identifier (“${text.split(' ')[0] ?? ''}”).`, pos);
  const v = value(send[1] ?? '');
  if (!v) return syntax(`Expected expression but found “${send[1] ?? ''}”.`, pos);
  const t = target(send[2] ?? '');
  // Compiles, but Messages cannot handle a send to this: -1708 at run time.
  if (!t) return { kind: 'send', value: v, target: { kind: 'chat', item: -1 }, pos };
  return { kind: 'send', value: v, target: t, pos };
}

function value(text: string): Value | null {
  const t = TEXT_RE.exec(text);
  if (t) return { kind: 'text', item: Number(t[1]) };
  const f = FILE_RE.exec(text);
  if (f) return { kind: 'file', item: Number(f[1]) };
  return null;
}

function target(text: string): Target | null {
  const c = CHAT_RE.exec(text);
  if (c) {
    const item = Number(c[1]);
    return c[2] ? { kind: 'chat', item, of: { kind: c[2] as 'service' | 'account', serviceType: c[3] ?? '' } } : { kind: 'chat', item };
  }
  const p = PERSON_RE.exec(text);
  if (!p) return null;
  const kind = p[1] as 'participant' | 'buddy';
  const of = p[3] ? { kind: 'var' as const, name: p[3] } : { kind: p[4] as 'service' | 'account', serviceType: p[5] ?? '' };
  return { kind, item: Number(p[2]), of };
}
