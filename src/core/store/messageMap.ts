// iMessage guid + part ↔ remote message id, per connector: how replies, edits,
// unsends and tapbacks find their target on the other side.
import type { BridgeDb } from '../db/bridgeDb.ts';
import { messageGuid, type ChatGuid, type MessageGuid } from '../../ids.ts';

export interface MappedMessage {
  messageGuid: MessageGuid;
  part: number;
  remoteId: string;
  chatGuid: ChatGuid;
}

interface Row { message_guid: string; part: number; remote_id: string; chat_guid: string }
const toMapped = (r: Row): MappedMessage => ({ messageGuid: messageGuid(r.message_guid), part: r.part, remoteId: r.remote_id, chatGuid: r.chat_guid as ChatGuid });

export class MessageMap {
  constructor(private readonly db: BridgeDb) {}

  put(connector: string, m: MappedMessage): void {
    this.db.prepare(`INSERT INTO message_map (connector, message_guid, part, remote_id, chat_guid, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (connector, message_guid, part) DO UPDATE SET remote_id = excluded.remote_id`)
      .run(connector, m.messageGuid, m.part, m.remoteId, m.chatGuid, Date.now());
  }

  remote(connector: string, guid: MessageGuid | string, part = 0): string | null {
    const r = this.db.prepare('SELECT remote_id FROM message_map WHERE connector = ? AND message_guid = ? AND part = ?').pluck().get(connector, guid, part) as string | undefined;
    return r ?? null;
  }

  /** Every remote id of a message (all parts), in part order. */
  remotes(connector: string, guid: MessageGuid | string): MappedMessage[] {
    return (this.db.prepare('SELECT * FROM message_map WHERE connector = ? AND message_guid = ? ORDER BY part').all(connector, guid) as Row[]).map(toMapped);
  }

  byRemote(connector: string, remoteId: string): MappedMessage | null {
    const r = this.db.prepare('SELECT * FROM message_map WHERE connector = ? AND remote_id = ?').get(connector, remoteId) as Row | undefined;
    return r ? toMapped(r) : null;
  }
}
