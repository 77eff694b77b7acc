// chat (+ chat_handle_join): conversations. The per-message lookups go through
// a Map keyed by chat ROWID that reloads only when a newer ROWID appears.
import type Database from 'better-sqlite3';
import { chatGuid } from '../../ids.ts';
import type { Chat, Service } from '../model.ts';
import { appleMsSql, appleMsToEpochMs } from '../dates.ts';
import type { HandleTable } from './handleTable.ts';
import { selectList, type ColumnSpec, type Schema } from './schema.ts';

export const CHAT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'guid', fallback: "''" },
  { name: 'style', fallback: '0' },
  { name: 'chat_identifier', fallback: "''" },
  { name: 'service_name', fallback: 'NULL' },
  { name: 'display_name', fallback: 'NULL' },
];

type ChatRow = [rowid: number, guid: string, style: number | null, identifier: string | null, serviceName: string | null, displayName: string | null];

/** What a message needs to know about its chat. */
export interface ChatRef { rowid: number; guid: string; service: Service; isGroup: boolean; identifier: string; displayName: string | null }

export function serviceFromName(name: string | null | undefined): Service | null {
  switch (name) {
    case 'iMessage': return 'iMessage';
    case 'SMS': return 'SMS';
    case 'RCS': return 'RCS';
    case 'any': return 'any';
    default: return null;
  }
}

/** `iMessage;-;+1555…` → iMessage; macOS 26's `any;+;chat…` → any. */
export function serviceFromChatGuid(guid: string): Service | null {
  const semi = guid.indexOf(';');
  return semi === -1 ? null : serviceFromName(guid.slice(0, semi));
}

function toRef(r: ChatRow): ChatRef {
  const guid = r[1];
  return {
    rowid: r[0], guid,
    service: serviceFromChatGuid(guid) ?? serviceFromName(r[4]) ?? 'unknown',
    isGroup: r[2] === 43 || guid.includes(';+;'),
    identifier: r[3] ?? '',
    displayName: r[5] ? r[5] : null,
  };
}

export class ChatTable {
  private readonly refs = new Map<number, ChatRef>();
  private maxRowid = -1;
  private readonly loadStmt: Database.Statement;
  private readonly participantsStmt: Database.Statement;
  private readonly lastStmt: Database.Statement;
  private readonly participantsOfStmt: Database.Statement;
  private readonly byIdentifierStmt: Database.Statement;

  constructor(db: Database.Database, schema: Schema, private readonly handles: HandleTable) {
    this.loadStmt = db.prepare(`SELECT c.ROWID, ${selectList('c', CHAT_COLUMNS, schema.chat)} FROM chat c WHERE c.ROWID > ? ORDER BY c.ROWID`).raw();
    this.participantsStmt = db.prepare('SELECT chat_id, handle_id FROM chat_handle_join ORDER BY chat_id, rowid').raw();
    // message_date mirrors message.date (kept by a trigger) and is indexed per
    // chat, so each chat's newest date is one index probe; a GROUP BY over all
    // joins would read every row (≈ 50 ms at 1M messages). Older joins lack it.
    this.lastStmt = schema.chatMessageJoin.has('message_date')
      ? db.prepare(`SELECT ${appleMsSql('MAX(message_date)')} FROM chat_message_join WHERE chat_id = ?`).pluck()
      : db.prepare(`SELECT ${appleMsSql('MAX(m.date)')} FROM chat_message_join j JOIN message m ON m.ROWID = j.message_id WHERE j.chat_id = ?`).pluck();
    this.participantsOfStmt = db.prepare('SELECT handle_id FROM chat_handle_join WHERE chat_id = ? ORDER BY rowid').pluck();
    this.byIdentifierStmt = db.prepare('SELECT ROWID FROM chat WHERE chat_identifier = ? ORDER BY ROWID').pluck();
    this.reload();
  }

  private reload(): void {
    for (const row of this.loadStmt.iterate(this.maxRowid) as Iterable<ChatRow>) {
      this.refs.set(row[0], toRef(row));
      if (row[0] > this.maxRowid) this.maxRowid = row[0];
    }
  }

  ref(rowid: number | null): ChatRef | null {
    if (rowid === null) return null;
    const hit = this.refs.get(rowid);
    if (hit !== undefined) return hit;
    if (rowid > this.maxRowid) {
      this.reload();
      return this.refs.get(rowid) ?? null;
    }
    return null;
  }

  /** Chat ROWIDs a `--chat` argument names: an exact guid, else every chat with that identifier (iMessage and SMS). */
  rowidsFor(guidOrHandle: string): number[] {
    this.reload();
    for (const ref of this.refs.values()) if (ref.guid === guidOrHandle) return [ref.rowid];
    return this.byIdentifierStmt.all(guidOrHandle) as number[];
  }

  all(): Chat[] {
    // A full read (not the cache) so deleted chats disappear from the list.
    this.refs.clear();
    this.maxRowid = -1;
    this.reload();
    const participants = new Map<number, string[]>();
    for (const [chatId, handleId] of this.participantsStmt.iterate() as Iterable<[number, number]>) {
      const id = this.handles.id(handleId);
      if (id === null) continue;
      const list = participants.get(chatId);
      if (list) list.push(id); else participants.set(chatId, [id]);
    }
    return [...this.refs.values()].map((ref) => this.toChat(ref, participants.get(ref.rowid) ?? []));
  }

  private toChat(ref: ChatRef, participants: string[]): Chat {
    return {
      rowid: ref.rowid, guid: chatGuid(ref.guid), service: ref.service, identifier: ref.identifier,
      displayName: ref.displayName, isGroup: ref.isGroup, participants,
      lastMessageAt: appleMsToEpochMs(this.lastStmt.get(ref.rowid) as number | null) ?? null,
    };
  }

  one(guidOrHandle: string): Chat | null {
    const ids = this.rowidsFor(guidOrHandle);
    if (ids.length === 0) return null;
    this.reload();
    const all = ids.map((id) => this.refs.get(id)).filter((r): r is ChatRef => r !== undefined).map((ref) => this.toChat(ref,
      (this.participantsOfStmt.all(ref.rowid) as number[]).map((h) => this.handles.id(h)).filter((h): h is string => h !== null)));
    // Several chats share a handle (iMessage and SMS): the most recently active wins.
    all.sort((a, b) => (b.lastMessageAt ?? -Infinity) - (a.lastMessageAt ?? -Infinity));
    return all[0] ?? null;
  }
}
