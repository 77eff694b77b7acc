// What every simulator operation needs: the writer connection, the version's
// traits, per-table writers, and who "me" is.
import type Database from 'better-sqlite3';
import { TableWriter } from './tables.ts';
import type { PendingWork } from './pending.ts';
import { traitsOf, type MacosVersion, type VersionTraits } from './versions.ts';

export interface Me {
  /** The phone number or email the Mac's account uses (destination_caller_id). */
  handle: string;
  /** `account` column for iMessage rows. */
  login: string;
  accountGuid: string;
}

export interface Tables {
  message: TableWriter; chat: TableWriter; handle: TableWriter; attachment: TableWriter;
  chatMessageJoin: TableWriter; chatHandleJoin: TableWriter; messageAttachmentJoin: TableWriter;
}

export interface SimContext {
  db: Database.Database;
  version: MacosVersion;
  traits: VersionTraits;
  home: string;
  me: Me;
  t: Tables;
  pending: PendingWork;
}

export function makeContext(db: Database.Database, version: MacosVersion, home: string, me: Me, pending: PendingWork): SimContext {
  const w = (table: string) => new TableWriter(db, table);
  return {
    db, version, traits: traitsOf(version), home, me, pending,
    t: {
      message: w('message'), chat: w('chat'), handle: w('handle'), attachment: w('attachment'),
      chatMessageJoin: w('chat_message_join'), chatHandleJoin: w('chat_handle_join'), messageAttachmentJoin: w('message_attachment_join'),
    },
  };
}

/** A request the simulated Messages cannot honour; `advice` says what to do instead. */
export class SimulatorError extends Error {
  constructor(readonly code: 'unsupported' | 'not_found' | 'bad_input', message: string, readonly advice: string) {
    super(message);
    this.name = 'SimulatorError';
  }
}

/** Fail clearly when this version's schema lacks what a feature needs. */
export function requireColumn(ctx: SimContext, table: keyof Tables, column: string, feature: string): void {
  if (!ctx.t[table].has(column)) {
    throw new SimulatorError('unsupported', `${feature} cannot be written on macOS ${ctx.version}: its ${ctx.t[table].table} table has no ${column} column`,
      `Create the simulator with a newer version (e.g. { version: 'sequoia' }) to use ${feature}.`);
  }
}
