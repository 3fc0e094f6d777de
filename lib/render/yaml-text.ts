/**
 * The YAML text of a host config (KubeletConfiguration, audit policy, static pods, etcd, ...): the
 * `yaml` library's stringify, remembered by the value's JSON. A fleet renders the same configs for
 * many clusters and pools (at 1000 clusters, ~10 % of a build thread's time went to stringify, about
 * 20 times the cost of JSON.stringify). The text is exactly stringify's, whichever value came first:
 * host files are hashed into template names, so one byte moved would roll every machine. A value
 * whose JSON could stand for another one with a different YAML text (-0, NaN, a Map, a class
 * instance, an object reached twice) is stringified every time.
 */
import { stringify } from 'yaml';
import { Remembered } from '../remembered';

export interface YamlTextOptions {
  /** 0: never fold long lines. @default stringify's 80 */
  readonly lineWidth?: 0;
}

/** By line width and JSON; a fleet has a few hundred distinct configs. */
const remembered = new Remembered<string>(2000);

export function yamlText(value: unknown, options: YamlTextOptions = {}): string {
  if (!isPlainData(value)) return stringify(value, options);
  const key = `${options.lineWidth ?? ''}\n${JSON.stringify(value)}`;
  return remembered.get(key, () => stringify(value, options));
}

/**
 * Whether JSON tells `value` apart from every value with another YAML text: plain objects and
 * arrays of strings, booleans, null, finite numbers other than -0, and undefined (which both leave
 * out of a map and write as null in a list), each object reached once: stringify writes an object
 * met twice as an anchor and an alias, which JSON does not show (and a cycle has no JSON).
 */
function isPlainData(value: unknown, seen = new Set<object>()): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (seen.has(value)) return false;
      seen.add(value);
      if (Array.isArray(value)) return value.every((item) => isPlainData(item, seen));
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!isPlainData((value as Record<string, unknown>)[key], seen)) return false;
      return true;
    }
    default:
      return false;
  }
}
