// Spacing posts per remote channel: at most `perMinute`, evenly, so a long
// backfill stays under the channel's rate limit instead of bursting into 429s.
import { NotYet } from '../delivery/notYet.ts';

export class Pacer {
  private readonly next = new Map<string, number>();

  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now) {}

  /** Reserve `posts` posts on `key`, or throw NotYet with the time they may go. */
  take(key: string, posts = 1): void {
    const t = this.now();
    const at = this.next.get(key) ?? 0;
    if (at > t) throw new NotYet(at);
    this.next.set(key, t + (Math.max(1, posts) * 60_000) / this.perMinute);
  }
}
