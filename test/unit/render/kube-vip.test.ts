import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { KUBE_VIP_MANIFEST_PATH, kubeVipEnv, kubeVipInitCommands, needsSuperAdminDuringInit, renderKubeVipManifest } from '../../../lib/render/kube-vip';
import { tempDir } from '../../helpers/tmp';

const opts = { vip: '192.168.1.5', port: 6443, interface: 'bond0', mode: 'arp' as const };

describe('kube-vip', () => {
  it('needs super-admin.conf during init from Kubernetes 1.29 on', () => {
    expect(needsSuperAdminDuringInit('1.28.9')).toBe(false);
    expect(needsSuperAdminDuringInit('v1.29.0')).toBe(true);
    expect(needsSuperAdminDuringInit('1.34.1')).toBe(true);
    expect(kubeVipInitCommands('1.28.9', 'init')).toEqual({ pre: [], post: [] });
  });

  it('BGP mode announces by BGP on the interface instead of ARP', () => {
    expect(kubeVipEnv({ ...opts, mode: 'bgp', bgpAs: 64512 })).toMatchObject({ vip_arp: 'false', bgp_enable: 'true', bgp_as: '64512', bgp_routerinterface: 'bond0' });
  });

  it('the init commands really switch the kubeconfig hostPath and back (run with sh + sed)', () => {
    const tmp = tempDir('kprod-kube-vip-');
    try {
      const file = path.join(tmp.dir, 'kube-vip.yaml');
      fs.writeFileSync(file, renderKubeVipManifest(opts));
      const { pre, post } = kubeVipInitCommands('1.33.0', 'init');
      const run = (cmd: string) => execFileSync('sh', ['-c', cmd.split(KUBE_VIP_MANIFEST_PATH).join(file)]);
      const hostPath = () => parse(fs.readFileSync(file, 'utf8')).spec.volumes[0].hostPath.path;
      const mountPath = () => parse(fs.readFileSync(file, 'utf8')).spec.containers[0].volumeMounts[0].mountPath;
      expect(hostPath()).toBe('/etc/kubernetes/admin.conf');
      pre.forEach(run);
      expect(hostPath()).toBe('/etc/kubernetes/super-admin.conf');
      // Inside the container the file keeps its name: only the host side changes.
      expect(mountPath()).toBe('/etc/kubernetes/admin.conf');
      post.forEach(run);
      expect(hostPath()).toBe('/etc/kubernetes/admin.conf');
    } finally {
      tmp.cleanup();
    }
  });
});
