import { z } from 'zod';
import { addons } from './addons';
import { argocdLayout } from './argocd-layout';
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
  /**
   * Metal3: region of the cluster's nodes, set as `topology.kubernetes.io/region` by the kubelet
   * (OpenStack nodes get the region of the cloud config from the cloud controller). @default none
   */
  region: z
    .string()
    .max(63)
    .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'must be a valid label value such as "eu-central"')
    .optional(),
  network,
  controlPlane: controlPlane.prefault({}),
  nodePools: z.array(nodePool).default([]),
  addons: addons.prefault({}),
  tenants: z.array(tenant).default([]),
  /** PriorityClasses tenants' quotas refer to. @default high, medium, low */
  priorityClasses: z.array(priorityClass).default(DEFAULT_PRIORITY_CLASSES),
  /** How far tenants' quotas may exceed the allocatable capacity of the pools they use. @default { overcommitWarnRatio: 1.5, overcommitMaxRatio: 3, priorityClassesNeedQuota: true, apiFairness: {} } */
  tenancy: z
    .strictObject({
      /** Quota requests above this multiple of allocatable give a warning. @default 1.5 */
      overcommitWarnRatio: z.number().positive().default(1.5),
      /** Quota requests above this multiple of allocatable are an error. @default 3 */
      overcommitMaxRatio: z.number().positive().default(3),
      /**
       * Pods may use a PriorityClass of `priorityClasses` only in a namespace whose quota names it
       * (ResourceQuota admission `limitedResources` with a PriorityClass scope; tenant namespaces get a
       * zero quota for the classes they were not given). @default true
       */
      priorityClassesNeedQuota: z.boolean().default(true),
      /**
       * API Priority and Fairness: each tenant's clients (owners, viewers, its namespaces' service
       * accounts) get a priority level of their own, which borrows nothing from other levels.
       * @default { nominalConcurrencyShares: 10, lendablePercent: 50, queues: 16, handSize: 4, queueLengthLimit: 50 }
       */
      apiFairness: z
        .strictObject({
          /** Share of the apiserver's concurrency (built-in workload-low has 100, global-default 20). @default 10 */
          nominalConcurrencyShares: z.number().int().min(1).max(1000).default(10),
          /** Percentage of the level's seats other levels may borrow while it is idle. @default 50 */
          lendablePercent: z.number().int().min(0).max(100).default(50),
          /** Queues of the level (shuffle sharding spreads users over them). @default 16 */
          queues: z.number().int().min(1).max(512).default(16),
          /** Queues each user is dealt; at most `queues`. @default 4 */
          handSize: z.number().int().min(1).max(64).default(4),
          /** Requests waiting per queue before more are rejected with 429. @default 50 */
          queueLengthLimit: z.number().int().min(1).max(1000).default(50),
        })
        .prefault({})
        .refine((f) => f.handSize <= f.queues, { message: 'must not exceed queues', path: ['handSize'] }),
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
    /**
     * How `<env>/argocd/` is organised (`layout` and the `handover` step of a switch) and the
     * application controller's replicas, processors and sharding (`controller`).
     * @default { layout: "flat", handover: false, controller: { shardingAlgorithm: "legacy", shards: "balanced" } }
     */
    argocd: argocdLayout,
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
