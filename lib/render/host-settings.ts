/**
 * Host settings of a node: sysctls, kernel modules, the containerd cgroup driver and journald
 * limits, as files written by kubeadm bootstrap plus the commands that apply them before kubeadm.
 */
import type { ClusterSpec, NodePoolSpec } from '../spec';
import type { HostFile } from './types';

export const SYSCTL_PATH = '/etc/sysctl.d/90-kprod.conf';
export const MODULES_PATH = '/etc/modules-load.d/kprod.conf';
/** Read by containerd through `imports = ["/etc/containerd/conf.d/*.toml"]` (set by Cluster API image-builder images). */
export const CONTAINERD_DROPIN_PATH = '/etc/containerd/conf.d/90-kprod-cgroup.toml';
export const JOURNALD_DROPIN_PATH = '/etc/systemd/journald.conf.d/90-kprod.conf';

/**
 * Kernel settings the kubelet checks when `protectKernelDefaults` is true: it refuses to start
 * when one differs, so a pool may not override them.
 */
export const KUBELET_PROTECTED_SYSCTLS: Readonly<Record<string, number>> = {
  'vm.overcommit_memory': 1,
  'vm.panic_on_oom': 0,
  'kernel.panic': 10,
  'kernel.panic_on_oops': 1,
  'kernel.keys.root_maxkeys': 1000000,
  'kernel.keys.root_maxbytes': 25000000,
};

/** Networking every CNI needs, plus inotify limits that log shippers and many pods exhaust at the distro defaults. */
export const BASE_SYSCTLS: Readonly<Record<string, number>> = {
  'net.ipv4.ip_forward': 1,
  'net.bridge.bridge-nf-call-iptables': 1,
  'net.bridge.bridge-nf-call-ip6tables': 1,
  'fs.inotify.max_user_watches': 1048576,
  'fs.inotify.max_user_instances': 8192,
};

/** overlay for containerd's snapshotter, br_netfilter so bridged traffic passes iptables. */
export const BASE_KERNEL_MODULES = ['overlay', 'br_netfilter'] as const;

export interface HostSettings {
  readonly files: HostFile[];
  /** Run before kubeadm, after the files are written. */
  readonly preKubeadmCommands: string[];
}

/** Sysctls of the machines of `pool` (control plane when undefined): base, pool, then the protected ones. */
export function sysctlsFor(pool?: NodePoolSpec): Record<string, string | number> {
  return { ...BASE_SYSCTLS, ...(pool?.sysctls ?? {}), ...KUBELET_PROTECTED_SYSCTLS };
}

export function kernelModulesFor(pool?: NodePoolSpec): string[] {
  return [...new Set([...BASE_KERNEL_MODULES, ...(pool?.kernelModules ?? [])])];
}

function sysctlFile(pool?: NodePoolSpec): string {
  const lines = Object.entries(sysctlsFor(pool))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} = ${v}`);
  return `# kprod: kernel settings (the kubelet's protectKernelDefaults requires vm.*/kernel.panic*/kernel.keys.*)\n${lines.join('\n')}\n`;
}

const CONTAINERD_DROPIN = `# kprod: runc under the systemd cgroup driver, matching the kubelet's cgroupDriver
version = 2
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = true
`;

const JOURNALD_DROPIN = `# kprod: system services log to journald; cap its disk use (counted in systemReserved ephemeral storage)
[Journal]
Storage=persistent
Compress=yes
SystemMaxUse=1G
SystemMaxFileSize=100M
MaxRetentionSec=14day
`;

/** Files and commands for the machines of `pool` (control plane when undefined). */
export function hostSettings(cluster: ClusterSpec, pool?: NodePoolSpec): HostSettings {
  void cluster;
  const modules = kernelModulesFor(pool);
  return {
    files: [
      { path: MODULES_PATH, content: `# kprod: kernel modules loaded at boot\n${modules.join('\n')}\n`, permissions: '0644', owner: 'root:root' },
      { path: SYSCTL_PATH, content: sysctlFile(pool), permissions: '0644', owner: 'root:root' },
      { path: CONTAINERD_DROPIN_PATH, content: CONTAINERD_DROPIN, permissions: '0644', owner: 'root:root' },
      { path: JOURNALD_DROPIN_PATH, content: JOURNALD_DROPIN, permissions: '0644', owner: 'root:root' },
    ],
    preKubeadmCommands: [
      // modules first: the bridge sysctls exist only once br_netfilter is loaded
      `modprobe -a ${modules.join(' ')}`,
      'sysctl --system',
      'systemctl restart systemd-journald',
      'systemctl restart containerd',
    ],
  };
}
