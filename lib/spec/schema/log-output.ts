/**
 * A log output kprod has no built-in type for: one Fluent Bit output section given as data
 * (`addons.logging.output: { type: custom, section: { name: kafka, brokers: ..., topics: ... } }`).
 * kprod adds `match: "*"`, unlimited retries and the buffer cap unless the section sets them.
 * Secrets never go inline: a key that names a password, token or secret must hold an environment
 * reference (`${FLUENT_PASSWORD}`), filled from `credentialsSecret`.
 */
import { z } from 'zod';
import { dnsSubdomain } from './common';

/** Keys that carry secrets in Fluent Bit outputs (http_passwd, sasl.password, token, api_key, ...). */
export const SECRET_KEY = /(passw(or)?d|secret|token|api[_.-]?key|access[_.-]?key|credential)/i;
const PROPERTY_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
/** An environment variable reference, the only value a secret key may have. */
const ENV_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

export const customOutputSection = z
  .record(
    z.string(),
    // Checked below with the keys, so every problem of the section is reported at once.
    z.unknown(),
  )
  .superRefine((section, ctx) => {
    const keys = Object.keys(section);
    const nameKeys = keys.filter((k) => k.toLowerCase() === 'name');
    if (nameKeys.length !== 1 || typeof section[nameKeys[0]] !== 'string' || !section[nameKeys[0]])
      ctx.addIssue({ code: 'custom', path: nameKeys.length === 1 ? [nameKeys[0]] : [], message: 'needs exactly one "name": the Fluent Bit output plugin, e.g. "kafka"', input: nameKeys.length === 1 ? section[nameKeys[0]] : keys });
    const seen = new Map<string, string>();
    for (const key of keys) {
      const value = section[key];
      if (!['string', 'number', 'boolean'].includes(typeof value)) ctx.addIssue({ code: 'custom', path: [key], message: 'must be a string, number or boolean', input: value });
      if (!PROPERTY_NAME.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'must be a Fluent Bit property name (letters, digits, "_", ".", "-")', input: key });
      const lower = key.toLowerCase();
      if (seen.has(lower)) ctx.addIssue({ code: 'custom', path: [key], message: `repeats "${seen.get(lower)}" (Fluent Bit property names ignore case)`, input: section[key] });
      seen.set(lower, key);
      if (SECRET_KEY.test(key) && !ENV_REFERENCE.test(String(section[key])))
        ctx.addIssue({ code: 'custom', path: [key], message: 'looks like a secret: give an environment reference such as "${FLUENT_PASSWORD}" and set credentialsSecret; secrets never go into git', input: '(redacted)' });
    }
  })
  .transform((section) => section as Record<string, string | number | boolean>);

export const customLogOutput = z.strictObject({
  type: z.literal('custom'),
  /** The Fluent Bit output section (YAML-format property names). */
  section: customOutputSection,
  /** Secret (in the logging namespace) with keys `username` and `password`, exposed as FLUENT_USER and FLUENT_PASSWORD. @default none */
  credentialsSecret: dnsSubdomain.optional(),
});
export type CustomLogOutput = z.infer<typeof customLogOutput>;
