/** The `files[]` of control-plane machines: kprod's apiserver configuration files and the full, path-unique list. */
import { yamlText } from '../yaml-text';
import { names } from '../../naming';
import type { ClusterSpec } from '../../spec';
import { ADMISSION_CONFIG_PATH, renderAdmissionConfiguration } from '../admission-config';
import { AUDIT_POLICY_PATH, renderAuditPolicy } from '../audit-policy';
import { ENCRYPTION_CONFIG_PATH, ENCRYPTION_SECRET_KEY } from '../encryption-config';
import { endpointHostFiles } from '../endpoint-files';
import { hostSettings } from '../host-settings';
import { kubeletHostFiles } from '../kubelet';
import { metricsProxyHostFiles } from '../metrics-proxy';
import { renderSchedulerConfiguration, SCHEDULER_CONFIG_PATH } from '../scheduler-config';
import type { HostFile } from '../types';
import { AUTHENTICATION_CONFIG_PATH, authenticationConfiguration, usesAuthenticationConfig } from './authentication';
import { AUDIT_WEBHOOK_CONFIG_PATH } from './host-paths';
import type { KubeadmOptions } from './options';

/** A `files[]` entry of the KubeadmControlPlane: inline content, or content read from a Secret in the capi namespace. */
export type KubeadmFile = HostFile | (Omit<HostFile, 'content'> & { readonly contentFrom: { readonly secret: { readonly name: string; readonly key: string } } });

/** Host files of control-plane machines carrying kprod's apiserver configuration (no secrets). */
export function controlPlaneConfigFiles(cluster: ClusterSpec, options: KubeadmOptions = {}): KubeadmFile[] {
  const cp = cluster.controlPlane;
  const files: KubeadmFile[] = [
    { path: ADMISSION_CONFIG_PATH, content: renderAdmissionConfiguration(cluster, options), permissions: '0600', owner: 'root:root' },
    { path: SCHEDULER_CONFIG_PATH, content: renderSchedulerConfiguration(cluster), permissions: '0600', owner: 'root:root' },
  ];
  if (usesAuthenticationConfig(cluster))
    files.push({ path: AUTHENTICATION_CONFIG_PATH, content: yamlText(authenticationConfiguration(cluster)), permissions: '0600', owner: 'root:root' });
  if (cp.audit.enabled) files.push({ path: AUDIT_POLICY_PATH, content: renderAuditPolicy(), permissions: '0600', owner: 'root:root' });
  if (cp.audit.enabled && cp.audit.webhook)
    // The webhook kubeconfig may hold credentials: only referenced, Cluster API reads the Secret.
    files.push({
      path: AUDIT_WEBHOOK_CONFIG_PATH,
      contentFrom: { secret: { name: cp.audit.webhook.kubeconfigSecret ?? `${cluster.name}-audit-webhook`, key: cp.audit.webhook.kubeconfigKey } },
      permissions: '0600',
      owner: 'root:root',
    });
  if (cp.encryptionAtRest.enabled)
    files.push({
      path: ENCRYPTION_CONFIG_PATH,
      contentFrom: { secret: { name: names.secrets.encryption(cluster), key: ENCRYPTION_SECRET_KEY } },
      permissions: '0600',
      owner: 'root:root',
    });
  return files;
}

/** Every `files[]` entry of the KubeadmControlPlane: endpoint (H1), kubelet (H3), host settings, apiserver configuration. */
export function controlPlaneFiles(cluster: ClusterSpec, options: KubeadmOptions = {}): KubeadmFile[] {
  const files: KubeadmFile[] = [
    ...endpointHostFiles(cluster),
    // Loopback-bound controller-manager/scheduler/etcd metrics reachable for Prometheus (monitor).
    ...metricsProxyHostFiles(cluster),
    ...kubeletHostFiles(cluster),
    ...hostSettings(cluster).files,
    ...controlPlaneConfigFiles(cluster, options),
  ];
  const seen = new Map<string, number>();
  files.forEach((f, i) => {
    if (seen.has(f.path)) throw new Error(`cluster ${cluster.name}: two control-plane files at ${f.path} (entries ${seen.get(f.path)} and ${i})`);
    seen.set(f.path, i);
  });
  return files;
}
