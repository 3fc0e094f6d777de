import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { createHash } from 'crypto';
import { BOOTSTRAP_API_VERSION, type KubeadmConfigTemplate, type WorkerKubeadmConfigSpec } from '../../lib/api';
import { hostSettings } from '../../lib/render/host-settings';
import { extendedResourceCommands } from '../../lib/render/extended-resources';
import { hugepagesCommands } from '../../lib/render/hugepages';
import { controlPlaneNodeRegistration } from '../../lib/render/kubeadm';
import { KUBEADM_PATCHES_DIR, kubeletHostFiles } from '../../lib/render/kubelet';
import type { NodePoolSpec } from '../../lib/spec';
import type { ObjectRef } from '../cluster-api/machine-template';
import type { ClusterContext } from '../context';
import { REGION_LABEL, ZONE_LABEL } from '../../lib/render/scheduler-config';
import { failureDomainSlug, nodeLabelsArg, poolLabels, poolTaints } from './placement';

export const BOOTSTRAP_GROUP = 'bootstrap.cluster.x-k8s.io';

/** 8 hex characters of the SHA-256 of `value`'s JSON: a template name changes exactly when its content does. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8);
}

/**
 * `spec.template.spec` of a pool's KubeadmConfigTemplate (kubeadm join of a worker). With a
 * `failureDomain` (bare metal, where no cloud controller labels nodes) the kubelet registers the
 * node with `topology.kubernetes.io/zone=<failureDomain>` (and `topology.kubernetes.io/region` when the
 * cluster sets `region`), which NodeRestriction lets it set.
 */
export function workerKubeadmConfigSpec(ctx: ClusterContext, pool: NodePoolSpec, failureDomain?: string): WorkerKubeadmConfigSpec {
  const { cluster } = ctx;
  const host = hostSettings(cluster, pool);
  // Provider-specific registration (cloud-provider external + provider-id on OpenStack) is shared with the control plane.
  const base = controlPlaneNodeRegistration(cluster) as { name?: string; kubeletExtraArgs?: { name: string; value: string }[] };
  const topology = failureDomain !== undefined ? { [ZONE_LABEL]: failureDomain, ...(cluster.region ? { [REGION_LABEL]: cluster.region } : {}) } : {};
  const labels = { ...poolLabels(cluster, pool).kubelet, ...topology };
  const taints = poolTaints(cluster, pool).map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }));
  return {
    files: [...kubeletHostFiles(cluster, pool), ...host.files],
    preKubeadmCommands: [...host.preKubeadmCommands, ...hugepagesCommands(cluster.skus[pool.sku] ?? {})],
    ...(extendedResourceCommands(cluster.skus[pool.sku] ?? {}).length ? { postKubeadmCommands: extendedResourceCommands(cluster.skus[pool.sku] ?? {}) } : {}),
    joinConfiguration: {
      nodeRegistration: {
        ...base,
        kubeletExtraArgs: [...(base.kubeletExtraArgs ?? []), { name: 'node-labels', value: nodeLabelsArg(labels) }],
        // kubeadm registers the node with these taints (--register-with-taints), before any pod can land.
        ...(taints.length ? { taints } : {}),
      },
      // kubeadm applies the kubeletconfiguration patch from here when it writes /var/lib/kubelet/config.yaml.
      patches: { directory: KUBEADM_PATCHES_DIR },
    },
  };
}

/**
 * The pool's KubeadmConfigTemplate. Its name carries a hash of its content: Cluster API rolls
 * MachineDeployments only when a referenced template *name* changes, so a changed kubelet config
 * or sysctl in git reaches the nodes through a rolling replacement.
 */
export function workerBootstrapTemplate(scope: Construct, ctx: ClusterContext, pool: NodePoolSpec, failureDomain?: string): ObjectRef {
  const spec = workerKubeadmConfigSpec(ctx, pool, failureDomain);
  const stem = failureDomain !== undefined ? `${pool.name}-${failureDomainSlug(failureDomain)}` : pool.name;
  const name = `${ctx.cluster.name}-${stem}-${contentHash(spec)}`;
  const template: KubeadmConfigTemplate = {
    apiVersion: BOOTSTRAP_API_VERSION,
    kind: 'KubeadmConfigTemplate',
    metadata: { name, namespace: ctx.capiNamespace, labels: { 'cluster.x-k8s.io/cluster-name': ctx.cluster.name, 'kprod.io/pool': pool.name } },
    spec: { template: { spec } },
  };
  new ApiObject(scope, `${stem}-kubeadmconfigtemplate`, template);
  return { apiGroup: BOOTSTRAP_GROUP, kind: 'KubeadmConfigTemplate', name };
}
