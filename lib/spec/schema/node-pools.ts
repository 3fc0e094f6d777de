import { z } from 'zod';
import { tryParseQuantity } from '../../sizing/quantity';
import { dnsLabel, duration, labels, quantity, taint } from './common';

/** The loose QUANTITY pattern lets "1.2.3Gi" or "4GiGi" through; the exact parser does not. */
const positiveQuantity = (v: string) => (tryParseQuantity(v)?.nanos ?? 0n) > 0n;
const POSITIVE_QUANTITY = 'must be a positive Kubernetes quantity such as "64Gi" or "500G"';

/**
 * Extended resource name as the scheduler sees it (`nvidia.com/gpu`, `example.com/fpga`): a
 * domain-prefixed name outside `kubernetes.io`.
 */
export const extendedResourceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/, 'must be an extended resource name such as "nvidia.com/gpu" (domain/name)')
  .refine((v) => !/(^|\.)kubernetes\.io\//.test(v), 'must not be in the kubernetes.io domain (reserved for native resources)');

/** A hardware SKU: what one machine of a pool has. */
export const sku = z.strictObject({
  /** Logical CPUs. */
  cpu: z.number().int().positive(),
  /** Memory, as a quantity (e.g. "64Gi"). */
  memory: quantity.refine(positiveQuantity, POSITIVE_QUANTITY),
  /** Ephemeral (root) storage, as a quantity. @default "100Gi" */
  ephemeralStorage: quantity.refine(positiveQuantity, POSITIVE_QUANTITY).default('100Gi'),
  /** GPUs per machine. @default none */
  gpu: z.strictObject({ vendor: z.enum(['nvidia', 'amd', 'intel']), count: z.number().int().positive() }).optional(),
  /**
   * Extended resources each machine advertises besides GPUs (FPGAs, NICs with VFs…), by scheduler
   * name; kprod adds them to the Node's capacity at boot so tenants' quotas can use them. @default none
   */
  extendedResources: z.record(extendedResourceName, z.number().int().positive()).optional(),
  /**
   * Huge pages pre-allocated at boot per machine, by page size (`2Mi`, `1Gi`) and count; they come
   * out of allocatable memory and are offered to pods as `hugepages-<size>`. @default none
   */
  hugepages: z.strictObject({ '2Mi': z.number().int().positive().optional(), '1Gi': z.number().int().positive().optional() }).optional(),
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
  /** `static` gives Guaranteed pods with whole-CPU requests exclusive cores. @default "none" */
  cpuManagerPolicy: z.enum(['none', 'static']).optional(),
  /** How the kubelet aligns CPUs, memory and devices on NUMA nodes. @default "none" */
  topologyManagerPolicy: z.enum(['none', 'best-effort', 'restricted', 'single-numa-node']).optional(),
  /** Align per container or per pod. @default "container" */
  topologyManagerScope: z.enum(['container', 'pod']).optional(),
  /** `Static` pins Guaranteed pods' memory (and huge pages) to NUMA nodes. @default "None" */
  memoryManagerPolicy: z.enum(['None', 'Static']).optional(),
  /**
   * Memory reserved per NUMA node for the Static memory manager; its sum must equal kube + system
   * reserved memory + the hard `memory.available` threshold. @default all of it on NUMA node 0
   */
  reservedMemory: z.array(z.strictObject({ numaNode: z.number().int().min(0), memory: quantity })).min(1).optional(),
  /**
   * CPUs (cpuset list such as "0-1" or "0,24") kept for system daemons; replaces the CPU part of
   * kube/system reserved. @default none (the reservation formula's millicores)
   */
  reservedSystemCPUs: z.string().regex(/^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$/, 'must be a cpuset list such as "0-1" or "0,24"').optional(),
});
export type KubeletOverrides = z.infer<typeof kubeletOverrides>;

/** A count (`2`) or a share (`"40%"`), as Cluster API's int-or-string fields take it. */
export const intOrPercent = z.union([
  z.number().int().min(0),
  z.string().regex(/^[0-9]+%$/, 'must be a whole number or a percentage such as "25%"'),
]);

/** How the pool's MachineHealthCheck decides and remediates. */
export const poolHealthCheck = z.strictObject({
  /**
   * Remediate only while at most this many (or this share) of the pool's machines are unhealthy;
   * beyond it the cause is likely shared (a network partition, storage) and replacing machines
   * makes it worse. Ignored when `unhealthyInRange` is set.
   * @default "40%"
   */
  unhealthyLessThanOrEqualTo: intOrPercent.default('40%'),
  /** Remediate only while the number of unhealthy machines is in this range, e.g. "[1-3]". @default none */
  unhealthyInRange: z.string().regex(/^\[[0-9]+-[0-9]+\]$/, 'must be a range such as "[1-3]"').optional(),
  /** A machine whose node has not joined after this long is remediated. @default 1200 on OpenStack, 3600 on bare metal */
  nodeStartupTimeoutSeconds: z.number().int().positive().optional(),
  /** Bare metal only: reboots tried (Metal3RemediationTemplate) before the machine is replaced and a host reprovisioned. */
  reboot: z
    .strictObject({
      /** @default 1 */
      retryLimit: z.number().int().min(1).default(1),
      /** Seconds to wait for the node after each reboot (Metal3 minimum 100). @default 600 */
      timeoutSeconds: z.number().int().min(100).default(600),
    })
    .prefault({}),
});
export type PoolHealthCheck = z.infer<typeof poolHealthCheck>;

/** How a pool's MachineDeployments replace machines (new image, new template). */
export const poolRollout = z.strictObject({
  /** Machines created above the desired count during a rollout. @default 1 */
  maxSurge: intOrPercent.default(1),
  /** Machines that may be missing during a rollout. @default 0 (capacity never drops; with maxSurge 1, one machine at a time) */
  maxUnavailable: intOrPercent.default(0),
});

/**
 * How long Cluster API waits on a leaving machine before going on regardless (Cluster API's own
 * defaults for drain and detach are 0 = forever, which lets one stuck PodDisruptionBudget or
 * volume block a rollout indefinitely).
 */
export const poolDeletion = z.strictObject({
  /** Drain time, honouring PodDisruptionBudgets, before the machine goes anyway. @default 600 (10 min: long enough for graceful shutdowns and slow PDB-guarded moves) */
  nodeDrainTimeoutSeconds: z.number().int().min(0).default(600),
  /** Wait for volumes to detach after the drain. @default 300 (Cinder/CSI detach usually takes seconds; 5 min covers a slow storage backend) */
  nodeVolumeDetachTimeoutSeconds: z.number().int().min(0).default(300),
  /**
   * Retries deleting the Node object in the workload cluster. @default 300 (rides out an API server
   * restart or control-plane rollout without leaving a stale Node, yet never blocks a replacement for long)
   */
  nodeDeletionTimeoutSeconds: z.number().int().min(0).default(300),
});

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
  /**
   * Least share of each resource's capacity (CPU, memory, ephemeral storage) that must stay
   * allocatable after kube/system reservations and the hard eviction threshold; a pool under it
   * is rejected (it would waste most of its machine). Exclusive range (0, 1). @default 0.5
   */
  allocatableFloor: z.number().gt(0, 'must be greater than 0').lt(1, 'must be less than 1').default(0.5),
  /** Image overriding the cluster's. @default cluster image */
  image: z.string().optional(),
  /** Extra sysctls. @default {} */
  sysctls: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  /** Kernel modules to load at boot. @default [] */
  kernelModules: z.array(z.string()).default([]),
  /** Tenant that owns this pool exclusively. @default none */
  dedicatedTo: dnsLabel.optional(),
  /** Rolling-update limits of the pool's MachineDeployments. @default maxSurge 1, maxUnavailable 0 */
  rollout: poolRollout.prefault({}),
  /** Timeouts when a machine leaves. @default drain 600 s, volume detach 300 s, Node deletion 300 s */
  deletion: poolDeletion.prefault({}),
  /** MachineHealthCheck settings. @default remediate up to 40% unhealthy; Metal3: one reboot, 600 s, then replace */
  healthCheck: poolHealthCheck.prefault({}),
});
export type NodePool = z.infer<typeof nodePool>;
