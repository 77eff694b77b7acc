// A set that forgets its oldest entries: the ids the bot just posted, kept long
// enough to recognise their gateway echo without growing forever.
export class RecentIds extends Set<string> {
  constructor(private readonly capacity = 5000) { super(); }

  override add(id: string): this {
    super.add(id);
    if (this.size > this.capacity) {
      const oldest = this.values().next().value;
      if (oldest !== undefined) this.delete(oldest);
    }
    return this;
  }
}
