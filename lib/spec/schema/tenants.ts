import { z } from 'zod';
import { dnsLabel, quantity } from './common';

export const subjects = z.strictObject({
  /** OIDC groups. @default [] */
  groups: z.array(z.string().min(1)).default([]),
  /** OIDC users. @default [] */
  users: z.array(z.string().min(1)).default([]),
});

export const tenantNamespace = z.strictObject({
  name: dnsLabel,
  /** Pod Security level overriding the tenant's. @default tenant level */
  podSecurity: z.enum(['privileged', 'baseline', 'restricted']).optional(),
});

export const computeQuota = z.strictObject({
  'requests.cpu': quantity.optional(),
  'requests.memory': quantity.optional(),
  'limits.cpu': quantity.optional(),
  'limits.memory': quantity.optional(),
  'requests.storage': quantity.optional(),
  pods: z.number().int().min(0).optional(),
  services: z.number().int().min(0).optional(),
  'services.loadbalancers': z.number().int().min(0).optional(),
  persistentvolumeclaims: z.number().int().min(0).optional(),
  configmaps: z.number().int().min(0).optional(),
  secrets: z.number().int().min(0).optional(),
});

export const tenant = z.strictObject({
  name: dnsLabel,
  owners: subjects.prefault({}),
  viewers: subjects.prefault({}),
  /** Namespaces of the tenant (each gets the full bundle). */
  namespaces: z.array(tenantNamespace).min(1),
  /** Quota per namespace. @default {} */
  quota: computeQuota.default({}),
  /** Quota per namespace and PriorityClass tier. @default {} */
  priorityQuotas: z.record(dnsLabel, computeQuota).default({}),
  /** LimitRange per container. @default requests 100m/128Mi, limits 1/1Gi, max 8/32Gi */
  limits: z
    .strictObject({
      /** @default { cpu: "100m", memory: "128Mi" } */
      defaultRequest: z.strictObject({ cpu: quantity, memory: quantity }).default({ cpu: '100m', memory: '128Mi' }),
      /** @default { cpu: "1", memory: "1Gi" } */
      default: z.strictObject({ cpu: quantity, memory: quantity }).default({ cpu: '1', memory: '1Gi' }),
      /** @default { cpu: "8", memory: "32Gi" } */
      max: z.strictObject({ cpu: quantity, memory: quantity }).default({ cpu: '8', memory: '32Gi' }),
    })
    .prefault({}),
  /** Pod Security Admission level. @default "restricted" */
  podSecurity: z.enum(['privileged', 'baseline', 'restricted']).default('restricted'),
  /** Traffic allowed beyond the defaults (DNS, own namespaces). @default {} */
  network: z
    .strictObject({
      /** Namespaces allowed to reach the tenant's pods. @default [] */
      allowIngressFromNamespaces: z.array(dnsLabel).default([]),
      /** Namespaces the tenant's pods may reach. @default [] */
      allowEgressToNamespaces: z.array(dnsLabel).default([]),
      /** CIDRs the tenant's pods may reach. @default [] */
      allowEgressToCidrs: z.array(z.string()).default([]),
    })
    .prefault({}),
  /** Node pools dedicated to this tenant (tainted kprod.io/tenant=<name>). @default [] */
  nodePools: z.array(dnsLabel).default([]),
});
export type Tenant = z.infer<typeof tenant>;
