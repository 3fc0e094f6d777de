import { ApiObject, App, Chart, JsonPatch, Lazy, type IResolver, type ResolutionContext } from 'cdk8s';
import * as fc from 'fast-check';
import { apiObjectJson, builtInResolversOnly, canSkipResolve } from '../../constructs/api-object-json';
import { synthCluster } from '../../constructs/fleet';
import { parseFleet } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';

/** The JSON text both ways: key order is part of what must match (it is the order of the YAML). */
const both = (obj: ApiObject, skippable = canSkipResolve(obj)) => [JSON.stringify(apiObjectJson(obj, skippable)), JSON.stringify(obj.toJson())];

describe('apiObjectJson', () => {
  it('gives toJson() byte for byte for every object of every cluster of the example fleet', () => {
    const { spec } = parseFleet(exampleFleet());
    let compared = 0;
    for (const environment of spec.environments)
      for (const cluster of environment.clusters) {
        const { app } = synthCluster(spec, environment, cluster);
        const plain = canSkipResolve(app);
        expect(plain).toBe(true);
        for (const c of app.node.findAll())
          if (ApiObject.isApiObject(c)) {
            const [fast, slow] = both(c, plain);
            expect(fast).toBe(slow);
            compared++;
          }
      }
    expect(compared).toBeGreaterThan(150);
  });

  it('equals toJson() on random plain data, with nulls, undefined and empty members', () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 5 })),
    })).node;
    const metadataExtra = fc.dictionary(fc.constantFrom('labels', 'annotations', 'finalizers', 'generateName', 'uid'), value, { maxKeys: 3 });
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 6 }), metadataExtra, (props, extra) => {
        const chart = new Chart(new App(), 'c');
        let obj: ApiObject;
        let slow: Record<string, any>;
        try {
          obj = new ApiObject(chart, 'o', { ...props, apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', ...(extra as object) } } as never);
          slow = obj.toJson();
        } catch {
          return; // cdk8s refuses it (e.g. finalizers that are not a list): not a case to compare
        }
        const fast = apiObjectJson(obj, true);
        // Strict: a member left as undefined, or a hole, would differ here though not in JSON text.
        expect(fast).toStrictEqual(slow);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
      }),
      { numRuns: 400 },
    );
  });

  it('falls back to toJson() for what a resolver or a patch changes', () => {
    const chart = new Chart(new App(), 'c');
    const lazy = new ApiObject(chart, 'lazy', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: Lazy.any({ produce: () => 'produced' }) } });
    expect(apiObjectJson(lazy, true).data).toEqual({ k: 'produced' });
    const token = new ApiObject(chart, 'token', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', labels: { l: { resolve: () => 'v' } as never } } });
    expect(apiObjectJson(token, true).metadata.labels).toEqual({ l: 'v' });
    const patched = new ApiObject(chart, 'patched', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } });
    patched.addJsonPatch(JsonPatch.replace('/data/k', 'patched'));
    expect(apiObjectJson(patched, true).data).toEqual({ k: 'patched' });
    class Custom extends ApiObject {
      public toJson() {
        return { ...super.toJson(), custom: true };
      }
    }
    expect(apiObjectJson(new Custom(chart, 'custom', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' } }), true).custom).toBe(true);
    for (const obj of [lazy, token, patched]) expect(new Set(both(obj)).size).toBe(1);
    // cdk8s refuses an object with an own "constructor" member; so does the fast path, by deferring to it.
    const odd = new ApiObject(chart, 'odd', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e' }, data: { constructor: 'x' } } as never);
    expect(() => odd.toJson()).toThrow(/non-simple object/);
    expect(() => apiObjectJson(odd, true)).toThrow(/non-simple object/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const loop = new ApiObject(chart, 'loop', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f' }, data: cyclic } as never);
    expect(() => apiObjectJson(loop, true)).toThrow(/Failed serializing construct at path 'c\/loop'/);
  });

  it('takes the fast path only with the built-in resolvers and key sorting on', () => {
    class Upper implements IResolver {
      resolve(context: ResolutionContext) {
        if (typeof context.value === 'string' && context.value === 'shout') context.replaceValue('SHOUT');
      }
    }
    const app = new App({ resolvers: [new Upper()] });
    expect(canSkipResolve(app)).toBe(false);
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expect(canSkipResolve(new App())).toBe(false);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
    expect(builtInResolversOnly(new App().resolvers)).toBe(true);
    const obj = new ApiObject(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'shout' } });
    expect(apiObjectJson(obj, canSkipResolve(app)).data).toEqual({ k: 'SHOUT' });
  });

  it('drops empty metadata members as toJson does, and orders apiVersion, kind, metadata first', () => {
    const chart = new Chart(new App(), 'c');
    const obj = new ApiObject(chart, 'o', { kind: 'ConfigMap', zeta: 1, apiVersion: 'v1', alpha: [], metadata: { name: 'a', annotations: {}, finalizers: [] }, data: { b: undefined, a: null } } as never);
    const json = apiObjectJson(obj, true);
    expect(Object.keys(json)).toEqual(['apiVersion', 'kind', 'metadata', 'alpha', 'data', 'zeta']);
    expect(json.metadata).toEqual({ name: 'a' });
    expect(json.data).toEqual({});
    expect(new Set(both(obj)).size).toBe(1);
  });
});
