import { defineLater, LATER_FROM, laterFieldsLoaded, lineRanges, splitLarge } from '../../constructs/later-fields';

const tenants = Array.from({ length: 40 }, (_, i) => ({ name: `team-${i}`, namespaces: [{ name: `team-${i}-ns` }] }));
const nodePools = Array.from({ length: 20 }, (_, i) => ({ name: `pool-${i}`, replicas: 3, labels: { 'example.com/rack': `rack-${i}` } }));
const spec = { name: 'c1', tenants, kubernetesVersion: '1.34.2', nodePools, fleet: 'f' };

/** What a verdict stores and reads back: the head as JSON, and a load that gives the large fields' JSON (counting its calls). */
function stored(object: Record<string, unknown>) {
  const { head, later } = splitLarge(object, JSON.stringify);
  const copy = JSON.parse(JSON.stringify(head)) as Record<string, unknown>;
  const calls = { n: 0 };
  const load = () => {
    calls.n++;
    return later.map(([, json]) => json);
  };
  return { copy, keys: later.map(([key]) => key), load, calls };
}

describe('large fields parsed on first read', () => {
  it('splits off the fields of at least LATER_FROM bytes of JSON, keeping every key in its place', () => {
    const { head, later } = splitLarge(spec, JSON.stringify);
    expect(JSON.stringify(tenants).length).toBeGreaterThanOrEqual(LATER_FROM);
    expect(later.map(([key]) => key)).toEqual(['tenants', 'nodePools']);
    expect(Object.keys(head)).toEqual(Object.keys(spec));
    expect(head).toEqual({ ...spec, tenants: null, nodePools: null });
  });

  it('gives back the same object: values, key order, spreads and clones; loads every large field once, on the first read of one', () => {
    const { copy, keys, load, calls } = stored(spec);
    expect(defineLater(copy, keys, load)).toBe(true);
    const before = laterFieldsLoaded();
    expect(copy.name).toBe('c1');
    expect(calls.n).toBe(0);
    expect(copy.tenants).toEqual(tenants);
    expect(copy.tenants).toBe(copy.tenants);
    expect(copy.nodePools).toEqual(nodePools);
    expect([calls.n, laterFieldsLoaded()]).toEqual([1, before + 1]);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(spec));
    expect({ ...copy }).toEqual(spec);
    expect(structuredClone(copy)).toEqual(spec);
  });

  it('takes an assignment like a plain field, without loading', () => {
    const { copy, keys, load, calls } = stored(spec);
    defineLater(copy, keys, load);
    copy.tenants = [];
    expect(copy.tenants).toEqual([]);
    expect(calls.n).toBe(0);
    expect(copy.nodePools).toEqual(nodePools);
    expect(copy.tenants).toEqual([]);
  });

  it('refuses keys that are missing or not null, changing nothing; a load that fails throws on the read', () => {
    const { copy, keys, load } = stored(spec);
    expect(defineLater(copy, ['name'], load)).toBe(false);
    expect(defineLater(copy, [...keys, 'absent'], load)).toBe(false);
    expect(Object.getOwnPropertyDescriptor(copy, 'tenants')).toEqual({ value: null, writable: true, enumerable: true, configurable: true });
    expect(defineLater(copy, keys, () => ['[]'])).toBe(true);
    expect(() => copy.tenants).toThrow('expected 2 stored fields, got 1');
  });

  it('finds exactly the stored lines after the head, or none', () => {
    const bytes = Buffer.from('{"head":1}\n[1]\n{"a":2}\n');
    expect(lineRanges(bytes, 11, 2)).toEqual([
      [11, 14],
      [15, 22],
    ]);
    expect(lineRanges(bytes, 11, 1)).toBeUndefined();
    expect(lineRanges(bytes, 11, 3)).toBeUndefined();
    expect(lineRanges(Buffer.from('{"head":1}\n[1]'), 11, 1)).toBeUndefined();
  });
});
