// Backfill runs (migration 040) and their progress, read from the delivery
// journal: a run is as far along as its envelopes are delivered.
import type { BridgeDb } from '../db/bridgeDb.ts';
import type { ChatGuid } from '../../ids.ts';
import type { HistoryTarget } from './types.ts';

export interface RunProgress {
  run: number;
  connector: string;
  chatGuid: ChatGuid;
  into: HistoryTarget;
  total: number;
  delivered: number;
  createdAt: number;
}

interface Row { id: number; connector: string; chat_guid: string; target: HistoryTarget; total: number; first_seq: number | null; last_seq: number | null; created_at: number; open: number }

/** Services a 1:1 chat can be filed under; a portal of any of them is the chat's portal. */
const ONE_TO_ONE = ['any', 'iMessage', 'SMS', 'RCS'];

export class BackfillStore {
  constructor(private readonly db: BridgeDb) {}

  /** Was history ever planned for this chat's portal on this connector? */
  hasRun(connector: string, chat: ChatGuid): boolean {
    return this.db.prepare("SELECT 1 FROM backfill_run WHERE connector = ? AND chat_guid = ? AND target = 'portal'").get(connector, chat) !== undefined;
  }

  /** Does the connector already have a portal for this chat (under any 1:1 service prefix)? */
  hasPortal(connector: string, chat: ChatGuid): boolean {
    const handle = /^[^;]+;-;(.+)$/.exec(chat)?.[1];
    const guids = handle ? [chat, ...ONE_TO_ONE.map((s) => `${s};-;${handle}`)] : [chat];
    return this.db.prepare('SELECT 1 FROM portal WHERE connector = ? AND chat_guid IN (SELECT value FROM json_each(?))').get(connector, JSON.stringify(guids)) !== undefined;
  }

  create(connector: string, chat: ChatGuid, into: HistoryTarget, total: number): number {
    return Number(this.db.prepare('INSERT INTO backfill_run (connector, chat_guid, target, total, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(connector, chat, into, total, Date.now()).lastInsertRowid);
  }

  /** The thread a 'thread' run posts into, once a connector made it. */
  placeOf(run: number): string | null {
    return (this.db.prepare('SELECT place FROM backfill_run WHERE id = ?').pluck().get(run) as string | null | undefined) ?? null;
  }

  setPlace(run: number, remoteId: string): void {
    this.db.prepare('UPDATE backfill_run SET place = ? WHERE id = ?').run(remoteId, run);
  }

  /** Forget a connector's portal of a chat and what it showed, so its next delivery opens a new one. Returns the old remote id. */
  forgetPortal(connector: string, chat: ChatGuid): string | null {
    const old = this.db.prepare('SELECT remote_id FROM portal WHERE connector = ? AND chat_guid = ?').pluck().get(connector, chat) as string | undefined;
    this.db.prepare('DELETE FROM portal WHERE connector = ? AND chat_guid = ?').run(connector, chat);
    this.db.prepare('DELETE FROM message_map WHERE connector = ? AND chat_guid = ?').run(connector, chat);
    return old ?? null;
  }

  setRange(run: number, firstSeq: number, lastSeq: number): void {
    this.db.prepare('UPDATE backfill_run SET first_seq = ?, last_seq = ? WHERE id = ?').run(firstSeq, lastSeq, run);
  }

  /** Runs still delivering (all connectors, or one), oldest first. */
  active(connector?: string): RunProgress[] {
    return this.rows(connector ?? null, null).filter((r) => r.delivered < r.total);
  }

  one(run: number): RunProgress | null {
    return this.rows(null, run)[0] ?? null;
  }

  private rows(connector: string | null, run: number | null): RunProgress[] {
    // Done journal rows are pruned after a while: count what is still open, not what is done.
    const rows = this.db.prepare(`SELECT r.*, (SELECT count(*) FROM delivery d WHERE d.connector = r.connector AND d.seq BETWEEN r.first_seq AND r.last_seq AND d.state != 'done') AS open
      FROM backfill_run r WHERE (? IS NULL OR r.connector = ?) AND (? IS NULL OR r.id = ?) ORDER BY r.id`).all(connector, connector, run, run) as Row[];
    return rows.map((r) => ({ run: r.id, connector: r.connector, chatGuid: r.chat_guid as ChatGuid, into: r.target, total: r.total, delivered: r.total - r.open, createdAt: r.created_at }));
  }
}
