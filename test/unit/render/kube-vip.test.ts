import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { endpointHostFiles } from '../../../lib/render/endpoint-files';
import { KUBE_VIP_MANIFEST_PATH, kubeVipEnv, kubeVipInitCommands, needsSuperAdminDuringInit, renderKubeVipManifest } from '../../../lib/render/kube-vip';
import { parseFleet, SpecError } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';
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

  it('BGP peers are rendered as address:AS:(empty password):multihop, router id from the interface unless fixed', () => {
    const env = kubeVipEnv({
      ...opts,
      mode: 'bgp',
      bgpAs: 64512,
      bgpPeers: [
        { address: '10.0.0.1', as: 64601 },
        { address: '10.0.0.2', as: 64602, multihop: true },
      ],
    });
    expect(env.bgp_peers).toBe('10.0.0.1:64601::false,10.0.0.2:64602::true');
    expect(env.bgp_routerinterface).toBe('bond0');
    expect(env.bgp_routerid).toBeUndefined();
    const fixed = kubeVipEnv({ ...opts, mode: 'bgp', bgpRouterId: '10.0.0.9', bgpPeers: [{ address: '10.0.0.1', as: 64601 }] });
    expect(fixed).toMatchObject({ bgp_routerid: '10.0.0.9', bgp_as: '65000' });
    expect(fixed.bgp_routerinterface).toBeUndefined();
    // ARP mode carries no BGP settings at all.
    expect(Object.keys(kubeVipEnv(opts)).filter((k) => k.startsWith('bgp_'))).toEqual([]);
  });
});

describe('kube-vip BGP spec', () => {
  const CP = 'environments[1].clusters[0].controlPlane';
  function withEndpoint(endpoint: unknown, extra: Record<string, unknown> = {}): any {
    const fleet = exampleFleet();
    Object.assign(fleet.environments[1].clusters[0].controlPlane, { endpoint, ...extra });
    return fleet;
  }
  function errorsOf(input: unknown): string[] {
    try {
      parseFleet(input);
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      return (e as SpecError).issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
    }
    throw new Error('expected the spec to be rejected');
  }

  it('the spec settings reach the rendered static pod env', () => {
    const { spec } = parseFleet(
      withEndpoint({ mode: 'kube-vip', vip: '192.168.100.5', interface: 'bond0', kubeVipMode: 'bgp', bgp: { localAS: 64700, peers: [{ address: '192.168.100.1', as: 64600 }] } }),
    );
    const [file] = endpointHostFiles(spec.environments[1].clusters[0]);
    const env = Object.fromEntries(parse(file.content).spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ bgp_enable: 'true', vip_arp: 'false', bgp_as: '64700', bgp_peers: '192.168.100.1:64600::false', bgp_routerinterface: 'bond0' });
  });

  it('localAS defaults to 65000', () => {
    const { spec } = parseFleet(withEndpoint({ mode: 'kube-vip', vip: '192.168.100.5', kubeVipMode: 'bgp', bgp: { peers: [{ address: '192.168.100.1', as: 64600 }] } }));
    expect(spec.environments[1].clusters[0].controlPlane.endpoint.bgp?.localAS).toBe(65000);
  });

  it('bgp mode without peers is an error at endpoint.bgp.peers', () => {
    expect(errorsOf(withEndpoint({ mode: 'kube-vip', vip: '192.168.100.5', kubeVipMode: 'bgp' }))).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${CP.replace(/[[\].]/g, '\\$&')}\\.endpoint\\.bgp\\.peers: .*at least one peer`))]),
    );
    expect(errorsOf(withEndpoint({ mode: 'kube-vip', vip: '192.168.100.5', kubeVipMode: 'bgp', bgp: { peers: [] } })).join('\n')).toContain(`${CP}.endpoint.bgp.peers`);
  });

  it('bgp settings without kube-vip bgp mode are an error at endpoint.bgp', () => {
    const bgp = { peers: [{ address: '192.168.100.1', as: 64600 }] };
    const arp = errorsOf(withEndpoint({ mode: 'kube-vip', vip: '192.168.100.5', kubeVipMode: 'arp', bgp }));
    expect(arp).toEqual(expect.arrayContaining([expect.stringContaining(`${CP}.endpoint.bgp: is only allowed when endpoint.mode is kube-vip and kubeVipMode is bgp`)]));
    const keepalived = errorsOf(withEndpoint({ mode: 'keepalived-haproxy', vip: '192.168.100.5', bgp }));
    expect(keepalived.join('\n')).toContain(`${CP}.endpoint.bgp: is only allowed`);
  });

  it('a fixed router id with several control-plane replicas is an error; peers need IPv4 addresses', () => {
    const routerId = errorsOf(
      withEndpoint(
        { mode: 'kube-vip', vip: '192.168.100.5', kubeVipMode: 'bgp', bgp: { routerId: '192.168.100.9', peers: [{ address: '192.168.100.1', as: 64600 }] } },
        { replicas: 3 },
      ),
    );
    expect(routerId.join('\n')).toContain(`${CP}.endpoint.bgp.routerId: must be unique per machine`);
    const address = errorsOf(withEndpoint({ mode: 'kube-vip', vip: '192.168.100.5', kubeVipMode: 'bgp', bgp: { peers: [{ address: 'router-1', as: 64600 }] } }));
    expect(address.join('\n')).toContain(`${CP}.endpoint.bgp.peers[0].address: must be an IPv4 address`);
  });
});
