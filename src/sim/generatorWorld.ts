// The people and chats of a generated database: handles, 1:1 and group chats
// (iMessage, SMS), written first so messages can refer to them.
import type Database from 'better-sqlite3';
import type { Random } from './random.ts';
import { GROUP_NAMES } from './textPool.ts';
import type { VersionTraits } from './versions.ts';

export interface GenChat {
  rowid: number; guid: string; isGroup: boolean; service: 'iMessage' | 'SMS';
  roomName: string | null; handles: number[]; displayName: string | null;
  /** Recent message guids and their text lengths, for tapbacks and replies. */
  recent: { guid: string; len: number; atts: number; ti: number }[];
}

export interface World { chats: GenChat[]; handleCount: number }

function person(r: Random, i: number): string {
  if (r.chance(0.2)) return `${r.pick(['alex', 'sam', 'jo', 'kim', 'lee', 'max', 'ana', 'noor'])}.${i}@${r.pick(['icloud.com', 'gmail.com', 'me.com', 'example.org'])}`;
  return `+1${r.int(201, 989)}${String(r.int(2000000, 9999999))}`;
}

export function buildWorld(db: Database.Database, r: Random, chatCount: number, traits: VersionTraits, me: { handle: string; login: string; accountGuid: string }): World {
  const people = Array.from({ length: Math.max(4, Math.ceil(chatCount * 1.5)) }, (_, i) => person(r, i));
  const handleIds = new Map<string, number>();
  const insHandle = db.prepare('INSERT INTO handle (id, country, service, uncanonicalized_id) VALUES (?, ?, ?, ?)');
  const handle = (id: string, service: string): number => {
    const key = `${service}\0${id}`;
    let h = handleIds.get(key);
    if (h === undefined) {
      h = Number(insHandle.run(id, id.includes('@') ? null : 'us', service, id.includes('@') ? null : id.slice(2)).lastInsertRowid);
      handleIds.set(key, h);
    }
    return h;
  };
  const chatCols = new Set(db.prepare("SELECT name FROM pragma_table_info('chat')").pluck().all() as string[]);
  const wanted = ['guid', 'style', 'state', 'account_id', 'chat_identifier', 'service_name', 'room_name', 'account_login', 'is_archived', 'last_addressed_handle', 'display_name', 'group_id', 'is_filtered', 'successful_query'];
  const cols = wanted.filter((c) => chatCols.has(c));
  const insChat = db.prepare(`INSERT INTO chat (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
  const insMember = db.prepare('INSERT OR IGNORE INTO chat_handle_join (chat_id, handle_id) VALUES (?, ?)');
  const chats: GenChat[] = [];
  for (let i = 0; i < chatCount; i++) {
    const isGroup = chatCount > 1 && r.chance(0.3);
    const phones = people.filter((p) => !p.includes('@'));
    const service: 'iMessage' | 'SMS' = !isGroup && r.chance(0.18) ? 'SMS' : 'iMessage';
    const members = isGroup
      ? [...new Set(Array.from({ length: r.int(2, 7) }, () => r.pick(people)))]
      : [service === 'SMS' ? r.pick(phones) : r.pick(people)];
    if (isGroup && members.length < 2) members.push(people.find((p) => !members.includes(p)) ?? people[0]!);
    const identifier = isGroup ? `chat${r.int(100000000, 999999999)}${r.int(100000000, 999999999)}` : members[0]!;
    const prefix = traits.anyChatGuids ? 'any' : service;
    const guid = `${prefix};${isGroup ? '+' : '-'};${identifier}`;
    if (chats.some((c) => c.guid === guid)) { i--; continue; }
    const displayName = isGroup && r.chance(0.6) ? r.pick(GROUP_NAMES) : null;
    const row: Record<string, unknown> = {
      guid, style: isGroup ? 43 : 45, state: 3, account_id: me.accountGuid, chat_identifier: identifier, service_name: service,
      room_name: isGroup ? identifier : null, account_login: service === 'SMS' ? `P:${me.handle}` : me.login, is_archived: 0,
      last_addressed_handle: me.handle, display_name: displayName ?? (isGroup ? '' : null), group_id: r.uuid(), is_filtered: 0, successful_query: 1,
    };
    const rowid = Number(insChat.run(Object.fromEntries(cols.map((c) => [c, row[c]]))).lastInsertRowid);
    const handles = members.map((m) => handle(m, service));
    for (const h of handles) insMember.run(rowid, h);
    chats.push({ rowid, guid, isGroup, service, roomName: isGroup ? identifier : null, handles, displayName, recent: [] });
  }
  return { chats, handleCount: handleIds.size };
}
