/**
 * `ApiObject.toJson()` without cdk8s's resolve pass, for the objects where that pass cannot change
 * anything: plain JSON data, no JSON patches, the ApiObject class itself and the App's built-in
 * resolvers only. Anything else goes through `toJson()` as before.
 *
 * Why: cdk8s resolves every value of every object (a context object, three resolvers, `App.of`
 * walking up the construct tree and a copied key path per value), then sanitizes the copy. On plain
 * data the resolvers never fire, so the result is the sanitized data itself. That pass was ~8 % of a
 * build thread's CPU and much of its garbage (profile of a cold 200-cluster synth, 2026-12-02).
 * test/constructs/api-object-json.test.ts holds it to `toJson()` byte for byte.
 */
import { ApiObject, ApiObjectMetadataDefinition, App, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver, type IResolver } from 'cdk8s';
import type { Construct } from 'constructs';

/** What the walk returns when it meets a value a resolver or sanitizeValue could treat differently. */
const NOT_PLAIN: unique symbol = Symbol('not plain');

/** The fields of ApiObject that toJson reads (private in its typings). */
interface ApiObjectInternals {
  readonly props?: Record<string, unknown>;
  readonly patches?: readonly unknown[];
}

/** The fields of ApiObjectMetadataDefinition that its toJson reads (private in its typings). */
interface MetadataInternals {
  readonly _additionalAttributes?: Record<string, unknown>;
  readonly name?: unknown;
  readonly namespace?: unknown;
  readonly annotations?: unknown;
  readonly finalizers?: unknown;
  readonly ownerReferences?: unknown;
  readonly labels?: unknown;
}

const BUILT_IN = [LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver] as const;

/** Whether an App resolves with cdk8s's three built-in resolvers and nothing else. */
export function builtInResolversOnly(resolvers: readonly IResolver[]): boolean {
  return resolvers.length === BUILT_IN.length && resolvers.every((r, i) => r.constructor === BUILT_IN[i]);
}

/**
 * cdk8s's sanitizeValue(value, { sortKeys: true }) for plain data (keys sorted, null and undefined
 * members dropped; with `filterEmpty`, as metadata is sanitized, empty arrays and objects dropped
 * too), or NOT_PLAIN for anything but primitives, dense arrays and objects whose prototype is
 * Object.prototype.
 */
function sanitizedPlain(value: unknown, filterEmpty: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  if (type !== 'object') return NOT_PLAIN;
  if (Array.isArray(value)) {
    if (filterEmpty && value.length === 0) return undefined;
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return NOT_PLAIN;
      const item = sanitizedPlain(value[i], filterEmpty);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[i] = item;
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_PLAIN;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let members = 0;
  for (const key of Object.keys(record).sort()) {
    // An own "constructor" member makes cdk8s treat the object as a class instance.
    if (key === 'constructor') return NOT_PLAIN;
    const member = sanitizedPlain(record[key], filterEmpty);
    if (member === NOT_PLAIN) return NOT_PLAIN;
    if (member !== undefined) {
      out[key] = member;
      members++;
    }
  }
  return filterEmpty && members === 0 ? undefined : out;
}

/** What `metadata.toJson()` gives, or NOT_PLAIN (then toJson is called). */
function metadataJson(metadata: ApiObjectMetadataDefinition): unknown {
  if (Object.getPrototypeOf(metadata) !== ApiObjectMetadataDefinition.prototype) return NOT_PLAIN;
  const m = metadata as unknown as MetadataInternals;
  if (!m._additionalAttributes || typeof m._additionalAttributes !== 'object') return NOT_PLAIN;
  const { name, namespace, annotations, finalizers, ownerReferences, labels } = m;
  return sanitizedPlain({ ...m._additionalAttributes, name, namespace, annotations, finalizers, ownerReferences, labels }, true);
}

/** apiVersion, kind and metadata first, then the rest in order, as toJson orders them. */
function ordered(json: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) if (key in json) out[key] = json[key];
  return out;
}

/**
 * The JSON of `obj`, equal to `obj.toJson()`; `skippable` is canSkipResolve of its App (the caller
 * decides it once per App).
 */
export function apiObjectJson(obj: ApiObject, skippable: boolean): Record<string, any> {
  const { props, patches } = obj as unknown as ApiObjectInternals;
  // A subclass may override toJson.
  if (!skippable || Object.getPrototypeOf(obj) !== ApiObject.prototype || !props || !Array.isArray(patches) || patches.length > 0) return obj.toJson();
  try {
    const metadata = metadataJson(obj.metadata);
    if (metadata === NOT_PLAIN) return obj.toJson();
    // The metadata is sanitized already: left out of the walk, put back in its place by ordered().
    const json = sanitizedPlain({ ...props, metadata: undefined }, false) as Record<string, unknown> | typeof NOT_PLAIN;
    if (json === NOT_PLAIN) return obj.toJson();
    if (metadata !== undefined) json.metadata = metadata;
    return ordered(json);
  } catch {
    // A cycle or a throwing getter: toJson fails the same way, with the construct's path in its message.
    return obj.toJson();
  }
}

/**
 * Whether objects of the App of `scope` can skip the resolve pass: it resolves with the built-in
 * resolvers only, and CDK8S_DISABLE_SORT (which turns toJson's key sorting off) is not set.
 */
export const canSkipResolve = (scope: Construct): boolean => !process.env.CDK8S_DISABLE_SORT && builtInResolversOnly(App.of(scope).resolvers);
