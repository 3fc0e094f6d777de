import { z } from 'zod';
import { addons } from './addons';
import { dnsLabel } from './common';
import { extensions, patches } from './extensions';
import { controlPlane } from './control-plane';
import { infrastructure } from './infrastructure';
import { maintenanceWindow } from './maintenance-window';
import { network } from './network';
import { nodePool, sku } from './node-pools';
import { tenant } from './tenants';

export const priorityClass = z.strictObject({
  name: dnsLabel,
  /** Scheduling priority (user classes must stay below 1000000000). */
  value: z.number().int().min(-2147483648).max(999999999),
  /** @default "" */
  description: z.string().default(''),
});

export const DEFAULT_PRIORITY_CLASSES = [
  { name: 'high', value: 100000, description: 'Latency-critical tenant workloads' },
  { name: 'medium', value: 10000, description: 'Default tier for tenant workloads' },
  { name: 'low', value: 1000, description: 'Batch and best-effort tenant workloads' },
];

export const cluster = z.strictObject({
  name: dnsLabel,
  /** Kubernetes version, e.g. "1.36.2" (v prefix allowed; minors per lib/versions/matrix.ts). */
  kubernetesVersion: z.string().regex(/^v?\d+\.\d+\.\d+$/, 'must be a Kubernetes version such as "1.36.2"'),
  infrastructure,
  /** Availability zones (OpenStack) or failure-domain labels (Metal3). */
  failureDomains: z.array(z.string().min(1)).min(1),
  network,
  controlPlane: controlPlane.prefault({}),
  nodePools: z.array(nodePool).default([]),
  addons: addons.prefault({}),
  tenants: z.array(tenant).default([]),
  /** PriorityClasses tenants' quotas refer to. @default high, medium, low */
  priorityClasses: z.array(priorityClass).default(DEFAULT_PRIORITY_CLASSES),
  /** How far tenants' quotas may exceed the allocatable capacity of the pools they use. @default { overcommitWarnRatio: 1.5, overcommitMaxRatio: 3 } */
  tenancy: z
    .strictObject({
      /** Quota requests above this multiple of allocatable give a warning. @default 1.5 */
      overcommitWarnRatio: z.number().positive().default(1.5),
      /** Quota requests above this multiple of allocatable are an error. @default 3 */
      overcommitMaxRatio: z.number().positive().default(3),
    })
    .prefault({})
    .refine((t) => t.overcommitMaxRatio >= t.overcommitWarnRatio, { message: 'overcommitMaxRatio must not be below overcommitWarnRatio', path: ['overcommitMaxRatio'] }),
  /** Raise the upstream limit of 110 pods per node (acknowledged by the user). @default 110 */
  maxPodsPerNodeLimit: z.number().int().min(110).max(1024).default(110),
  /** Settings of capabilities by capability id, each validated by its capability's schema. @default {} */
  extensions,
  /** JSON patches (RFC 6902) of rendered objects, applied after every capability. @default [] */
  patches,
  /**
   * This cluster's maintenance windows, replacing the environment's (`gitops.maintenanceWindows`)
   * for its machine-replacing Applications. @default [] (the environment's)
   */
  maintenanceWindows: z.array(maintenanceWindow).default([]),
});
export type ClusterInput = z.input<typeof cluster>;

export const environment = z.strictObject({
  name: dnsLabel,
  /** Git repository Argo CD reads `dist/` from. */
  gitops: z.strictObject({
    repoURL: z.string().min(1),
    /** @default "main" */
    targetRevision: z.string().default('main'),
    /** Folder of the synthesized tree inside the repository. @default "dist" */
    path: z.string().default('dist'),
    /** @default "argocd" */
    argocdNamespace: dnsLabel.default('argocd'),
    /**
     * Argo CD project of the platform Applications. kprod renders AppProjects `<env>-platform`
     * (platform), `<env>-<cluster>-tenant-<tenant>` (each tenant folder) and `<env>-root` (the app of apps); set this only
     * to use a project you manage yourself. @default "<env>-platform"
     */
    project: dnsLabel.optional(),
    /**
     * When Argo CD may sync what replaces machines (each cluster's `cluster/` Application and the
     * cloud controller manager); none means whenever a commit lands. @default []
     */
    maintenanceWindows: z.array(maintenanceWindow).default([]),
    /** Automated sync prunes what disappeared from git. @default true */
    prune: z.boolean().default(true),
    /** Automated sync reverts drift. @default true */
    selfHeal: z.boolean().default(true),
  }),
  clusters: z.array(cluster).min(1),
});

export const fleet = z.strictObject({
  /** Fleet name, used in labels. */
  name: dnsLabel,
  /** SKU catalogue node pools refer to by name. */
  skus: z.record(dnsLabel, sku),
  environments: z.array(environment).min(1),
});
