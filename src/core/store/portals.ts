// chat guid ↔ room/channel, per connector. `extra` is the connector's own JSON
// (webhook id and token, forum thread, space…), stored so nothing is recreated.
import type { BridgeDb } from '../db/bridgeDb.ts';
import { chatGuid, type ChatGuid } from '../../ids.ts';

export interface Portal {
  connector: string;
  chatGuid: ChatGuid;
  remoteId: string;
  extra: Record<string, unknown>;
}

interface Row { connector: string; chat_guid: string; remote_id: string; extra: string }
const toPortal = (r: Row): Portal => ({ connector: r.connector, chatGuid: chatGuid(r.chat_guid), remoteId: r.remote_id, extra: JSON.parse(r.extra) as Record<string, unknown> });

export class PortalStore {
  constructor(private readonly db: BridgeDb) {}

  byChat(connector: string, chat: ChatGuid): Portal | null {
    const r = this.db.prepare('SELECT * FROM portal WHERE connector = ? AND chat_guid = ?').get(connector, chat) as Row | undefined;
    return r ? toPortal(r) : null;
  }

  byRemote(connector: string, remoteId: string): Portal | null {
    const r = this.db.prepare('SELECT * FROM portal WHERE connector = ? AND remote_id = ?').get(connector, remoteId) as Row | undefined;
    return r ? toPortal(r) : null;
  }

  all(connector: string): Portal[] {
    return (this.db.prepare('SELECT * FROM portal WHERE connector = ? ORDER BY created_at').all(connector) as Row[]).map(toPortal);
  }

  upsert(p: Portal): void {
    this.db.prepare(`INSERT INTO portal (connector, chat_guid, remote_id, extra, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (connector, chat_guid) DO UPDATE SET remote_id = excluded.remote_id, extra = excluded.extra`)
      .run(p.connector, p.chatGuid, p.remoteId, JSON.stringify(p.extra), Date.now());
  }

  remove(connector: string, chat: ChatGuid): boolean {
    return this.db.prepare('DELETE FROM portal WHERE connector = ? AND chat_guid = ?').run(connector, chat).changes > 0;
  }
}
