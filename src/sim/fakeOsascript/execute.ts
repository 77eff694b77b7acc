// Runs a compiled script the way Messages would: resolves the chat or the
// recipient, then writes the outgoing row into the simulated chat.db.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative } from 'node:path';
import type { Qualifier, Span, Statement, Target } from './compile.ts';
import type { Directive } from './modes.ts';

export interface SimChat { guid: string }
export interface SimAttachment { name: string; mime?: string; bytes?: Buffer }
/** What the fake needs from MessagesSimulator; chats go back to it exactly as it handed them out. */
export interface SimPort<C extends SimChat = SimChat> {
  /** The simulated user's home (the simulator keeps it in sim.json). */
  home?: string;
  findChat(guidOrHandle: string): C | null | undefined;
  addChat(o: { participants: string[]; service?: 'iMessage' | 'SMS'; group?: boolean }): C;
  sendFromMe(chat: C, o: { text?: string; attachments?: SimAttachment[]; flipDelayMs?: number; error?: number; ghost?: boolean }): unknown;
}

/**
 * What the simulated Messages puts in `error` when it cannot read an attachment
 * (outside its sandbox or missing). Like real Messages, the send itself
 * "succeeds"; only the row shows the failure. The number is the simulator's choice.
 */
export const UNREADABLE_ATTACHMENT_ERROR = 4;

export class OsaRuntimeError extends Error {
  constructor(readonly osaNumber: number, message: string, readonly pos: Span) { super(message); }
}

export interface ExecContext {
  argv: string[];
  /** Opened only when a send gets that far: failures like -1743 never touch chat.db. */
  sim: () => Promise<SimPort>;
  modes: Directive[];
  /** Override of the simulated home (else the simulator's, else $HOME): attachments must be under its Library/Messages/Attachments. */
  home?: string;
  flipDelayMs: number;
}

const MESSAGES_FAILURE: Record<number, string> = {
  [-1743]: 'Not authorized to send Apple events to Messages.',
  [-600]: 'Messages got an error: Application isn’t running.',
  [-1712]: 'Messages got an error: AppleEvent timed out.',
  [-1708]: 'Messages got an error: Can’t continue send.',
  [-1700]: 'Messages got an error: Can’t make some data into the expected type.',
};

export function formName(t: Target): string {
  if (t.kind === 'chat') return t.of ? 'chat_of_service' : 'chat';
  return t.kind;
}

export async function execute(statements: Statement[], ctx: ExecContext): Promise<void> {
  const vars = new Map<string, Qualifier>();
  for (const st of statements) {
    if (st.kind === 'set') {
      serviceTypeOf(st.value, st.pos);
      vars.set(st.name, st.value);
      continue;
    }
    const item = (n: number): string => {
      const v = ctx.argv[n - 1];
      if (v === undefined) throw new OsaRuntimeError(-1728, `Can’t get item ${n} of {${ctx.argv.map((a) => JSON.stringify(a.slice(0, 20))).join(', ')}}.`, st.pos);
      return v;
    };
    if (st.target.item === -1) throw new OsaRuntimeError(-1708, 'Messages got an error: Can’t continue send.', st.pos);
    const who = item(st.target.item);
    const form = formName(st.target);
    for (const d of ctx.modes) {
      if (d.kind === 'fail' && (d.form === undefined || d.form === form)) {
        const msg = d.osaNumber === -1728 ? `Messages got an error: Can’t get ${st.target.kind === 'chat' ? 'chat id' : st.target.kind} "${who}".` : MESSAGES_FAILURE[d.osaNumber] ?? `Messages got an error: An error of type ${d.osaNumber} has occurred.`;
        throw new OsaRuntimeError(d.osaNumber, msg, st.pos);
      }
    }
    for (const d of ctx.modes) if (d.kind === 'slow') await new Promise((r) => setTimeout(r, d.ms));
    const sim = await ctx.sim();
    const chat = resolveTarget(st.target, who, vars, sim, ctx.modes, st.pos);
    const payload = item(st.value.item);
    const errorMode = ctx.modes.find((d) => d.kind === 'error');
    const ghost = ctx.modes.some((d) => d.kind === 'ghost');
    const common = { flipDelayMs: ctx.flipDelayMs, ...(ghost ? { ghost: true } : {}), ...(errorMode?.kind === 'error' ? { error: errorMode.code } : {}) };
    if (st.value.kind === 'text') {
      await sim.sendFromMe(chat, { ...common, text: payload });
    } else {
      const file = readAttachment(payload, ctx.home ?? sim.home ?? process.env.HOME ?? '/');
      const error = file.readable ? common.error : UNREADABLE_ATTACHMENT_ERROR;
      await sim.sendFromMe(chat, { ...common, ...(error !== undefined ? { error } : {}), attachments: [file.attachment] });
    }
  }
}

function serviceTypeOf(q: Qualifier, pos: Span): 'iMessage' | 'SMS' {
  if (q.serviceType === 'iMessage' || q.serviceType === 'SMS') return q.serviceType;
  // `any` is not a service type constant: Messages cannot coerce it.
  if (q.serviceType === 'any') throw new OsaRuntimeError(-1700, 'Messages got an error: Can’t make any into type constant.', pos);
  throw new OsaRuntimeError(-2753, `The variable ${q.serviceType} is not defined.`, pos);
}

function findExact(sim: SimPort, guid: string): SimChat | null {
  const c = sim.findChat(guid);
  return c && c.guid === guid ? c : null;
}

function resolveTarget(t: Target, who: string, vars: Map<string, Qualifier>, sim: SimPort, modes: Directive[], pos: Span): SimChat {
  if (t.kind === 'chat') {
    const notFound = new OsaRuntimeError(-1728, `Messages got an error: Can’t get chat id "${who}".`, pos);
    if (!t.of) {
      if (who.startsWith('any;') && modes.some((d) => d.kind === 'any-unresolved')) throw notFound;
      const c = findExact(sim, who);
      if (!c) throw notFound;
      return c;
    }
    const svc = serviceTypeOf(t.of, pos);
    const m = /^([^;]+);([-+]);(.+)$/s.exec(who);
    if (!m) throw notFound;
    // Within a service, a macOS 26 `any;` chat answers to that service's guid too.
    const c = (m[1] === svc || m[1] === 'any' ? findExact(sim, who) : null) ?? (m[1] === svc ? findExact(sim, `any;${m[2]};${m[3]}`) : null);
    if (!c) throw notFound;
    return c;
  }
  const q = t.of.kind === 'var' ? vars.get(t.of.name) : t.of;
  if (!q) throw new OsaRuntimeError(-2753, `The variable ${t.of.kind === 'var' ? t.of.name : ''} is not defined.`, pos);
  const svc = serviceTypeOf(q, pos);
  if (svc === 'SMS' && who.includes('@')) throw new OsaRuntimeError(-1728, `Messages got an error: Can’t get ${t.kind} "${who}".`, pos);
  // Like Messages, addressing a person with no conversation yet starts one.
  return findExact(sim, `${svc};-;${who}`) ?? findExact(sim, `any;-;${who}`) ?? sim.addChat({ participants: [who], service: svc });
}

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.heic': 'image/heic',
  '.txt': 'text/plain', '.pdf': 'application/pdf', '.mp4': 'video/mp4', '.mov': 'video/quicktime',
};

/** Messages' sandbox can only read files under ~/Library/Messages/Attachments. */
function readAttachment(path: string, home: string): { readable: boolean; attachment: SimAttachment } {
  const name = basename(path);
  const mime = MIME[extname(name).toLowerCase()];
  const base = { name, ...(mime ? { mime } : {}) };
  if (!isAbsolute(path) || !existsSync(path) || !statSync(path).isFile()) return { readable: false, attachment: base };
  const root = join(home, 'Library', 'Messages', 'Attachments');
  const rel = existsSync(root) ? relative(realpathSync(root), realpathSync(path)) : '..';
  if (rel.startsWith('..') || isAbsolute(rel)) return { readable: false, attachment: base };
  return { readable: true, attachment: { ...base, bytes: readFileSync(path) } };
}
