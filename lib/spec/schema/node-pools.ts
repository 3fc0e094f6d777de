import { z } from 'zod';
import { dnsLabel, duration, labels, quantity, taint } from './common';

/** A hardware SKU: what one machine of a pool has. */
export const sku = z.strictObject({
  /** Logical CPUs. */
  cpu: z.number().int().positive(),
  /** Memory, as a quantity (e.g. "64Gi"). */
  memory: quantity,
  /** Ephemeral (root) storage, as a quantity. @default "100Gi" */
  ephemeralStorage: quantity.default('100Gi'),
  /** GPUs per machine. @default none */
  gpu: z.strictObject({ vendor: z.enum(['nvidia', 'amd', 'intel']), count: z.number().int().positive() }).optional(),
  /** OpenStack flavor of this SKU. */
  flavor: z.string().optional(),
  /** Bare-metal host class: BareMetalHosts labelled `kprod.io/host-class=<value>`. */
  hostClass: dnsLabel.optional(),
});
export type Sku = z.infer<typeof sku>;

/** Threshold: absolute quantity ("500Mi") or percentage ("10%"). */
export const threshold = z.string().regex(/^([0-9]+(\.[0-9]+)?%|[0-9.]+[a-zA-Z]*)$/, 'must be a quantity ("500Mi") or a percentage ("10%")');

/** Kubelet settings a pool may override; everything else comes from kprod's hardened defaults. */
export const kubeletOverrides = z.strictObject({
  /** @default 110 */
  maxPods: z.number().int().positive().optional(),
  /** @default 4096 */
  podPidsLimit: z.number().int().positive().optional(),
  /** @default "50Mi" */
  containerLogMaxSize: z.string().optional(),
  /** @default 5 */
  containerLogMaxFiles: z.number().int().min(2).optional(),
  evictionHard: z.record(z.string(), threshold).optional(),
  evictionSoft: z.record(z.string(), threshold).optional(),
  evictionSoftGracePeriod: z.record(z.string(), duration).optional(),
  /** @default 85 */
  imageGCHighThresholdPercent: z.number().int().min(0).max(100).optional(),
  /** @default 80 */
  imageGCLowThresholdPercent: z.number().int().min(0).max(100).optional(),
});
export type KubeletOverrides = z.infer<typeof kubeletOverrides>;

export const nodePool = z.strictObject({
  name: dnsLabel,
  /** Name of an entry of the fleet's `skus`. */
  sku: dnsLabel,
  /** Failure domains to spread over. @default the cluster's failure domains */
  failureDomains: z.array(z.string()).optional(),
  /** Fixed size (ignored when autoscaling is set). @default 3 */
  replicas: z.number().int().min(0).optional(),
  /** Cluster-autoscaler bounds. @default none */
  autoscaling: z.strictObject({ min: z.number().int().min(0), max: z.number().int().positive() }).optional(),
  /** Node labels. @default {} */
  labels: labels.default({}),
  /** Node taints (GPU pools get `nvidia.com/gpu=present:NoSchedule` unless they set their own). @default [] */
  taints: z.array(taint).default([]),
  /** Kubelet overrides. @default {} */
  kubelet: kubeletOverrides.prefault({}),
  /** Image overriding the cluster's. @default cluster image */
  image: z.string().optional(),
  /** Extra sysctls. @default {} */
  sysctls: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  /** Kernel modules to load at boot. @default [] */
  kernelModules: z.array(z.string()).default([]),
  /** Tenant that owns this pool exclusively. @default none */
  dedicatedTo: dnsLabel.optional(),
});
export type NodePool = z.infer<typeof nodePool>;
