import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { AddonFolderProps } from '../context';
import { clusterRole, workloadRbac } from '../rbac';
import { componentLabels } from '../../lib/component-labels';

/** Pinned metrics-server release. */
export const METRICS_SERVER_IMAGE = 'registry.k8s.io/metrics-server/metrics-server:v0.7.2';

export type MetricsServerProps = AddonFolderProps;

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
    const labels = componentLabels(name);
    const selector = { 'app.kubernetes.io/name': name };
    clusterRole(chart, 'system:aggregated-metrics-reader', {
      ...labels,
      'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
      'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
      'rbac.authorization.k8s.io/aggregate-to-view': 'true',
    }, [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }]);
    workloadRbac(chart, {
      name,
      namespace,
      labels,
      clusterRoleName: `system:${name}`,
      clusterRules: [
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
      bindClusterRoles: { [`${name}:system:auth-delegator`]: 'system:auth-delegator' },
      bindRoles: { [`${name}-auth-reader`]: 'extension-apiserver-authentication-reader' },
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
