/**
 * What the stack writes on a static host, by role: the same renderers Cluster API machines get
 * (`lib/render`), minus what only Cluster API can deliver (Secret references). Secret files
 * (encryption config, etcd client certificate, own cluster CA) are added by the component from
 * Pulumi secrets.
 */
import { endpointHostFiles, endpointPreKubeadmCommands } from '../../lib/render/endpoint-files';
import { hostSettings } from '../../lib/render/host-settings';
import { controlPlaneConfigFiles, type KubeadmFile } from '../../lib/render/kubeadm';
import { metricsProxyHostFiles } from '../../lib/render/metrics-proxy';
import { kubeletHostFiles } from '../../lib/render/kubelet';
import type { HostFile } from '../../lib/render/types';
import type { ClusterSpec } from '../../lib/spec';
import type { RemoteFile } from '../remote-files';
import type { StaticHost } from './inventory';

const isInline = (f: KubeadmFile): f is HostFile => 'content' in f;

export function toRemoteFile(f: HostFile): RemoteFile {
  return { path: f.path, content: f.content, mode: f.permissions ?? '0644', owner: f.owner ?? 'root:root' };
}

/** Non-secret files of a host: kubelet patch, host settings, and on control planes the endpoint (HAProxy/keepalived or kube-vip) and apiserver configs. */
export function staticHostFiles(cluster: ClusterSpec, host: StaticHost): RemoteFile[] {
  const pool = host.pool ? cluster.nodePools.find((p) => p.name === host.pool) : undefined;
  if (host.pool && !pool) throw new Error(`kprod:hosts ${host.name}: pool ${host.pool} is not a node pool of cluster ${cluster.name}`);
  const files: HostFile[] = [...hostSettings(cluster, pool).files, ...kubeletHostFiles(cluster, host.role === 'worker' ? pool : undefined)];
  if (host.role === 'control-plane') files.push(...endpointHostFiles(cluster), ...metricsProxyHostFiles(cluster), ...controlPlaneConfigFiles(cluster).filter(isInline));
  return files.map(toRemoteFile);
}

/** Commands run after the files are written and before kubeadm (host settings; endpoint preparation on control planes). */
export function staticHostPrepareCommands(cluster: ClusterSpec, host: StaticHost, phase: 'init' | 'join'): string[] {
  const pool = host.pool ? cluster.nodePools.find((p) => p.name === host.pool) : undefined;
  return [...hostSettings(cluster, pool).preKubeadmCommands, ...(host.role === 'control-plane' ? endpointPreKubeadmCommands(cluster, phase) : [])];
}

/** Installs containerd and kubeadm/kubelet/kubectl of the cluster's version from pkgs.k8s.io (Debian/Ubuntu hosts), held at that version. */
export function prerequisitesScript(kubernetesVersion: string): string {
  const v = kubernetesVersion.replace(/^v/, '');
  const minor = v.split('.').slice(0, 2).join('.');
  return [
    'set -eu',
    'export DEBIAN_FRONTEND=noninteractive',
    'swapoff -a',
    "sed -i '/\\sswap\\s/s/^/#/' /etc/fstab",
    'apt-get update -q',
    'apt-get install -y -q apt-transport-https ca-certificates curl gpg containerd',
    'install -d -m 0755 /etc/apt/keyrings',
    `curl -fsSL https://pkgs.k8s.io/core:/stable:/v${minor}/deb/Release.key | gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg`,
    `echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v${minor}/deb/ /' > /etc/apt/sources.list.d/kubernetes.list`,
    'apt-get update -q',
    'apt-mark unhold kubelet kubeadm kubectl || true',
    `apt-get install -y -q --allow-downgrades kubelet='${v}-*' kubeadm='${v}-*' kubectl='${v}-*'`,
    'apt-mark hold kubelet kubeadm kubectl',
    // containerd reads drop-ins from conf.d only when the main config imports them.
    "install -d -m 0755 /etc/containerd/conf.d && { grep -q '^imports' /etc/containerd/config.toml 2>/dev/null || { containerd config default > /etc/containerd/config.toml && sed -i '1i imports = [\"/etc/containerd/conf.d/*.toml\"]' /etc/containerd/config.toml; }; }",
    'systemctl enable --now containerd kubelet',
    '',
  ].join('\n');
}
