// Changes to rows already delivered: edits, unsends, delivery errors,
// delivered and read. Messages updates rows in place, so they are found by a
// bounded rescan over the date columns and compared with the state we last
// saw, so each change is emitted once (the event keys dedupe across restarts).
import type { IMessage } from '../model.ts';

export type ChangeKind = 'edit' | 'unsend' | 'delivered' | 'read' | 'failed';

interface State { edited: number; retracted: string; delivered: boolean; read: boolean; error: number }

const stateOf = (m: IMessage): State => ({
  edited: m.dateEdited ?? 0,
  retracted: m.unsent ? 'all' : m.retractedParts.join(','),
  delivered: m.fromMe && m.isDelivered,
  read: m.fromMe && m.isRead,
  error: m.fromMe ? m.error : 0,
});

const recent = (ms: number | null, since: number): boolean => ms !== null && ms >= since;

/** Remembers the last seen state of recent messages (bounded, oldest forgotten first). */
export class ChangeTracker {
  private readonly seen = new Map<string, State>();

  constructor(private readonly capacity = 100_000) {}

  /** The row was just delivered as new: its current state is the baseline. */
  baseline(m: IMessage): void {
    this.remember(m.guid, stateOf(m));
  }

  /**
   * What changed since we last saw this row. For a row we never saw (restart,
   * or forgotten), only changes dated inside the rescan window count.
   */
  diff(m: IMessage, sinceMs: number): ChangeKind[] {
    const now = stateOf(m);
    const before = this.seen.get(m.guid);
    const out: ChangeKind[] = [];
    if (before) {
      if (now.edited !== before.edited && now.edited !== 0) out.push('edit');
      if (now.retracted !== before.retracted && now.retracted !== '') out.push('unsend');
      if (now.delivered && !before.delivered) out.push('delivered');
      if (now.read && !before.read) out.push('read');
      if (now.error !== 0 && now.error !== before.error) out.push('failed');
    } else {
      if (now.edited !== 0 && recent(m.dateEdited, sinceMs)) out.push('edit');
      if (now.retracted !== '' && (recent(m.dateRetracted, sinceMs) || m.dateRetracted === null)) out.push('unsend');
      if (now.delivered && recent(m.dateDelivered, sinceMs)) out.push('delivered');
      if (now.read && recent(m.dateRead, sinceMs)) out.push('read');
      if (now.error !== 0 && recent(m.date, sinceMs)) out.push('failed');
    }
    this.remember(m.guid, now);
    return out;
  }

  private remember(guid: string, s: State): void {
    this.seen.delete(guid);
    this.seen.set(guid, s);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}
