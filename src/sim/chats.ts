// Chats and handles, shaped as Messages creates them: one handle per
// (id, service), 1:1 chats (style 45) keyed by the handle, groups (style 43)
// named chat<digits>, joined to their members through chat_handle_join.
import { randomInt } from 'node:crypto';
import { newGuid } from './attachments.ts';
import { SimulatorError, type SimContext } from './context.ts';

export type SimService = 'iMessage' | 'SMS' | 'RCS';

export interface SimChat {
  rowid: number;
  guid: string;
  identifier: string;
  participants: string[];
  service: SimService;
  isGroup: boolean;
  displayName: string | null;
}

export interface AddChatOptions { participants: string[]; service?: SimService; displayName?: string; group?: boolean }

const isPhone = (id: string): boolean => /^\+?[\d\s().-]+$/.test(id);

export function ensureHandle(ctx: SimContext, id: string, service: string): number {
  const found = ctx.db.prepare('SELECT ROWID FROM handle WHERE id = ? AND service = ?').pluck().get(id, service) as number | undefined;
  if (found !== undefined) return found;
  return ctx.t.handle.insert({ id, service, country: isPhone(id) ? 'us' : null, uncanonicalized_id: isPhone(id) ? id.replace(/^\+1/, '') : null, person_centric_id: null });
}

function guidPrefix(ctx: SimContext, service: SimService): string {
  return ctx.traits.anyChatGuids ? 'any' : service;
}

export function addChat(ctx: SimContext, o: AddChatOptions): SimChat {
  const participants = [...new Set(o.participants.map((p) => p.trim()).filter(Boolean))];
  if (participants.length === 0) throw new SimulatorError('bad_input', 'a chat needs at least one participant', 'Pass participants: ["+15551234567"] (E.164 phone numbers or emails).');
  const service = o.service ?? 'iMessage';
  if (service === 'SMS' && participants.some((p) => p.includes('@'))) {
    throw new SimulatorError('bad_input', 'an SMS chat cannot include an email address', 'Use service "iMessage" for email handles.');
  }
  const group = o.group ?? participants.length > 1;
  const prefix = guidPrefix(ctx, service);
  const identifier = group ? `chat${randomInt(10 ** 9, 10 ** 10 - 1)}${randomInt(10 ** 8, 10 ** 9 - 1)}` : participants[0]!;
  const guid = `${prefix};${group ? '+' : '-'};${identifier}`;
  const existing = findChat(ctx, guid);
  if (existing) return existing;
  return ctx.db.transaction(() => {
    const rowid = ctx.t.chat.insert({
      guid, style: group ? 43 : 45, state: 3, account_id: ctx.me.accountGuid, chat_identifier: identifier,
      service_name: service, room_name: group ? identifier : null, account_login: service === 'SMS' ? `P:${ctx.me.handle}` : ctx.me.login,
      is_archived: 0, last_addressed_handle: ctx.me.handle, display_name: o.displayName ?? (group ? '' : null),
      group_id: newGuid(), is_filtered: 0, successful_query: 1, last_read_message_timestamp: 0,
    });
    for (const p of participants) ctx.t.chatHandleJoin.insert({ chat_id: rowid, handle_id: ensureHandle(ctx, p, service) });
    return { rowid, guid, identifier, participants, service, isGroup: group, displayName: o.displayName ?? null };
  })();
}

interface ChatRow { ROWID: number; guid: string; chat_identifier: string; service_name: string; style: number; display_name: string | null }

function toSimChat(ctx: SimContext, r: ChatRow): SimChat {
  const participants = ctx.db.prepare(`SELECT h.id FROM chat_handle_join j JOIN handle h ON h.ROWID = j.handle_id
    WHERE j.chat_id = ? ORDER BY j.rowid`).pluck().all(r.ROWID) as string[];
  return {
    rowid: r.ROWID, guid: r.guid, identifier: r.chat_identifier, participants,
    service: (r.service_name as SimService) ?? 'iMessage', isGroup: r.style === 43, displayName: r.display_name || null,
  };
}

/** By exact guid, else by chat_identifier (a handle or chat<digits>), newest first. */
export function findChat(ctx: SimContext, guidOrHandle: string): SimChat | null {
  const cols = 'ROWID, guid, chat_identifier, service_name, style, display_name';
  const r = (ctx.db.prepare(`SELECT ${cols} FROM chat WHERE guid = ?`).get(guidOrHandle)
    ?? ctx.db.prepare(`SELECT ${cols} FROM chat WHERE chat_identifier = ? ORDER BY ROWID DESC LIMIT 1`).get(guidOrHandle)) as ChatRow | undefined;
  return r ? toSimChat(ctx, r) : null;
}

export function resolveChat(ctx: SimContext, chat: SimChat | string): SimChat {
  if (typeof chat !== 'string') return chat;
  const found = findChat(ctx, chat);
  if (!found) throw new SimulatorError('not_found', `no chat ${JSON.stringify(chat)} in the simulated chat.db`, 'Create it first with sim.addChat({ participants: [...] }).');
  return found;
}
