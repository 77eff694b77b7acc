// Changes to rows already delivered: edits, unsends, delivery errors,
// delivered and read, and an inbound-looking row turning out to be ours
// (`from_me`, the late is_from_me flip). Messages updates rows in place, so
// they are found by rescans and compared with the state we last saw, so each
// change is emitted once (the event keys dedupe across restarts).
//
// What a step learns is staged and only kept once its batch is committed: a
// failed batch must find the same changes again on the retry.
import type { IMessage } from '../model.ts';

export type ChangeKind = 'edit' | 'unsend' | 'delivered' | 'read' | 'failed' | 'from_me';

interface State { edited: number; retracted: string; delivered: boolean; read: boolean; error: number; fromMe: boolean }

const stateOf = (m: IMessage): State => ({
  edited: m.dateEdited ?? 0,
  retracted: m.unsent ? 'all' : m.retractedParts.join(','),
  delivered: m.fromMe && m.isDelivered,
  read: m.fromMe && m.isRead,
  error: m.fromMe ? m.error : 0,
  fromMe: m.fromMe,
});

const recent = (ms: number | null, since: number): boolean => ms !== null && ms >= since;

/** Remembers the last seen state of recent messages (bounded, oldest forgotten first). */
export class ChangeTracker {
  private readonly seen = new Map<string, State>();
  private readonly staged = new Map<string, State>();

  constructor(private readonly capacity = 100_000) {}

  /** The row was just delivered as new: its current state is the baseline. */
  baseline(m: IMessage): void {
    this.staged.set(m.guid, stateOf(m));
  }

  /**
   * What changed since we last saw this row. For a row we never saw (restart,
   * or forgotten), only changes dated inside the rescan window count.
   */
  diff(m: IMessage, sinceMs: number): ChangeKind[] {
    const now = stateOf(m);
    const before = this.staged.get(m.guid) ?? this.seen.get(m.guid);
    const out: ChangeKind[] = [];
    if (before) {
      if (now.fromMe && !before.fromMe) out.push('from_me');
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
    this.staged.set(m.guid, now);
    // Messages moves date_edited when it unsends: that is the unsend, not an edit of the text.
    return out.includes('unsend') ? out.filter((c) => c !== 'edit') : out;
  }

  /** The batch holding what was staged is committed: remember it. */
  commit(): void {
    for (const [guid, s] of this.staged) this.remember(guid, s);
    this.staged.clear();
  }

  /** The batch failed: forget what was staged, so the retry sees the same changes. */
  discard(): void {
    this.staged.clear();
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
