import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { podSecurityNamespaceLabels } from '../../lib/platform/helm-application';
import {
  CREDENTIAL_ENV,
  FLUENT_BIT_CONFIG_DIR,
  FLUENT_BIT_CONFIG_FILE,
  FLUENT_BIT_HTTP_PORT,
  FLUENT_BIT_STATE_DIR,
  renderFluentBitConfig,
} from '../../lib/render/fluent-bit';
import { describeCustomOutput } from '../../lib/render/fluent-bit-custom-output';
import { componentLabels } from '../../lib/component-labels';
import type { AddonFolderProps } from '../context';
import { hostPathVolume, nodeAgentDaemonSet, nodeAgentRbac } from './node-agent';

/** Pinned Fluent Bit release. */
export const FLUENT_BIT_IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:3.2.10';
export const LOGGING_NAMESPACE = 'logging';

export type LoggingProps = AddonFolderProps;

/**
 * Fluent Bit in `addons/logging/` (namespace `logging`), only when `addons.logging` is set and
 * enabled: a DaemonSet on every node, control plane included (the audit log is only there).
 * The output credentials come from the Secret `addons.logging.output.credentialsSecret`
 * (keys `username`, `password`) in the logging namespace; the Secret itself is created outside git.
 */
export class Logging extends Construct {
  constructor(scope: Construct, id: string, props: LoggingProps) {
    super(scope, id);
    const { cluster } = props.ctx;
    const spec = cluster.addons.logging;
    if (!spec || !spec.enabled) return;
    const namespace = LOGGING_NAMESPACE;
    const chart = props.ctx.addonChart('logging', { syncWave: props.syncWave ?? 0, namespace });
    const name = 'fluent-bit';
    const labels = componentLabels(name);
    const agent = { name, namespace, labels };
    const config = renderFluentBitConfig({ cluster: cluster.name, output: spec.output, auditLog: spec.auditLog, bufferLimit: spec.bufferLimit });

    // Fluent Bit reads host paths (/var/log, the journal), which the cluster-wide baseline Pod
    // Security level rejects; its own namespace enforces privileged.
    new ApiObject(chart, 'namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { ...labels, ...podSecurityNamespaceLabels('privileged') }, annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
    });
    nodeAgentRbac(chart, agent, [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }]);
    new ApiObject(chart, 'config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels },
      data: { [FLUENT_BIT_CONFIG_FILE]: config },
    });

    const secret = spec.output.credentialsSecret;
    const env = secret
      ? [
          { name: CREDENTIAL_ENV.username, valueFrom: { secretKeyRef: { name: secret, key: 'username' } } },
          { name: CREDENTIAL_ENV.password, valueFrom: { secretKeyRef: { name: secret, key: 'password' } } },
        ]
      : [];
    const probe = (path: string) => ({ httpGet: { path, port: 'http' }, periodSeconds: 10, failureThreshold: 3 });
    nodeAgentDaemonSet(chart, agent, {
      containers: [
        {
          name,
          image: FLUENT_BIT_IMAGE,
          args: ['--config', `${FLUENT_BIT_CONFIG_DIR}/${FLUENT_BIT_CONFIG_FILE}`],
          env,
          ports: [{ name: 'http', containerPort: FLUENT_BIT_HTTP_PORT, protocol: 'TCP' }],
          livenessProbe: probe('/api/v1/health'),
          readinessProbe: probe('/api/v1/health'),
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          // Root only to read root-owned host logs; nothing else is granted.
          securityContext: { runAsUser: 0, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['DAC_READ_SEARCH'] } },
          volumeMounts: [
            { name: 'config', mountPath: FLUENT_BIT_CONFIG_DIR, readOnly: true },
            { name: 'varlog', mountPath: '/var/log', readOnly: true },
            { name: 'run-journal', mountPath: '/run/log/journal', readOnly: true },
            { name: 'machine-id', mountPath: '/etc/machine-id', readOnly: true },
            { name: 'state', mountPath: FLUENT_BIT_STATE_DIR },
          ],
        },
      ],
      volumes: [
        { name: 'config', configMap: { name } },
        hostPathVolume('varlog', '/var/log', 'Directory'),
        hostPathVolume('run-journal', '/run/log/journal', 'DirectoryOrCreate'),
        hostPathVolume('machine-id', '/etc/machine-id', 'File'),
        hostPathVolume('state', FLUENT_BIT_STATE_DIR, 'DirectoryOrCreate'),
      ],
    });
    const output = spec.output;
    props.ctx.addSummary(`logging: Fluent Bit → ${output.type === 'custom' ? describeCustomOutput(output) : `${output.type} ${output.host}:${output.port}`}`);
  }
}
