import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { rolloutWave } from '../../lib/day2/rollout-order';
import { parseKubernetesVersion } from '../../lib/versions/supported';
import type { ClusterContext } from '../context';
import { workloadRbac } from '../rbac';

/**
 * cluster-autoscaler release per Kubernetes minor (the autoscaler is released per minor and only
 * supported against that minor). Bump patches here.
 */
export const CLUSTER_AUTOSCALER_VERSIONS: Readonly<Record<string, string>> = {
  '1.31': 'v1.31.2',
  '1.32': 'v1.32.5',
  '1.33': 'v1.33.5',
  '1.34': 'v1.34.4',
  '1.35': 'v1.35.1',
  '1.36': 'v1.36.0',
};
export const CLUSTER_AUTOSCALER_IMAGE = 'registry.k8s.io/autoscaling/cluster-autoscaler';

/** Mount point of the workload cluster's kubeconfig (Secret `<cluster>-kubeconfig`, key `value`, written by Cluster API). */
const KUBECONFIG_DIR = '/etc/kubernetes/workload';

/** Labels that differ between the per-failure-domain MachineDeployments of one pool but not in capacity. */
export const BALANCING_IGNORE_LABELS = [
  'topology.kubernetes.io/zone',
  'topology.cinder.csi.openstack.org/zone',
  'failure-domain.beta.kubernetes.io/zone',
] as const;

export interface ClusterAutoscalerProps {
  readonly ctx: ClusterContext;
  /**
   * Expander choosing among node groups that fit pending pods.
   * @default the cluster's `addons.clusterAutoscaler.expander` ("least-waste")
   */
  readonly expander?: string;
  /** @default the cluster's `addons.clusterAutoscaler.scaleDownUnneededTime` ("10m") */
  readonly scaleDownUnneededTime?: string;
  /** @default the cluster's `addons.clusterAutoscaler.scaleDownUtilizationThreshold` (0.5) */
  readonly scaleDownUtilizationThreshold?: number;
  /** @default "20m" on OpenStack, "45m" on bare metal */
  readonly maxNodeProvisionTime?: string;
}

/** Whether kprod runs a cluster-autoscaler for the cluster: when asked to, or when a pool autoscales. */
export function clusterAutoscalerEnabled(ctx: Pick<ClusterContext, 'cluster'>): boolean {
  const explicit = ctx.cluster.addons.clusterAutoscaler.enabled;
  return explicit ?? ctx.cluster.nodePools.some((p) => p.autoscaling);
}

/** The pinned autoscaler image for the cluster's Kubernetes minor. */
export function clusterAutoscalerImage(kubernetesVersion: string): string {
  const v = parseKubernetesVersion(kubernetesVersion);
  const tag = v ? CLUSTER_AUTOSCALER_VERSIONS[`${v.major}.${v.minor}`] : undefined;
  if (!tag) throw new Error(`no cluster-autoscaler release pinned for Kubernetes ${kubernetesVersion}; add it to CLUSTER_AUTOSCALER_VERSIONS`);
  return `${CLUSTER_AUTOSCALER_IMAGE}:${tag}`;
}

/**
 * cluster-autoscaler with the Cluster API provider, running in the management cluster in the
 * cluster's namespace: in-cluster credentials (a namespaced Role) to scale the MachineDeployments,
 * the workload cluster's kubeconfig Secret to watch pods and nodes.
 */
export class ClusterAutoscaler extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const { ctx } = props;
    const { cluster } = ctx;
    const namespace = ctx.capiNamespace;
    const name = 'cluster-autoscaler';
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': cluster.name, 'app.kubernetes.io/managed-by': 'kprod' };
    const metal = cluster.infrastructure.provider === 'metal3';
    const settings = cluster.addons.clusterAutoscaler;

    workloadRbac(this, {
      name,
      namespace,
      labels,
      automountToken: true,
      namespaceRules: [
        {
          apiGroups: ['cluster.x-k8s.io'],
          resources: ['machinedeployments', 'machinedeployments/scale', 'machines', 'machinesets', 'machinepools', 'machinepools/scale'],
          verbs: ['get', 'list', 'watch', 'update', 'patch'],
        },
        // scale from zero: the provider's machine templates describe a node that does not exist yet
        {
          apiGroups: ['infrastructure.cluster.x-k8s.io'],
          resources: [metal ? 'metal3machinetemplates' : 'openstackmachinetemplates'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    });

    const args = [
      '--cloud-provider=clusterapi',
      `--kubeconfig=${KUBECONFIG_DIR}/value`,
      // management cluster = in-cluster config, not the --kubeconfig one
      '--clusterapi-cloud-config-authoritative',
      `--node-group-auto-discovery=clusterapi:namespace=${namespace},clusterName=${cluster.name}`,
      `--expander=${props.expander ?? settings.expander}`,
      '--balance-similar-node-groups=true',
      ...BALANCING_IGNORE_LABELS.map((l) => `--balancing-ignore-label=${l}`),
      '--enforce-node-group-min-size=true',
      `--scale-down-utilization-threshold=${props.scaleDownUtilizationThreshold ?? settings.scaleDownUtilizationThreshold}`,
      `--scale-down-unneeded-time=${props.scaleDownUnneededTime ?? settings.scaleDownUnneededTime}`,
      '--scale-down-delay-after-add=10m',
      `--max-node-provision-time=${props.maxNodeProvisionTime ?? (metal ? '45m' : '20m')}`,
      '--skip-nodes-with-system-pods=true',
      '--v=2',
    ];
    new ApiObject(this, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      // Bound to the minor: synced only once every control-plane machine runs it (lib/day2/rollout-order.ts).
      metadata: { name, namespace, labels, annotations: rolloutWave('minorBoundAddons') },
      spec: {
        replicas: 1,
        // Never two autoscalers deciding at once.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': cluster.name } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            terminationGracePeriodSeconds: 10,
            containers: [
              {
                name,
                image: settings.image ?? clusterAutoscalerImage(cluster.kubernetesVersion),
                imagePullPolicy: 'IfNotPresent',
                command: ['/cluster-autoscaler'],
                args,
                ports: [{ name: 'metrics', containerPort: 8085, protocol: 'TCP' }],
                livenessProbe: { httpGet: { path: '/health-check', port: 'metrics' }, initialDelaySeconds: 30, periodSeconds: 10 },
                resources: { requests: { cpu: '100m', memory: '300Mi' }, limits: { memory: '1Gi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                volumeMounts: [{ name: 'workload-kubeconfig', mountPath: KUBECONFIG_DIR, readOnly: true }],
              },
            ],
            volumes: [
              {
                name: 'workload-kubeconfig',
                secret: { secretName: `${cluster.name}-kubeconfig`, items: [{ key: 'value', path: 'value' }], defaultMode: 0o440 },
              },
            ],
          },
        },
      },
    });
  }
}
