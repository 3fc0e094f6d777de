import { ApiObject, type Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  APPROVER_CLUSTER_RULES,
  APPROVER_LEADER_ELECTION_RULES,
  APPROVER_PORTS,
  KUBELET_CSR_APPROVER_IMAGE,
  KUBELET_CSR_APPROVER_NAMESPACE,
  approverEnv,
  approverSettings,
  type ApproverOptions,
} from '../../lib/platform/kubelet-csr-approver';
import { podSecurityNamespaceLabels } from '../../lib/platform/helm-application';
import { PLATFORM_SYNC_WAVES } from '../../lib/platform/sync-waves';
import type { ClusterContext } from '../context';
import { workloadRbac } from '../rbac';

export interface KubeletCsrApproverProps extends ApproverOptions {
  /** The cluster being built. */
  readonly ctx: ClusterContext;
  /**
   * Argo CD sync wave of the `addons/kubelet-csr-approver/` folder.
   * @default -4 (after CNI and cloud controller manager, before every other add-on)
   */
  readonly syncWave?: number;
  /**
   * Replicas (leader election keeps one active).
   * @default 2
   */
  readonly replicas?: number;
}

/**
 * postfinance/kubelet-csr-approver in `addons/kubelet-csr-approver/`: approves kubelet-serving
 * CSRs whose names match the cluster's node names and whose IPs lie in the node network.
 *
 * It runs on the host network of control-plane nodes, tolerating the not-ready and
 * uninitialized taints: the certificates it approves are what `kubectl logs/exec` need, and those
 * are most needed while the CNI or the cloud controller manager is broken. It reaches the
 * apiserver through the kubernetes Service, which kube-proxy (host network too) serves without a
 * CNI. Host networking is not allowed by the cluster's default `baseline` Pod Security level, so
 * its own namespace enforces `privileged` (and still warns/audits against `restricted`); the
 * container itself is restricted-compatible.
 */
export class KubeletCsrApprover extends Construct {
  readonly chart: Chart;
  constructor(scope: Construct, id: string, props: KubeletCsrApproverProps) {
    super(scope, id);
    const { ctx } = props;
    const namespace = KUBELET_CSR_APPROVER_NAMESPACE;
    const name = 'kubelet-csr-approver';
    const chart = (this.chart = ctx.addonChart(name, { syncWave: props.syncWave ?? PLATFORM_SYNC_WAVES.kubeletCsrApprover, namespace }));
    const settings = approverSettings(ctx.cluster, props);
    const selector = { 'app.kubernetes.io/name': name };
    const labels = { ...selector, 'app.kubernetes.io/part-of': 'kprod' };

    new ApiObject(chart, 'namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: { ...labels, ...podSecurityNamespaceLabels('privileged') },
      },
    });
    workloadRbac(chart, { name, namespace, labels, automountToken: true, clusterRules: APPROVER_CLUSTER_RULES, namespaceRules: APPROVER_LEADER_ELECTION_RULES });
    new ApiObject(chart, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: {
        replicas: props.replicas ?? 2,
        selector: { matchLabels: selector },
        // Host ports: a new pod can only start where an old one has gone.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            hostNetwork: true,
            // Node resolver: cluster DNS may not run yet, and names are not resolved (bypassDnsResolution).
            dnsPolicy: 'Default',
            priorityClassName: 'system-cluster-critical',
            nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
            tolerations: [
              { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
              { key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Exists', effect: 'NoSchedule' },
              { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' },
            ],
            affinity: {
              podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' }] },
            },
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name,
                image: KUBELET_CSR_APPROVER_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                args: [
                  '-metrics-bind-address', `:${APPROVER_PORTS.metrics}`,
                  '-health-probe-bind-address', `:${APPROVER_PORTS.health}`,
                  '-leader-election',
                ],
                env: approverEnv(settings),
                ports: [
                  { name: 'metrics', containerPort: APPROVER_PORTS.metrics, protocol: 'TCP' },
                  { name: 'health', containerPort: APPROVER_PORTS.health, protocol: 'TCP' },
                ],
                livenessProbe: { httpGet: { path: '/healthz', port: 'health' }, periodSeconds: 20 },
                resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
              },
            ],
          },
        },
      },
    });
    new ApiObject(chart, 'pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });
  }
}
