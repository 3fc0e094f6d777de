import { z } from 'zod';
import { tryParseQuantity } from '../../sizing/quantity';

/** RFC 1123 label: what Kubernetes accepts for namespaces and most object names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: label values joined with dots. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const dnsLabel = z
  .string()
  .max(63)
  .regex(DNS_LABEL, 'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit');

export const dnsSubdomain = z
  .string()
  .max(253)
  .regex(DNS_SUBDOMAIN, 'must be a DNS-1123 subdomain (lower-case, dot-separated labels)');

/** Kubernetes resource quantity, e.g. `500m`, `4Gi`, `1.5`, `10G`. */
export const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
export const quantity = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(QUANTITY, 'must be a Kubernetes quantity such as "500m", "4Gi" or "2"'))
  // The loose pattern lets "32GiGi" or "1.2.3" through; the exact parser the renderers use does not.
  .refine((v) => !QUANTITY.test(v) || tryParseQuantity(v) !== undefined, {
    message: 'must be a Kubernetes quantity such as "500m", "4Gi" or "2" (one number, at most one unit)',
    // One message per bad quantity: refinements added on top (e.g. "positive") do not run after it.
    abort: true,
  });

export const ipv4 = z.ipv4({ message: 'must be an IPv4 address' });
export const cidr = z.string().refine((v) => /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(v), 'must be a CIDR such as 10.0.0.0/16');

const labelKey = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'must be a label key ([prefix/]name)');
export const labels = z.record(labelKey, z.string().max(63).regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, 'must be a valid label value'));

export const taint = z.strictObject({
  key: labelKey,
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});
export type Taint = z.infer<typeof taint>;

/** Go duration as Kubernetes components read it: `30s`, `5m`, `1h30m`. */
export const duration = z.string().regex(/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/, 'must be a Go duration such as "30s", "5m" or "1h30m"');
