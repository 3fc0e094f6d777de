import { z } from 'zod';
import { dnsLabel, quantity } from './common';
import { extendedResourceName } from './node-pools';

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
  /** Local ephemeral storage (emptyDir, logs, writable layers) requested by the namespace's pods. */
  'requests.ephemeral-storage': quantity.optional(),
  'limits.ephemeral-storage': quantity.optional(),
  pods: z.number().int().min(0).optional(),
  services: z.number().int().min(0).optional(),
  'services.loadbalancers': z.number().int().min(0).optional(),
  persistentvolumeclaims: z.number().int().min(0).optional(),
  configmaps: z.number().int().min(0).optional(),
  secrets: z.number().int().min(0).optional(),
});

/** The namespace quota: compute, storage, object counts and extended resources. */
export const namespaceQuota = computeQuota.extend({
  /** Extended resources per namespace by scheduler name (rendered `requests.<name>`), e.g. `{ "nvidia.com/gpu": 8 }`. @default {} */
  extended: z.record(extendedResourceName, quantity).default({}),
});

/** What a quota with a pod scope (PriorityClass, BestEffort, …) may limit: the apiserver accepts pods and cpu/memory only. */
export const podScopedQuota = z.strictObject({
  'requests.cpu': quantity.optional(),
  'requests.memory': quantity.optional(),
  'limits.cpu': quantity.optional(),
  'limits.memory': quantity.optional(),
  pods: z.number().int().min(0).optional(),
});

/** Quotas per pod scope (ResourceQuota `scopes`); BestEffort pods request nothing, so only their count is limited. */
export const scopeQuotas = z.strictObject({
  /** Pods without requests or limits. @default unlimited */
  BestEffort: z.strictObject({ pods: z.number().int().min(0) }).optional(),
  /** Pods with a request or limit. @default unlimited */
  NotBestEffort: podScopedQuota.optional(),
  /** Pods with `activeDeadlineSeconds` (jobs that end). @default unlimited */
  Terminating: podScopedQuota.optional(),
  /** Pods without `activeDeadlineSeconds` (services). @default unlimited */
  NotTerminating: podScopedQuota.optional(),
});

export const tenant = z.strictObject({
  name: dnsLabel,
  owners: subjects.prefault({}),
  viewers: subjects.prefault({}),
  /** Namespaces of the tenant (each gets the full bundle). */
  namespaces: z.array(tenantNamespace).min(1),
  /** Quota per namespace. @default {} */
  quota: namespaceQuota.prefault({}),
  /**
   * Quota per namespace and PriorityClass tier; the tenant may use only the classes named here (the
   * others get a zero quota, see `tenancy.priorityClassesNeedQuota`). @default {}
   */
  priorityQuotas: z.record(dnsLabel, podScopedQuota).default({}),
  /** Quota per namespace and pod scope (BestEffort, NotBestEffort, Terminating, NotTerminating). @default {} */
  scopeQuotas: scopeQuotas.default({}),
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
