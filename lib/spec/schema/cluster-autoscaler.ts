import { z } from 'zod';
import { duration } from './common';

/** Expanders the cluster-autoscaler offers for choosing among node groups that fit the pending pods. */
export const AUTOSCALER_EXPANDERS = ['least-waste', 'random', 'most-pods', 'price', 'priority'] as const;

/** cluster-autoscaler settings (Cluster API provider), `addons.clusterAutoscaler`. */
export const clusterAutoscalerSettings = z.strictObject({
  /** @default enabled when a pool autoscales */
  enabled: z.boolean().optional(),
  /**
   * Expander (`--expander`): least-waste picks the node group leaving the least idle CPU/memory.
   * "priority" reads the ConfigMap `cluster-autoscaler-priority-expander` in `kube-system` of the
   * workload cluster (not written by kprod); "price" needs a pricing model the Cluster API provider lacks.
   * @default "least-waste"
   */
  expander: z.enum(AUTOSCALER_EXPANDERS).default('least-waste'),
  /** A node whose requests are below this share of allocatable may be removed (`--scale-down-utilization-threshold`). @default 0.5 */
  scaleDownUtilizationThreshold: z.number().gt(0).max(1).default(0.5),
  /** How long a node must be unneeded before removal (`--scale-down-unneeded-time`). @default "10m" */
  scaleDownUnneededTime: duration.default('10m'),
  /** Image overriding the release kprod pins per Kubernetes minor. @default pinned per minor */
  image: z.string().min(1).optional(),
});
export type ClusterAutoscalerSettings = z.infer<typeof clusterAutoscalerSettings>;
