import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { NPD_CONFIG_DIR, renderNpdConfig } from '../../lib/render/npd';
import { NPD_METRICS_PORT } from '../../lib/observability/pod-monitors';
import { componentLabels } from '../../lib/component-labels';
import type { ClusterContext } from '../context';
import { hostPathVolume, nodeAgentDaemonSet, nodeAgentRbac } from '../observability/node-agent';

/** Pinned NPD release (its image ships health-checker and log-counter in /home/kubernetes/bin). */
export const NPD_IMAGE = 'registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.20';

export interface NodeProblemDetectorProps {
  /** The cluster being built. */
  readonly ctx: ClusterContext;
  /**
   * Namespace of the DaemonSet.
   * @default "kube-system"
   */
  readonly namespace?: string;
  /**
   * Argo CD sync wave of the add-on folder.
   * @default 0
   */
  readonly syncWave?: number;
}

/**
 * node-problem-detector as native manifests in `addons/node-problem-detector/`: a DaemonSet on
 * every node (control plane included) with kprod's monitors for containerd + journald nodes.
 * Nothing is created when `addons.nodeProblemDetector.enabled` is false.
 *
 * Why privileged: reading `/dev/kmsg` needs the device in the container's device cgroup and
 * CAP_SYSLOG, and the host checks (`nsenter` into PID 1 for crictl, timedatectl, chronyc and the
 * user's script) need CAP_SYS_ADMIN/CAP_SYS_PTRACE and `hostPID`. `hostNetwork` lets the kubelet
 * health check reach `127.0.0.1:10248`. NPD's API stays on 127.0.0.1; its metrics listen on the
 * node address for Prometheus (PodMonitor in constructs/observability/monitoring-rules.ts).
 */
export class NodeProblemDetector extends Construct {
  /** Name shared by the DaemonSet, ServiceAccount, ClusterRole(Binding) and ConfigMap. */
  public readonly name = 'node-problem-detector';

  constructor(scope: Construct, id: string, props: NodeProblemDetectorProps) {
    super(scope, id);
    const spec = props.ctx.cluster.addons.nodeProblemDetector;
    if (!spec.enabled) return;
    const namespace = props.namespace ?? 'kube-system';
    const chart = props.ctx.addonChart('node-problem-detector', { syncWave: props.syncWave ?? 0, namespace });
    const config = renderNpdConfig({ customCheckScript: spec.customCheckScript, customMonitors: spec.customMonitors });
    const name = this.name;
    const labels = componentLabels(name);
    const agent = { name, namespace, labels };

    nodeAgentRbac(chart, agent, [
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ]);
    new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data: config.files });

    nodeAgentDaemonSet(chart, agent, {
      hostNetwork: true,
      hostPID: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name,
          image: NPD_IMAGE,
          command: ['/bin/bash', `${NPD_CONFIG_DIR}/start.sh`],
          args: [
            '--logtostderr',
            `--config.system-log-monitor=${config.systemLogMonitors.join(',')}`,
            `--config.custom-plugin-monitor=${config.customPluginMonitors.join(',')}`,
            '--address=127.0.0.1',
            // Metrics on the node address only (not every interface), for kprod's PodMonitor.
            '--prometheus-address=$(HOST_IP)',
            `--prometheus-port=${NPD_METRICS_PORT}`,
            '--k8s-exporter-heartbeat-period=5m0s',
          ],
          env: [
            { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
          ],
          ports: [{ name: 'metrics', containerPort: NPD_METRICS_PORT, protocol: 'TCP' }],
          securityContext: { privileged: true },
          resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
          volumeMounts: [
            { name: 'config', mountPath: NPD_CONFIG_DIR, readOnly: true },
            { name: 'log', mountPath: '/var/log', readOnly: true },
            { name: 'run-journal', mountPath: '/run/log/journal', readOnly: true },
            { name: 'machine-id', mountPath: '/etc/machine-id', readOnly: true },
            { name: 'kmsg', mountPath: '/dev/kmsg', readOnly: true },
            { name: 'localtime', mountPath: '/etc/localtime', readOnly: true },
            { name: 'work', mountPath: '/run/kprod-npd' },
          ],
        },
      ],
      volumes: [
        { name: 'config', configMap: { name, defaultMode: 0o555 } },
        // /var/log carries /var/log/journal when the host keeps a persistent journal; it is not
        // mounted on its own, because a missing hostPath folder would be created and turn journald persistent.
        hostPathVolume('log', '/var/log', 'Directory'),
        // Always present on systemd hosts (tmpfs); the volatile journal lives here.
        hostPathVolume('run-journal', '/run/log/journal', 'DirectoryOrCreate'),
        hostPathVolume('machine-id', '/etc/machine-id', 'File'),
        hostPathVolume('kmsg', '/dev/kmsg', 'CharDevice'),
        hostPathVolume('localtime', '/etc/localtime', 'File'),
        { name: 'work', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
      ],
    });
    props.ctx.addSummary(`node-problem-detector: ${config.systemLogMonitors.length} log monitors, ${config.customPluginMonitors.length} plugin monitors`);
  }
}
