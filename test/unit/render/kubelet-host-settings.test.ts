import example from '../../../examples/fleet';
import {
  CONTAINERD_DROPIN_PATH,
  hostSettings,
  JOURNALD_DROPIN_PATH,
  MODULES_PATH,
  SYSCTL_PATH,
} from '../../../lib/render/host-settings';
import { parseFleet } from '../../../lib/spec';

const prod = () => parseFleet(example).spec.environments[0].clusters[0];
const file = (files: { path: string; content: string }[], path: string) => files.find((f) => f.path === path)!.content;

describe('hostSettings', () => {
  it('writes the kernel settings protectKernelDefaults requires, plus the pool sysctls', () => {
    const search = prod().nodePools[1];
    const sysctl = file(hostSettings(prod(), search).files, SYSCTL_PATH).split('\n');
    for (const line of [
      'vm.overcommit_memory = 1',
      'vm.panic_on_oom = 0',
      'kernel.panic = 10',
      'kernel.panic_on_oops = 1',
      'kernel.keys.root_maxkeys = 1000000',
      'kernel.keys.root_maxbytes = 25000000',
      'net.ipv4.ip_forward = 1',
      'net.bridge.bridge-nf-call-iptables = 1',
      'vm.max_map_count = 262144',
    ])
      expect(sysctl).toContain(line);
    // the general pool has no vm.max_map_count
    expect(file(hostSettings(prod(), prod().nodePools[0]).files, SYSCTL_PATH)).not.toContain('vm.max_map_count');
  });

  it('loads overlay, br_netfilter and the pool modules, and applies them before kubeadm', () => {
    const input = structuredClone(example) as any;
    input.environments[0].clusters[0].nodePools[0].kernelModules = ['nvme_tcp', 'overlay'];
    const cluster = parseFleet(input).spec.environments[0].clusters[0];
    const hs = hostSettings(cluster, cluster.nodePools[0]);
    expect(file(hs.files, MODULES_PATH).split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['overlay', 'br_netfilter', 'nvme_tcp']);
    expect(hs.preKubeadmCommands).toEqual([
      'modprobe -a overlay br_netfilter nvme_tcp',
      'sysctl --system',
      'systemctl restart systemd-journald',
      'systemctl restart containerd',
    ]);
  });

  it('sets the systemd cgroup driver for runc and caps journald', () => {
    const hs = hostSettings(prod());
    expect(file(hs.files, CONTAINERD_DROPIN_PATH)).toMatch(/runtimes\.runc\.options\]\n\s*SystemdCgroup = true/);
    expect(file(hs.files, JOURNALD_DROPIN_PATH)).toContain('SystemMaxUse=1G');
  });
});
