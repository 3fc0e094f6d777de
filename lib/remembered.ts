/**
 * Results of a pure function of a string key, remembered: a fleet repeats the same few inputs
 * (schedules, configs, scalars) across its clusters. Bounded: past `limit` entries the map starts
 * over, so a fleet of one-off inputs cannot grow it without end. A call that throws is not kept.
 */
export class Remembered<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly limit: number) {}

  /** The result for `key`, computed by `compute` the first time (the same function for a key, every call). */
  get(key: string, compute: (key: string) => T): T {
    let out = this.map.get(key);
    if (out === undefined) {
      out = compute(key);
      if (this.map.size >= this.limit) this.map.clear();
      this.map.set(key, out);
    }
    return out;
  }
}
