/**
 * A map that keeps its entries in the order they were last set, oldest first, and at most
 * `limit` of them: setting one more drops the oldest. For small records that keep what
 * is recent (speeds.json, usage.json).
 */
export class RecentMap<V> {
  readonly #entries = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  /** Sets the value as the newest, dropping the oldest beyond the limit. */
  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.limit) break;
      this.#entries.delete(oldest);
    }
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Oldest first. */
  values(): V[] {
    return [...this.#entries.values()];
  }
}
