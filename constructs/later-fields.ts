/**
 * Large fields of a stored object, parsed on first read. A cluster's verdict (synth-cache.ts) is
 * its resolved spec, ~20 KB of JSON at 20 tenants, and a synth that reuses 1000 cached clusters
 * reads 1000 of them while it validates: parsed whole, that was 0.5 to 0.8 s on the calling thread
 * of the 2-core machine, mostly the scavenges copying 36 MB of objects that live to the end and
 * the faults of the fresh pages they fill (~20 µs a page on that VM), and nothing reads most of it
 * (across clusters only the names, versions and maintenance windows of a cached cluster are read).
 * So each top-level field of at least LATER_FROM bytes of JSON is stored on a line of its own and
 * becomes a getter; the first read of any of them loads them all (`load`: the verdict file is read
 * again, so nothing is kept meanwhile). The object keeps its keys in their order, so
 * JSON.stringify, spreads and structuredClone see the same object.
 */

/** Top-level fields with at least this much JSON are parsed on first read. */
export const LATER_FROM = 1024;

/** Objects whose large fields were loaded so far in this thread (for tests: a cached synth should load none). */
let loads = 0;
export const laterFieldsLoaded = (): number => loads;

/** `object` with its large fields as null (keys in place), and those fields' JSON, in key order. */
export function splitLarge(object: Record<string, unknown>, json: (value: unknown) => string): { head: Record<string, unknown>; later: Array<[key: string, json: string]> } {
  const head: Record<string, unknown> = {};
  const later: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(object)) {
    const text = json(value);
    if (text.length >= LATER_FROM) {
      head[key] = null;
      later.push([key, text]);
    } else {
      head[key] = value;
    }
  }
  return { head, later };
}

/**
 * The `count` lines of `bytes` from `start` on, as [start, end) ranges without their "\n"; undefined
 * unless the bytes end right after the last one.
 */
export function lineRanges(bytes: Buffer, start: number, count: number): Array<[number, number]> | undefined {
  const ranges: Array<[number, number]> = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) return undefined;
    ranges.push([at, end]);
    at = end + 1;
  }
  return at === bytes.length ? ranges : undefined;
}

/**
 * Makes each field of `keys` (present in `object`, null) a getter. The first read of any of them
 * calls `load` for the JSON of every one (in the order of `keys`; it throws when it cannot give
 * them) and parses them; assigning a field replaces its value. Returns false, changing nothing,
 * when a key is missing or not null.
 */
export function defineLater(object: Record<string, unknown>, keys: readonly string[], load: () => readonly string[]): boolean {
  if (!keys.every((key) => key in object && object[key] === null)) return false;
  let values: unknown[] | undefined;
  const loaded = () => {
    if (!values) {
      const texts = load();
      if (texts.length !== keys.length) throw new Error(`expected ${keys.length} stored fields, got ${texts.length}`);
      values = texts.map((text) => JSON.parse(text) as unknown);
      loads++;
    }
    return values;
  };
  keys.forEach((key, i) => {
    let assigned = false;
    let value: unknown;
    Object.defineProperty(object, key, {
      enumerable: true,
      configurable: true,
      get: () => (assigned ? value : loaded()[i]),
      set(v: unknown) {
        value = v;
        assigned = true;
      },
    });
  });
  return true;
}
