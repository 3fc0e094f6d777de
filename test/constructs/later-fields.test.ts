import { defineLater, LATER_FROM, laterFieldsParsed, splitLarge } from '../../constructs/later-fields';

const large = Array.from({ length: 40 }, (_, i) => ({ name: `team-${i}`, namespaces: [{ name: `team-${i}-ns` }] }));
const spec = { name: 'c1', tenants: large, kubernetesVersion: '1.34.2', nodePools: [{ name: 'general', replicas: 3 }], fleet: 'f' };

/** What readVerdict does with a stored spec: the head, then the large fields' lines as bytes. */
function stored(object: Record<string, unknown>) {
  const { head, later } = splitLarge(object, JSON.stringify);
  const copy = JSON.parse(JSON.stringify(head)) as Record<string, unknown>;
  const bytes = Buffer.from(later.map(([, json]) => `${json}\n`).join(''), 'latin1');
  return { copy, keys: later.map(([key]) => key), bytes };
}

describe('large fields parsed on first read', () => {
  it('splits off the fields of at least LATER_FROM bytes of JSON, keeping every key in its place', () => {
    const { head, later } = splitLarge(spec, JSON.stringify);
    expect(JSON.stringify(large).length).toBeGreaterThanOrEqual(LATER_FROM);
    expect(later.map(([key]) => key)).toEqual(['tenants']);
    expect(Object.keys(head)).toEqual(Object.keys(spec));
    expect(head).toEqual({ ...spec, tenants: null });
  });

  it('gives back the same object: values, key order, spreads and clones; parses a field once, on its first read', () => {
    const { copy, keys, bytes } = stored(spec);
    expect(defineLater(copy, keys, bytes, 'latin1')).toBe(true);
    const before = laterFieldsParsed();
    expect(copy.name).toBe('c1');
    expect(laterFieldsParsed()).toBe(before);
    expect(copy.tenants).toEqual(large);
    expect(copy.tenants).toBe(copy.tenants);
    expect(laterFieldsParsed()).toBe(before + 1);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(spec));
    expect({ ...copy }).toEqual(spec);
    expect(structuredClone(copy)).toEqual(spec);
  });

  it('takes an assignment like a plain field, before or after the first read', () => {
    const { copy, keys, bytes } = stored(spec);
    defineLater(copy, keys, bytes, 'latin1');
    const before = laterFieldsParsed();
    copy.tenants = [];
    expect(copy.tenants).toEqual([]);
    expect(laterFieldsParsed()).toBe(before);
  });

  it('refuses lines that do not match the keys (one too few, one too many, a key not null), changing nothing', () => {
    const { copy, keys, bytes } = stored(spec);
    expect(defineLater(copy, [...keys, 'nodePools'], bytes, 'latin1')).toBe(false);
    expect(defineLater(copy, keys, Buffer.concat([bytes, Buffer.from('[]\n')]), 'latin1')).toBe(false);
    expect(defineLater(copy, ['name'], Buffer.from('"c2"\n'), 'latin1')).toBe(false);
    expect(defineLater(copy, ['absent'], Buffer.from('1\n'), 'latin1')).toBe(false);
    expect(Object.getOwnPropertyDescriptor(copy, 'tenants')).toEqual({ value: null, writable: true, enumerable: true, configurable: true });
  });

  it('decodes UTF-8 lines when the stored text is not ASCII', () => {
    const object = { owner: 'Zoë', notes: 'ü'.repeat(LATER_FROM) };
    const { head, later } = splitLarge(object, JSON.stringify);
    const copy = JSON.parse(JSON.stringify(head)) as Record<string, unknown>;
    expect(defineLater(copy, later.map(([k]) => k), Buffer.from(later.map(([, j]) => `${j}\n`).join(''), 'utf8'), 'utf8')).toBe(true);
    expect(copy).toEqual(object);
  });
});
