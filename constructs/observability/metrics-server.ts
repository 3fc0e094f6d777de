import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ClusterContext } from '../context';
import { IMAGES, imageRef } from '../../lib/versions/pins';

/** Pinned metrics-server release. */
export const METRICS_SERVER_IMAGE = imageRef(IMAGES.metricsServer);

export interface MetricsServerProps {
  /** The cluster being built. */
  readonly ctx: ClusterContext;
  /**
   * Argo CD sync wave of the add-on folder.
   * @default 0
   */
  readonly syncWave?: number;
}

/**
 * metrics-server in `addons/metrics-server/` (kube-system), unless `addons.metricsServer.enabled` is false.
 *
 * Kubelet TLS: kprod's kubelets use `serverTLSBootstrap: true`, so their serving certificates are
 * signed by the cluster CA (kubelet-serving CSRs). metrics-server verifies them with the CA
 * bundle of its ServiceAccount token (the cluster CA), so neither `--kubelet-insecure-tls` nor
 * `--kubelet-certificate-authority` is set. This needs an approver of kubelet-serving CSRs.
 */
export class MetricsServer extends Construct {
  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id);
    if (!props.ctx.cluster.addons.metricsServer.enabled) return;
    const namespace = 'kube-system';
    const chart = props.ctx.addonChart('metrics-server', { syncWave: props.syncWave ?? 0, namespace });
    const name = 'metrics-server';
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'kprod' };
    const selector = { 'app.kubernetes.io/name': name };
    const rbac = (kind: string, metadata: { name: string; namespace?: string; labels?: Record<string, string> }, rest: object) => new ApiObject(chart, `${kind}-${metadata.name}`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata, ...rest });
    const sa = [{ kind: 'ServiceAccount', name, namespace }];

    new ApiObject(chart, 'service-account', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } });
    rbac('ClusterRole', {
      name: 'system:aggregated-metrics-reader',
      labels: {
        ...labels,
        'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
        'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
        'rbac.authorization.k8s.io/aggregate-to-view': 'true',
      },
    }, { rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }] });
    rbac('ClusterRole', { name: `system:${name}`, labels }, {
      rules: [
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    rbac('ClusterRoleBinding', { name: `system:${name}`, labels }, { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `system:${name}` }, subjects: sa });
    rbac('ClusterRoleBinding', { name: `${name}:system:auth-delegator`, labels }, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects: sa,
    });
    rbac('RoleBinding', { name: `${name}-auth-reader`, namespace, labels }, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      subjects: sa,
    });
    new ApiObject(chart, 'service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: { selector, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }] },
    });
    new ApiObject(chart, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            priorityClassName: 'system-cluster-critical',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            affinity: {
              podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' }] },
            },
            containers: [
              {
                name,
                image: METRICS_SERVER_IMAGE,
                args: [
                  '--cert-dir=/tmp',
                  '--secure-port=10250',
                  '--kubelet-preferred-address-types=InternalIP',
                  '--kubelet-use-node-status-port',
                  '--metric-resolution=15s',
                ],
                ports: [{ name: 'https', containerPort: 10250, protocol: 'TCP' }],
                livenessProbe: { httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, failureThreshold: 3 },
                readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, initialDelaySeconds: 20, periodSeconds: 10, failureThreshold: 3 },
                resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { memory: '400Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: 1000,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });
    new ApiObject(chart, 'pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace, labels },
      spec: { minAvailable: 1, selector: { matchLabels: selector } },
    });
    new ApiObject(chart, 'apiservice', {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io', labels },
      spec: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        groupPriorityMinimum: 100,
        versionPriority: 100,
        // The aggregator checks the serving certificate against this Service's CA: metrics-server's
        // self-signed one cannot be pinned in git, hence insecureSkipTLSVerify as upstream does.
        insecureSkipTLSVerify: true,
        service: { name, namespace, port: 443 },
      },
    });
  }
}
