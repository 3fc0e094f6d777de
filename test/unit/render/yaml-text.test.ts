import fc from 'fast-check';
import { stringify } from 'yaml';
import { yamlText } from '../../../lib/render/yaml-text';

/** A deep copy of JSON-like data (Maps, Sets and Dates kept as they are). */
function structuredCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(structuredCopy);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structuredCopy(x)]));
  return v;
}

describe('yamlText', () => {
  // Values whose JSON can coincide while their YAML differs, mixed into JSON-like data.
  const tricky = fc.constantFrom<unknown>(0, -0, NaN, Infinity, null, undefined, new Map([['a', 1]]), new Set([1]), new Date(0), 'true', '0');
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(fc.jsonValue({ maxDepth: 2 }), tricky),
    node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('node'), { maxKeys: 3 })),
  })).node;

  // Some values hold one object twice (an anchor and an alias in YAML), beside copies of it.
  const withSharing = fc.oneof(value, fc.tuple(value, fc.boolean()).map(([v, share]) => (share ? { a: v, b: v } : { a: structuredCopy(v), b: structuredCopy(v) })));

  it("is stringify's text, whatever was asked before (property, 300 sequences)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(withSharing, fc.boolean()), { minLength: 1, maxLength: 6 }), (calls) => {
        for (const [v, fold] of calls) {
          const options = fold ? {} : { lineWidth: 0 as const };
          expect(yamlText(v, options)).toBe(stringify(v, options));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps apart values that JSON writes alike but YAML does not', () => {
    expect(yamlText({ x: 0 })).toBe('x: 0\n');
    expect(yamlText({ x: -0 })).toBe('x: -0\n');
    expect(yamlText({ x: null })).toBe('x: null\n');
    expect(yamlText({ x: NaN })).toBe('x: .nan\n');
    expect(yamlText({ x: {} })).toBe('x: {}\n');
    expect(yamlText({ x: new Map([['k', 'v']]) })).toBe('x:\n  k: v\n');
    // An object reached twice is an anchor and an alias; two equal copies are not.
    const shared = ['get', 'list'];
    expect(yamlText({ a: ['get', 'list'], b: ['get', 'list'] })).toBe('a:\n  - get\n  - list\nb:\n  - get\n  - list\n');
    expect(yamlText({ a: shared, b: shared })).toBe(stringify({ a: shared, b: shared }));
    expect(yamlText({ a: shared, b: shared })).toContain('*a1');
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    expect(yamlText(cycle)).toBe(stringify(cycle));
  });

  it('the line width is part of what is remembered', () => {
    const long = { command: 'x'.repeat(50) + ' ' + 'y'.repeat(50) };
    expect(yamlText(long)).toBe(stringify(long));
    expect(yamlText(long, { lineWidth: 0 })).toBe(`command: ${long.command}\n`);
    expect(yamlText(long)).not.toBe(yamlText(long, { lineWidth: 0 }));
  });
});
