import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CLUSTER_API_VERSION, type MachineDeployment } from '../../lib/api';
import { capacity } from '../../lib/sizing/allocatable';
import { formatBytes } from '../../lib/sizing/quantity';
import { kubeletConfiguration } from '../../lib/render/kubelet';
import type { NodePoolSpec, Sku } from '../../lib/spec';
import { withV } from '../../lib/versions/supported';
import { rolloutWave } from '../../lib/day2/rollout-order';
import { machineTemplate, type ObjectRef } from '../cluster-api/machine-template';
import type { ClusterContext } from '../context';
import { failureDomainSlug, GPU_RESOURCE, poolFailureDomains, poolLabels, poolTaints, splitEvenly, POOL_LABEL } from './placement';
import { workerBootstrapTemplate } from './worker-bootstrap';

export const AUTOSCALER_MIN = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
export const AUTOSCALER_MAX = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';
const CAPACITY = 'capacity.cluster-autoscaler.kubernetes.io';

export interface NodePoolProps {
  readonly ctx: ClusterContext;
  /** The pool; its `rollout` and `deletion` settings go into the MachineDeployments. */
  readonly pool: NodePoolSpec;
}

/** One MachineDeployment of the pool (one failure domain). */
export interface PoolMachineDeployment {
  readonly name: string;
  readonly failureDomain: string;
  /** Fixed size; undefined for autoscaled pools. */
  readonly replicas?: number;
  readonly min?: number;
  readonly max?: number;
}

/** The MachineDeployments a pool becomes: one per failure domain, sizes split deterministically. */
export function poolDeployments(ctx: Pick<ClusterContext, 'cluster'>, pool: NodePoolSpec): PoolMachineDeployment[] {
  const fds = poolFailureDomains(ctx.cluster, pool);
  const name = (fd: string) => `${ctx.cluster.name}-${pool.name}-${failureDomainSlug(fd)}`;
  if (pool.autoscaling) {
    const mins = splitEvenly(pool.autoscaling.min, fds.length);
    const maxs = splitEvenly(pool.autoscaling.max, fds.length);
    // A node group that may never grow is no node group: failure domains whose share of max is 0 are left out.
    return fds.flatMap((fd, i) => (maxs[i] > 0 ? [{ name: name(fd), failureDomain: fd, min: mins[i], max: maxs[i] }] : []));
  }
  const replicas = splitEvenly(pool.replicas ?? 3, fds.length);
  return fds.map((fd, i) => ({ name: name(fd), failureDomain: fd, replicas: replicas[i] }));
}

/** Annotations that let the autoscaler build a node from nothing (scale from zero) without asking the provider. */
function capacityAnnotations(ctx: ClusterContext, pool: NodePoolSpec, sku: Sku): Record<string, string> {
  const maxPods = kubeletConfiguration(ctx.cluster, pool).maxPods;
  const cap = capacity(sku, maxPods);
  const labels = poolLabels(ctx.cluster, pool);
  const all = { ...labels.kubelet, ...labels.machine };
  return {
    [`${CAPACITY}/cpu`]: String(sku.cpu),
    [`${CAPACITY}/memory`]: formatBytes(cap.memory),
    [`${CAPACITY}/ephemeral-disk`]: formatBytes(cap.ephemeralStorage),
    [`${CAPACITY}/maxPods`]: String(maxPods),
    ...(sku.gpu
      ? { [`${CAPACITY}/gpu-type`]: GPU_RESOURCE[sku.gpu.vendor], [`${CAPACITY}/gpu-count`]: String(sku.gpu.count) }
      : {}),
    [`${CAPACITY}/labels`]: Object.entries(all)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    ...(poolTaints(ctx.cluster, pool).length
      ? { [`${CAPACITY}/taints`]: poolTaints(ctx.cluster, pool).map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).join(',') }
      : {}),
  };
}

/**
 * One node pool: its machine template, its KubeadmConfigTemplate, and a MachineDeployment per
 * failure domain in the cluster's Cluster API namespace.
 */
export class NodePool extends Construct {
  /** The MachineDeployments, in failure-domain order. */
  readonly deployments: PoolMachineDeployment[];
  /** The pool's templates; on bare metal those of its first failure domain (each domain has its own). */
  readonly bootstrapRef: ObjectRef;
  readonly infrastructureRef: ObjectRef;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    const { ctx, pool } = props;
    const { cluster } = ctx;
    const sku = cluster.skus[pool.sku] as Sku | undefined;
    if (!sku) throw new Error(`node pool ${pool.name}: SKU ${pool.sku} is not among the cluster's SKUs`);
    const image = pool.image;
    // machineTemplate names the template by a hash of its spec: a change is a new name, which rolls the pool.
    this.deployments = poolDeployments(ctx, pool);
    // Bare metal has no cloud controller to label zones or place machines: each failure domain gets
    // templates of its own, selecting hosts labelled kprod.io/failure-domain=<fd> and registering
    // their nodes with topology.kubernetes.io/zone=<fd>. OpenStack: OCCM labels the zone from the
    // server's Nova availability zone (and the region from its cloud config).
    const perDomain = new Map<string, { infra: ObjectRef; bootstrap: ObjectRef }>();
    if (cluster.infrastructure.provider === 'metal3')
      for (const fd of new Set(this.deployments.map((d) => d.failureDomain))) {
        const name = `${cluster.name}-${pool.name}-${failureDomainSlug(fd)}`;
        perDomain.set(fd, {
          infra: machineTemplate(this, ctx, { name, role: 'worker', sku, failureDomain: fd, ...(image ? { image } : {}) }),
          bootstrap: workerBootstrapTemplate(this, ctx, pool, fd),
        });
      }
    const first = perDomain.values().next().value;
    if (first) {
      this.infrastructureRef = first.infra;
      this.bootstrapRef = first.bootstrap;
    } else {
      this.infrastructureRef = machineTemplate(this, ctx, { name: `${cluster.name}-${pool.name}`, role: 'worker', sku, ...(image ? { image } : {}) });
      this.bootstrapRef = workerBootstrapTemplate(this, ctx, pool);
    }
    const labels = poolLabels(cluster, pool);
    const deletion = { ...pool.deletion };
    const rollingUpdate = { maxSurge: pool.rollout.maxSurge, maxUnavailable: pool.rollout.maxUnavailable };

    for (const md of this.deployments) {
      const selectorLabels = { 'cluster.x-k8s.io/cluster-name': cluster.name, 'cluster.x-k8s.io/deployment-name': md.name };
      const annotations = pool.autoscaling
        ? { [AUTOSCALER_MIN]: String(md.min), [AUTOSCALER_MAX]: String(md.max), ...capacityAnnotations(ctx, pool, sku) }
        : undefined;
      const deployment: MachineDeployment = {
        apiVersion: CLUSTER_API_VERSION,
        kind: 'MachineDeployment',
        metadata: {
          name: md.name,
          namespace: ctx.capiNamespace,
          labels: { 'cluster.x-k8s.io/cluster-name': cluster.name, [POOL_LABEL]: pool.name },
          // Wave 1: pools move to a new version only once the control plane runs it (lib/day2/rollout-order.ts).
          annotations: { ...rolloutWave('workers'), ...(annotations ?? {}) },
        },
        spec: {
          clusterName: cluster.name,
          // Autoscaled pools leave replicas to the autoscaler (Cluster API starts them at the min-size annotation).
          ...(md.replicas !== undefined ? { replicas: md.replicas } : {}),
          selector: { matchLabels: selectorLabels },
          rollout: { strategy: { type: 'RollingUpdate', rollingUpdate } },
          // Replace one unhealthy machine at a time per failure domain.
          remediation: { maxInFlight: 1 },
          deletion: { order: 'Oldest' },
          template: {
            metadata: { labels: { ...selectorLabels, [POOL_LABEL]: pool.name, ...labels.machine } },
            spec: {
              clusterName: cluster.name,
              version: withV(cluster.kubernetesVersion),
              failureDomain: md.failureDomain,
              bootstrap: { configRef: perDomain.get(md.failureDomain)?.bootstrap ?? this.bootstrapRef },
              infrastructureRef: perDomain.get(md.failureDomain)?.infra ?? this.infrastructureRef,
              deletion,
            },
          },
        },
      };
      new ApiObject(this, md.name, deployment);
    }
  }
}
