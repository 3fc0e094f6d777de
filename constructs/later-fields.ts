/**
 * Large fields of a stored object, parsed on first read. A cluster's verdict (synth-cache.ts) is
 * its resolved spec, ~20 KB of JSON at 20 tenants, and a synth that reuses 1000 cached clusters
 * reads 1000 of them while it validates: parsed whole, that was 0.5 to 0.8 s on the calling thread
 * of the 2-core machine, mostly the scavenges copying 36 MB of objects that live to the end, and
 * nothing reads most of it (only the names, versions and maintenance windows of a cached cluster
 * are read across clusters). So each top-level field of at least LATER_FROM bytes of JSON is stored
 * on a line of its own and becomes a getter that parses it on first read; the object keeps its
 * keys in their order, so JSON.stringify, spreads and structuredClone see the same object.
 */

/** Top-level fields with at least this much JSON are parsed on first read. */
export const LATER_FROM = 1024;

/** Fields parsed on first read so far in this thread (for tests: a cached synth should read none). */
let parsedLater = 0;
export const laterFieldsParsed = (): number => parsedLater;

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
 * Makes each field of `keys` (present in `object`, null) a getter that parses its JSON from
 * `bytes` (one line per key, in order, each ending in "\n") on first read, and remembers the value;
 * assigning replaces it. Returns false, changing nothing, when `bytes` do not hold one line per key.
 */
export function defineLater(object: Record<string, unknown>, keys: readonly string[], bytes: Buffer, encoding: 'latin1' | 'utf8'): boolean {
  const ranges: Array<[number, number]> = [];
  let at = 0;
  for (let i = 0; i < keys.length; i++) {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0 || !(keys[i] in object) || object[keys[i]] !== null) return false;
    ranges.push([at, end]);
    at = end + 1;
  }
  if (at !== bytes.length) return false;
  keys.forEach((key, i) => {
    let value: unknown;
    let parsed = false;
    Object.defineProperty(object, key, {
      enumerable: true,
      configurable: true,
      get() {
        if (!parsed) {
          value = JSON.parse(bytes.toString(encoding, ranges[i][0], ranges[i][1]));
          parsed = true;
          parsedLater++;
        }
        return value;
      },
      set(v: unknown) {
        value = v;
        parsed = true;
      },
    });
  });
  return true;
}
