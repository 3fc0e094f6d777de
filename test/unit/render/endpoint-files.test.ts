import { Pod } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import {
  controlPlaneAddresses,
  endpointHostFiles,
  endpointPostKubeadmCommands,
  endpointPreKubeadmCommands,
} from '../../../lib/render/endpoint-files';
import { exampleCluster } from '../../integration/helpers/example-cluster';

/** The staging cluster switched to kube-vip (the example uses keepalived-haproxy there). */
const kubeVipDc1 = (change: (c: any) => void = () => {}) =>
  exampleCluster('dc1', (c) => {
    c.controlPlane.endpoint = { mode: 'kube-vip', vip: '192.168.100.5' };
    change(c);
  });
const byPath = (files: { path: string; content: string; permissions?: string }[]) => Object.fromEntries(files.map((f) => [f.path, f]));

describe('controlPlaneAddresses', () => {
  it('pins replicas + 1 addresses right after the VIP', () => {
    expect(controlPlaneAddresses(exampleCluster('eu-west-1'))).toEqual(['10.10.16.11', '10.10.16.12', '10.10.16.13', '10.10.16.14']);
  });
  it('carries over octets and follows the replica count', () => {
    const c = exampleCluster('eu-west-1', (c) => {
      c.network.controlPlaneCidr = '10.10.16.0/23';
      c.controlPlane.endpoint.vip = '10.10.16.254';
      c.controlPlane.replicas = 5;
    });
    expect(controlPlaneAddresses(c)).toEqual(['10.10.16.255', '10.10.17.0', '10.10.17.1', '10.10.17.2', '10.10.17.3', '10.10.17.4']);
  });
  it('takes the addresses from the node network when there is no control-plane CIDR (Metal3)', () => {
    expect(controlPlaneAddresses(exampleCluster('dc1'))).toEqual(['192.168.100.6', '192.168.100.7', '192.168.100.8', '192.168.100.9']);
  });
  it('names the VIP and the control-plane CIDR when the addresses do not fit (spec rules reject this earlier)', () => {
    const ok = exampleCluster('eu-west-1');
    const c = { ...ok, controlPlane: { ...ok.controlPlane, endpoint: { ...ok.controlPlane.endpoint, vip: '10.10.16.28' } } } as typeof ok;
    expect(() => controlPlaneAddresses(c)).toThrow(/controlPlane\.endpoint\.vip: 10\.10\.16\.28 .*network\.controlPlaneCidr 10\.10\.16\.0\/27 \(10\.10\.16\.31 is outside\)/);
  });
  it('is empty for kube-vip (no backend list needed)', () => {
    expect(controlPlaneAddresses(exampleCluster('dc1', (c) => (c.controlPlane.endpoint = { mode: 'kube-vip', vip: '192.168.100.5' })))).toEqual([]);
  });
});

describe('endpointHostFiles', () => {
  it('keepalived-haproxy: config, check script (0755), the HAProxy static pod; keepalived runs from the host package', () => {
    const files = byPath(endpointHostFiles(exampleCluster('eu-west-1')));
    expect(Object.keys(files).sort()).toEqual([
      '/etc/haproxy/haproxy.cfg',
      '/etc/keepalived/check_apiserver.sh',
      '/etc/keepalived/keepalived.conf',
      '/etc/kubernetes/manifests/haproxy.yaml',
    ]);
    expect(files['/etc/keepalived/check_apiserver.sh'].permissions).toBe('0755');
    const cfg = files['/etc/haproxy/haproxy.cfg'].content;
    expect(cfg).toMatch(/^ {4}bind \*:8443$/m);
    expect(cfg).toMatch(/^ {4}server eu-west-1-cp-1 10\.10\.16\.11:6443 /m);
    const ka = files['/etc/keepalived/keepalived.conf'].content;
    expect(ka).toMatch(/^ +10\.10\.16\.10\/32 dev eth0$/m);
    expect(ka).toMatch(/^ +virtual_router_id 51$/m);
    const haproxy = parse(files['/etc/kubernetes/manifests/haproxy.yaml'].content);
    expect(() => new Pod(haproxy).validate()).not.toThrow();
    expect(haproxy.spec.hostNetwork).toBe(true);
    expect(haproxy.spec.volumes[0].hostPath.path).toBe('/etc/haproxy/haproxy.cfg');
    // an exact HAProxy LTS tag, never a floating one like 2.8-alpine
    expect(haproxy.spec.containers[0].image).toBe('docker.io/library/haproxy:3.4.3-alpine');
  });

  it('keepalived-haproxy: drops its own address, installs the keepalived package if missing, then starts the service on the written config', () => {
    const cmds = endpointPreKubeadmCommands(exampleCluster('eu-west-1'), 'init');
    expect(cmds).toHaveLength(3);
    expect(cmds[0]).toMatch(/hostname -I/);
    expect(cmds[1]).toBe('command -v keepalived >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends keepalived; }');
    expect(cmds[2]).toBe('systemctl enable keepalived && systemctl restart keepalived');
    expect(endpointPreKubeadmCommands(exampleCluster('eu-west-1'), 'join')).toEqual(cmds);
  });

  it('kube-vip: one static pod announcing the VIP by ARP or BGP', () => {
    const arp = parse(endpointHostFiles(kubeVipDc1())[0].content);
    expect(() => new Pod(arp).validate()).not.toThrow();
    const env = (pod: any) => Object.fromEntries(pod.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env(arp)).toMatchObject({ address: '192.168.100.5', port: '6443', vip_subnet: '32', vip_arp: 'true', cp_enable: 'true', vip_leaderelection: 'true' });
    expect(env(arp).vip_cidr).toBeUndefined();
    expect(env(arp).bgp_enable).toBeUndefined();
    const bgp = parse(endpointHostFiles(kubeVipDc1((c) => Object.assign(c.controlPlane.endpoint, { kubeVipMode: 'bgp', bgp: { peers: [{ address: '192.168.100.1', as: 64600 }] } })))[0].content);
    expect(env(bgp)).toMatchObject({ vip_arp: 'false', bgp_enable: 'true' });
  });

  it('loadbalancer: no files', () => {
    const c = exampleCluster('eu-west-1', (c) => (c.controlPlane.endpoint = { mode: 'loadbalancer', dnsNames: ['api.example.com'] }));
    expect(endpointHostFiles(c)).toEqual([]);
  });
});

describe('kubeadm commands', () => {
  it('kube-vip on >= 1.29: super-admin.conf during init only, switched back after', () => {
    const c = kubeVipDc1();
    const [pre] = endpointPreKubeadmCommands(c, 'init');
    const [post] = endpointPostKubeadmCommands(c, 'init');
    expect(pre).toContain('path: /etc/kubernetes/super-admin.conf');
    expect(post).toMatch(/super-admin\.conf.*#path: \/etc\/kubernetes\/admin\.conf#/);
    expect(endpointPreKubeadmCommands(c, 'join')).toEqual([]);
    expect(endpointPostKubeadmCommands(c, 'join')).toEqual([]);
  });

  it('keepalived-haproxy: each machine drops its own address from the unicast peers', () => {
    const cmds = endpointPreKubeadmCommands(exampleCluster('eu-west-1'), 'join');
    expect(cmds).toHaveLength(3);
    expect(cmds[0]).toContain('/etc/keepalived/keepalived.conf');
  });
});
