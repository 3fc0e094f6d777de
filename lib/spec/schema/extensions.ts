/**
 * The spec sections that belong to capabilities rather than to kprod's core: each capability's
 * own settings (`extensions.<capability id>`, validated by the schema the capability supplies,
 * see lib/spec/extensions.ts) and the JSON-patch escape hatch (`patches`).
 */
import { z } from 'zod';
import { dnsLabel } from './common';

/** An RFC 6901 JSON pointer ("/spec/replicas", "/metadata/labels/team"). */
const pointer = z.string().regex(/^(\/([^~/]|~[01])*)+$/, 'must be a JSON pointer such as "/spec/replicas" (RFC 6901)');

/** One RFC 6902 operation. */
export const jsonPatchOperation = z.discriminatedUnion('op', [
  z.strictObject({ op: z.enum(['add', 'replace', 'test']), path: pointer, value: z.unknown().refine((v) => v !== undefined, 'value is required') }),
  z.strictObject({ op: z.literal('remove'), path: pointer }),
  z.strictObject({ op: z.enum(['move', 'copy']), from: pointer, path: pointer }),
]);
export type JsonPatchOperation = z.infer<typeof jsonPatchOperation>;

/** The rendered object a patch applies to. */
export const patchTarget = z.strictObject({
  /** Kind of the object, e.g. "Deployment", "Application". */
  kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a Kubernetes kind such as "Deployment"'),
  /** metadata.name of the object. */
  name: z.string().min(1),
  /** metadata.namespace of the object. @default any namespace (the name must then be unique for the kind) */
  namespace: dnsLabel.optional(),
  /** apiVersion of the object, when the kind alone is ambiguous. @default any */
  apiVersion: z.string().min(1).optional(),
});
export type PatchTarget = z.infer<typeof patchTarget>;

/** A JSON patch (RFC 6902) applied to one rendered object after every capability built it. */
export const objectPatch = z.strictObject({
  target: patchTarget,
  patch: z.array(jsonPatchOperation).min(1),
});
export type ObjectPatch = z.infer<typeof objectPatch>;

/** Settings of capabilities, by capability id; each value is validated by its capability's schema. @default {} */
export const extensions = z.record(dnsLabel, z.unknown()).default({});

/** JSON patches of rendered objects, applied last (before `kprod check`). @default [] */
export const patches = z.array(objectPatch).default([]);
