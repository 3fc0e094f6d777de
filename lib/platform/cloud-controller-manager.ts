/**
 * openstack-cloud-controller-manager (OCCM) for OpenStack workload clusters. kprod's kubelets run
 * with `cloud-provider: external`, so every node carries the
 * `node.cloudprovider.kubernetes.io/uninitialized` taint until OCCM sets its provider ID and
 * addresses; nothing else schedules before that.
 *
 * Credentials never enter git: the chart mounts an existing Secret (`secret.create: false`,
 * CLOUD_CONFIG_SECRET in kube-system of the workload cluster). The Pulumi stack writes it, from
 * `kprod:occmCloudConf`, wrapped in the ClusterResourceSet Secret `<cluster>-occm-cloud-config`
 * in the cluster's namespace on the management cluster; the ClusterResourceSet in `dist/`
 * (constructs/platform/occm-cloud-config.ts) makes Cluster API apply it to the workload cluster.
 */
import type { ClusterSpec, EnvironmentSpec } from '../spec';
import { KUBERNETES_MATRIX } from '../versions/matrix';
import { minorOf } from '../versions/skew';
import { parseKubernetesVersion } from '../versions/supported';
import { helmApplication, type PinnedChart } from './helm-application';
import { PLATFORM_SYNC_WAVES } from './sync-waves';

export const OCCM_REPO = 'https://kubernetes.github.io/cloud-provider-openstack';
export const OCCM_CHART_NAME = 'openstack-cloud-controller-manager';

/**
 * Chart version per Kubernetes minor: chart 2.<minor>.x ships OCCM v1.<minor>.x, and the CCM
 * follows the cluster's minor (same client libraries and cloud-provider framework).
 */
export const OCCM_CHART_VERSIONS: Readonly<Record<string, string>> = Object.fromEntries(
  KUBERNETES_MATRIX.flatMap((m) => (m.occmChart ? [[m.minor, m.occmChart.version]] : [])),
);

/** The Secret OCCM reads its INI cloud config from (key `cloud.conf`, mounted at /etc/config). */
export const CLOUD_CONFIG_SECRET = { name: 'cloud-config', namespace: 'kube-system', key: 'cloud.conf' } as const;

/** The pinned chart for the cluster's Kubernetes minor; throws naming the field when there is none. */
export function occmChart(cluster: Pick<ClusterSpec, 'name' | 'kubernetesVersion'>): PinnedChart {
  const minor = parseKubernetesVersion(cluster.kubernetesVersion) ? minorOf(cluster.kubernetesVersion) : undefined;
  const version = minor ? OCCM_CHART_VERSIONS[minor] : undefined;
  if (!version)
    throw new Error(
      `clusters.${cluster.name}.kubernetesVersion: no openstack-cloud-controller-manager chart pinned for ${JSON.stringify(cluster.kubernetesVersion)}; pinned minors: ${Object.keys(OCCM_CHART_VERSIONS).join(', ')}`,
    );
  return { repoURL: OCCM_REPO, chart: OCCM_CHART_NAME, version };
}

/** Helm values: existing Secret, control-plane placement, taint tolerations, no route controller. */
export function occmValues(cluster: Pick<ClusterSpec, 'name'>): Record<string, unknown> {
  return {
    secret: { enabled: true, create: false, name: CLOUD_CONFIG_SECRET.name },
    // Load balancers and volumes OCCM creates are tagged with this name.
    cluster: { name: cluster.name },
    nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
    tolerations: [
      // It is the one that removes this taint, so it must tolerate it.
      { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      // Not-ready nodes (no CNI yet) must not keep it off the control plane.
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' },
    ],
    // The route controller needs a Neutron router configured in cloud.conf; pod traffic uses the
    // CNI overlay (or the CNI's own routing), so only node, lifecycle and LoadBalancer services run.
    enabledControllers: ['cloud-node', 'cloud-node-lifecycle', 'service'],
    priorityClassName: 'system-cluster-critical',
    podSecurityContext: { runAsUser: 1001, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '256Mi' } },
  };
}

/** The Application, or undefined for clusters not on OpenStack. */
export function occmApplication(cluster: ClusterSpec, env: EnvironmentSpec): Record<string, unknown> | undefined {
  if (cluster.infrastructure.provider !== 'openstack') return undefined;
  return helmApplication(cluster, env, {
    name: 'openstack-cloud-controller-manager',
    chart: occmChart(cluster),
    releaseName: 'openstack-ccm',
    namespace: CLOUD_CONFIG_SECRET.namespace,
    syncWave: PLATFORM_SYNC_WAVES.cloudControllerManager,
    values: occmValues(cluster),
    createNamespace: false,
  });
}
