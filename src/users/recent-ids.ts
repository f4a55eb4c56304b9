/**
 * A bounded set of recently seen ids with least-recently-used eviction (a Map keeps insertion
 * order, so the first key is the oldest). Used to skip work already done for an id.
 */
export class RecentIds {
  private readonly ids = new Map<string, true>();

  constructor(private readonly capacity: number) {}

  /** Whether the id was remembered; a hit makes it the most recent. */
  has(id: string): boolean {
    if (!this.ids.delete(id)) {
      return false;
    }
    this.ids.set(id, true);
    return true;
  }

  /** Remembers the id, evicting the oldest one beyond capacity. */
  add(id: string): void {
    this.ids.delete(id);
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) {
      this.ids.delete(this.ids.keys().next().value as string);
    }
  }

  /** Forgets the id. */
  delete(id: string): void {
    this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
