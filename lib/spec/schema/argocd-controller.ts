import { z } from 'zod';

/**
 * Sharding algorithms the application controller accepts (`controller.sharding.algorithm`), as
 * Argo CD v3.4.4 (the pinned chart's appVersion) lists them in GetDistributionFunction
 * (controller/sharding/sharding.go); recorded in upstream/charts/argo-cd-10.1.1.json (`app`).
 */
export const SHARDING_ALGORITHMS = ['legacy', 'round-robin', 'consistent-hashing'] as const;

/** The most controller replicas kprod sets (Argo CD shards by cluster: one replica per 1000 Applications reaches it at about 100 000). */
export const MAX_CONTROLLER_REPLICAS = 64;

/** The most processors of either queue kprod sets per replica. */
export const MAX_CONTROLLER_PROCESSORS = 1000;

/**
 * Settings of the environment's Argo CD application controller, which the bootstrap stack installs
 * (stacks/bootstrap/argocd-controller.ts; the rules and their sources are in docs/gitops-scale.md).
 * Every field left out is derived from the environment's size when the stack runs, not stored in
 * the spec, so adding a cluster or a tenant does not change the environment's settings.
 */
export const argocdController = z
  .strictObject({
    /**
     * Application controller replicas; Argo CD shards the environment's clusters (the management
     * cluster and each workload cluster) over them. Changing it restarts every controller pod.
     * @default derived: one replica per 1000 Applications kprod writes for the environment, at least 1,
     * at most one per cluster (workload clusters + the management cluster)
     */
    replicas: z.number().int().min(1).max(MAX_CONTROLLER_REPLICAS).optional(),
    /**
     * Status (reconciliation) processors of each replica (`controller.status.processors`).
     * @default derived: one per 20 Applications of the busiest replica, at least Argo CD's 20, at most 1000
     */
    statusProcessors: z.number().int().min(1).max(MAX_CONTROLLER_PROCESSORS).optional(),
    /**
     * Operation (sync) processors of each replica (`controller.operation.processors`).
     * @default derived: one per 40 Applications of the busiest replica, at least Argo CD's 10, at most 1000
     */
    operationProcessors: z.number().int().min(1).max(MAX_CONTROLLER_PROCESSORS).optional(),
    /**
     * How Argo CD places clusters that have no fixed shard on the replicas
     * (`controller.sharding.algorithm`). With `shards: balanced` that is only clusters registered
     * outside kprod. Argo CD documents `round-robin` and `consistent-hashing` as experimental.
     * @default "legacy" (Argo CD's default)
     */
    shardingAlgorithm: z.enum(SHARDING_ALGORITHMS).default('legacy'),
    /**
     * With more than one replica: `balanced` gives the management cluster (declared as the
     * `in-cluster` cluster Secret) shard 0 and every cluster kprod registers a fixed shard, with
     * fewer workload clusters on shard 0 by the share of the Applications the management cluster
     * carries; `argocd` leaves every cluster to `shardingAlgorithm`. @default "balanced"
     */
    shards: z.enum(['balanced', 'argocd']).default('balanced'),
  })
  .prefault({});
