/**
 * Static hosts over SSH: kubeadm init then joins in order, rendered configs accepted by the
 * kubeadm schemas, triggers that follow the content, drain before removal; Ironic flavors.
 */
import { installMockGraph, type RecordedResource } from '../../stacks/testing/mock-graph';

const TOKEN = 'abcdef.0123456789abcdef';
const HASH = `sha256:${'ab'.repeat(32)}`;
const graph = installMockGraph((type, name) => {
  if (type !== 'command:remote:Command') return undefined;
  if (name.endsWith('-join-credentials')) return { stdout: `token=${TOKEN}\nhash=${HASH}\n`, stderr: '' };
  if (name.endsWith('-admin-kubeconfig')) return { stdout: 'apiVersion: v1\nkind: Config\n', stderr: '' };
  return { stdout: '', stderr: '' };
});

import { parseAllDocuments } from 'yaml';
import example from '../../examples/fleet';
import { parseFleet, type ClusterSpec, type FleetInput } from '../../lib/spec';
import { IronicFlavors, resourceClass } from '../../stacks/baremetal/ironic-flavors';
import { parseHosts, hostsOf, type StaticHost } from '../../stacks/baremetal/inventory';
import { staticHostFiles } from '../../stacks/baremetal/host-files';
import { KubeadmHosts } from '../../stacks/baremetal/kubeadm-hosts';
import { ClusterPki } from '../../stacks/pki/cluster-pki';
import { filesHash } from '../../stacks/remote-files';
import { checkObjects } from '../helpers/check';

const CMD = 'command:remote:Command';
const staging = (change?: (c: any) => void): ClusterSpec => {
  const input = structuredClone(example) as any;
  // These static-host tests exercise the kube-vip endpoint (the example's dc1 uses keepalived-haproxy).
  input.environments[1].clusters[0].controlPlane.endpoint = { mode: 'kube-vip', vip: '192.168.100.5', dnsNames: ['api.dc1.staging.example.com'] };
  change?.(input.environments[1].clusters[0]);
  return parseFleet(input as FleetInput).spec.environments[1].clusters[0];
};
const HOSTS: StaticHost[] = parseHosts([
  { name: 'w-1', address: '192.168.100.21', role: 'worker', pool: 'general' },
  { name: 'cp-a', address: '192.168.100.11', role: 'control-plane' },
  { name: 'cp-b', address: '192.168.100.12', role: 'control-plane' },
  { name: 'w-2', address: '192.168.100.22', role: 'worker', user: 'admin' },
  { name: 'cp-c', address: '192.168.100.13', role: 'control-plane' },
]);

/** The YAML of a file written by a step's stdin script (heredoc). */
function heredoc(stdin: string, filePath: string): string {
  const start = stdin.indexOf(`cat > '${filePath}.kprod-tmp' <<'KPROD_FILE_EOF'\n`);
  if (start < 0) throw new Error(`${filePath} not written`);
  const body = stdin.slice(stdin.indexOf('\n', start) + 1);
  return body.slice(0, body.indexOf('\nKPROD_FILE_EOF\n'));
}

describe('kubeadm on static hosts', () => {
  let cmds: Record<string, RecordedResource>;
  beforeAll(async () => {
    graph.reset();
    const cluster = staging();
    const pki = new ClusterPki('pki', { cluster });
    new KubeadmHosts('dc1', { cluster, hosts: hostsOf(HOSTS, 'dc1', true), ssh: { user: 'ubuntu', privateKey: 'KEY' }, encryptionConfig: pki.encryptionConfig });
    await graph.settle();
    cmds = Object.fromEntries(graph.byType(CMD).map((c) => [c.name.replace(/^dc1-/, ''), c]));
  });

  it('runs kubeadm init on the first control-plane host only', () => {
    const inits = Object.values(cmds).filter((c) => String(c.inputs.create).includes('kubeadm init --config'));
    expect(inits.map((c) => c.name)).toEqual(['dc1-cp-a-kubeadm-init']);
    expect(inits[0].inputs.connection).toMatchObject({ host: '192.168.100.11', user: 'ubuntu' });
    expect(inits[0].dependsOn).toContain('dc1-cp-a-files');
    expect(cmds['cp-a-files'].dependsOn).toContain('dc1-cp-a-prerequisites');
  });

  it('joins control planes one after another, workers after the last control plane', () => {
    expect(cmds['cp-b-kubeadm-join'].dependsOn).toContain('dc1-cp-a-kubeadm-init');
    expect(cmds['cp-c-kubeadm-join'].dependsOn).toContain('dc1-cp-b-kubeadm-join');
    for (const w of ['w-1', 'w-2']) {
      expect(cmds[`${w}-kubeadm-join`].dependsOn).toContain('dc1-cp-c-kubeadm-join');
      expect(cmds[`${w}-join-credentials`].dependsOn).toContain('dc1-cp-c-kubeadm-join');
    }
    expect(cmds['w-2-kubeadm-join'].dependsOn).not.toContain('dc1-w-1-kubeadm-join');
    expect(cmds['w-2-kubeadm-join'].inputs.connection).toMatchObject({ host: '192.168.100.22', user: 'admin' });
  });

  it('gets a fresh token from the first control plane for each join, re-uploading certificates for control planes', () => {
    expect(cmds['cp-b-join-credentials'].inputs.connection.host).toBe('192.168.100.11');
    expect(cmds['cp-b-join-credentials'].inputs.stdin).toContain('kubeadm init phase upload-certs --upload-certs');
    expect(cmds['w-1-join-credentials'].inputs.stdin).not.toContain('upload-certs');
    expect(cmds['w-1-join-credentials'].inputs.stdin).toContain('kubeadm token create --ttl 1h0m0s');
  });

  const initDocs = () => parseAllDocuments(heredoc(cmds['cp-a-files'].inputs.stdin, '/etc/kubernetes/kprod/kubeadm-init.yaml')).map((d) => d.toJS());
  const joinDoc = (host: string) => parseAllDocuments(heredoc(cmds[`${host}-kubeadm-join`].inputs.stdin, '/etc/kubernetes/kprod/kubeadm-join.yaml'))[0].toJS();

  it('init configuration: endpoint, networking, certificate key, patches', () => {
    const [init, clusterConfig] = initDocs();
    expect(init).toMatchObject({ kind: 'InitConfiguration', nodeRegistration: { name: 'cp-a' }, localAPIEndpoint: { advertiseAddress: '192.168.100.11' }, patches: { directory: '/etc/kubernetes/patches' } });
    expect(init.certificateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(clusterConfig).toMatchObject({
      kind: 'ClusterConfiguration',
      kubernetesVersion: 'v1.35.6',
      controlPlaneEndpoint: 'api.dc1.staging.example.com:6443',
      networking: { podSubnet: '172.20.0.0/16', serviceSubnet: '172.21.0.0/16' },
    });
  });

  it('join configurations carry the token, CA hash and (control planes) the certificate key', () => {
    const cp = joinDoc('cp-b');
    const [init] = initDocs();
    expect(cp.discovery.bootstrapToken).toEqual({ apiServerEndpoint: 'api.dc1.staging.example.com:6443', token: TOKEN, caCertHashes: [HASH] });
    expect(cp.controlPlane).toEqual({ localAPIEndpoint: { advertiseAddress: '192.168.100.12', bindPort: 6443 }, certificateKey: init.certificateKey });
    expect(joinDoc('w-1').controlPlane).toBeUndefined();
    expect(cmds['cp-b-kubeadm-join'].secretInputs.has('stdin')).toBe(true);
  });

  it('init, cluster and join configurations are valid kubeadm v1beta4', () => {
    const docs = [...initDocs(), joinDoc('cp-b'), joinDoc('w-2')];
    expect(docs.map((d) => d.apiVersion)).toEqual(Array(4).fill('kubeadm.k8s.io/v1beta4'));
    expect(checkObjects(...docs)).toEqual([]);
  });

  it('control planes get endpoint (kube-vip), apiserver configs and the encryption config; workers only host and kubelet files', () => {
    const cp = cmds['cp-c-files'].inputs.stdin as string;
    expect(cp).toContain("/etc/kubernetes/manifests/kube-vip.yaml");
    expect(cp).toContain('/etc/kubernetes/encryption/encryption-config.yaml');
    expect(cp).toContain('/etc/kubernetes/patches/kubeletconfiguration0+strategic.yaml');
    const worker = cmds['w-1-files'].inputs.stdin as string;
    expect(worker).toContain('/etc/kubernetes/patches/kubeletconfiguration0+strategic.yaml');
    expect(worker).not.toContain('kube-vip');
    expect(worker).not.toContain('encryption-config');
    expect(cmds['cp-c-files'].secretInputs.has('stdin')).toBe(true);
  });

  it('drains and deletes the node (from the first control plane) before the host is reset', () => {
    const m = cmds['w-2-membership'];
    expect(m.inputs.connection.host).toBe('192.168.100.11');
    expect(m.inputs.delete).toMatch(/kubectl .*drain w-2 --ignore-daemonsets --delete-emptydir-data.*&& .*delete node w-2/);
    expect(m.dependsOn).toContain('dc1-w-2-kubeadm-join');
    expect(cmds['w-2-kubeadm-join'].inputs.delete).toBe('sudo kubeadm reset -f');
  });

  it('file steps are triggered by the hash of their files', () => {
    const triggers = (h: string) => cmds[`${h}-files`].inputs.triggers as string[];
    expect(triggers('w-1')[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(triggers('w-1')).not.toEqual(triggers('cp-b'));
  });
});

describe('a changed config changes only the triggers of the hosts it affects', () => {
  it('moving the VIP changes control-plane files, not worker files', () => {
    const before = staging();
    const after = staging((c) => (c.controlPlane.endpoint.vip = '192.168.100.6'));
    const [cp, worker] = [HOSTS.find((h) => h.name === 'cp-b')!, HOSTS.find((h) => h.name === 'w-1')!];
    expect(filesHash(staticHostFiles(after, cp))).not.toBe(filesHash(staticHostFiles(before, cp)));
    expect(filesHash(staticHostFiles(after, worker))).toBe(filesHash(staticHostFiles(before, worker)));
  });
});

describe('inventory', () => {
  it('orders control planes first and keeps config order within a role', () => {
    expect(hostsOf(HOSTS, 'dc1', true).map((h) => h.name)).toEqual(['cp-a', 'cp-b', 'cp-c', 'w-1', 'w-2']);
  });
  it('reports every problem with its path', () => {
    expect(() =>
      parseHosts([
        { name: 'a', address: '10.0.0.1', role: 'control-plane' },
        { name: 'B', address: '10.0.0.300', role: 'master' },
        { name: 'a', address: '10.0.0.1', role: 'worker' },
      ]),
    ).toThrow(/kprod:hosts\[1\]\.name: .*"B"[\s\S]*kprod:hosts\[1\]\.address[\s\S]*kprod:hosts\[1\]\.role/);
    expect(() =>
      parseHosts([
        { name: 'a', address: '10.0.0.1', role: 'control-plane' },
        { name: 'a', address: '10.0.0.1', role: 'worker' },
      ]),
    ).toThrow(/kprod:hosts\[1\]\.name: repeats kprod:hosts\[0\][\s\S]*kprod:hosts\[1\]\.address: repeats/);
  });
});

describe('Ironic flavors', () => {
  it('one flavor per host class, scheduled by its custom resource class only', async () => {
    graph.reset();
    const skus = parseFleet(structuredClone(example) as FleetInput).spec.environments[0].clusters[0].skus;
    new IronicFlavors('bm', { skus });
    await graph.settle();
    const flavors = graph.byType('openstack:compute/flavor:Flavor');
    expect(flavors.map((f) => f.inputs.name).sort()).toEqual(['g1.a100x4', 'm1.xlarge', 'r1.4xlarge']);
    const gpu = flavors.find((f) => f.inputs.name === 'g1.a100x4')!;
    expect(gpu.inputs.extraSpecs).toEqual({ 'resources:CUSTOM_GPU': '1', 'resources:VCPU': '0', 'resources:MEMORY_MB': '0', 'resources:DISK_GB': '0' });
    expect(gpu.inputs).toMatchObject({ vcpus: 48, ram: 384 * 1024, disk: 1024, isPublic: false });
    expect(resourceClass('control-plane')).toBe('CUSTOM_CONTROL_PLANE');
  });
});
