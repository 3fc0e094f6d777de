import { parse } from 'yaml';
import example from '../../../examples/fleet';
import {
  KUBELET_PATCH_PATH,
  kubeletConfiguration,
  kubeletHostFiles,
  machineSku,
} from '../../../lib/render/kubelet';
import { parseFleet } from '../../../lib/spec';
import { checkObjects } from '../../helpers/check';


function clusters(input: unknown = example) {
  return parseFleet(input).spec.environments.flatMap((e) => e.clusters);
}
const prod = () => clusters()[0];

describe('kubeletHostFiles', () => {
  it('writes one kubeadm kubeletconfiguration patch per machine set', () => {
    const files = kubeletHostFiles(prod(), prod().nodePools[0]);
    expect(files.map((f) => f.path)).toEqual(['/etc/kubernetes/patches/kubeletconfiguration0+strategic.yaml']);
    expect(files[0].path).toBe(KUBELET_PATCH_PATH);
    expect(files[0].permissions).toBe('0644');
  });

  it('renders a KubeletConfiguration the upstream schema accepts, for every pool and control plane', () => {
    for (const cluster of clusters()) {
      for (const pool of [undefined, ...cluster.nodePools]) {
        const doc = parse(kubeletHostFiles(cluster, pool)[0].content);
        expect({ pool: pool?.name, errors: checkObjects(doc) }).toEqual({ pool: pool?.name, errors: [] });
      }
    }
  });

  it('the schema check can fail (misspelt field)', () => {
    expect(checkObjects({ ...kubeletConfiguration(prod(), prod().nodePools[0]), evictionHardd: {} })).toEqual(['KubeletConfiguration/-: evictionHardd: unknown field']);
  });
});

describe('kubeletConfiguration', () => {
  it('carries the reservations of the pool SKU (8 CPU / 32Gi)', () => {
    const c = kubeletConfiguration(prod(), prod().nodePools[0]);
    expect(c.kubeReserved).toEqual({ cpu: '60m', memory: '2431Mi', 'ephemeral-storage': '1Gi', pid: '1000' });
    expect(c.systemReserved).toEqual({ cpu: '30m', memory: '1215Mi', 'ephemeral-storage': '2Gi', pid: '1000' });
    expect(c.enforceNodeAllocatable).toEqual(['pods']);
    expect(c.cgroupDriver).toBe('systemd');
  });

  it('is hardened', () => {
    const c = kubeletConfiguration(prod(), prod().nodePools[0]) as Record<string, any>;
    expect(c.authentication.anonymous.enabled).toBe(false);
    expect(c.authentication.webhook.enabled).toBe(true);
    expect(c.authorization.mode).toBe('Webhook');
    expect(c.readOnlyPort).toBe(0);
    expect(c.protectKernelDefaults).toBe(true);
    expect(c.rotateCertificates).toBe(true);
    expect(c.serverTLSBootstrap).toBe(true);
    expect(c.tlsMinVersion).toBe('VersionTLS12');
    expect(c.tlsCipherSuites.every((s: string) => /ECDHE_.*(GCM|CHACHA20)/.test(s))).toBe(true);
  });

  it('lists every eviction signal with kprod defaults', () => {
    const c = kubeletConfiguration(prod(), prod().nodePools[0]) as Record<string, any>;
    expect(Object.keys(c.evictionHard).sort()).toEqual(
      ['imagefs.available', 'imagefs.inodesFree', 'memory.available', 'nodefs.available', 'nodefs.inodesFree', 'pid.available'].sort(),
    );
    expect(c.evictionHard['memory.available']).toBe('500Mi');
    expect(Object.keys(c.evictionSoftGracePeriod).sort()).toEqual(Object.keys(c.evictionSoft).sort());
    expect(c.maxPods).toBe(110);
    expect(c.podPidsLimit).toBe(4096);
    expect(c.containerLogMaxSize).toBe('50Mi');
    expect(c.containerLogMaxFiles).toBe(5);
  });

  it('applies the pool overrides, keeping the other signals', () => {
    const input = structuredClone(example) as any;
    input.environments[0].clusters[0].nodePools[1].kubelet = {
      maxPods: 64,
      podPidsLimit: 2048,
      containerLogMaxSize: '20Mi',
      containerLogMaxFiles: 3,
      evictionHard: { 'memory.available': '1Gi' },
      evictionSoft: { 'memory.available': '2Gi' },
      evictionSoftGracePeriod: { 'memory.available': '30s' },
      imageGCHighThresholdPercent: 75,
      imageGCLowThresholdPercent: 60,
    };
    const cluster = clusters(input)[0];
    const c = kubeletConfiguration(cluster, cluster.nodePools[1]) as Record<string, any>;
    expect(c).toMatchObject({ maxPods: 64, podPidsLimit: 2048, containerLogMaxSize: '20Mi', containerLogMaxFiles: 3 });
    expect(c.evictionHard['memory.available']).toBe('1Gi');
    expect(c.evictionHard['nodefs.available']).toBe('10%');
    expect(c.evictionSoft['memory.available']).toBe('2Gi');
    expect(c.evictionSoftGracePeriod['memory.available']).toBe('30s');
    expect(c).toMatchObject({ imageGCHighThresholdPercent: 75, imageGCLowThresholdPercent: 60 });
    // other pools keep the defaults
    expect(kubeletConfiguration(cluster, cluster.nodePools[0]).maxPods).toBe(110);
  });

  it('sizes control-plane reservations from a given SKU, the SKU matching controlPlane.flavor, else the node-count size', () => {
    // prod can grow to 30 + 3 + 2 = 35 nodes: the 11-100 node tier, 4 CPU / 16Gi
    expect(machineSku(prod())).toEqual({ cpu: 4, memory: '16Gi', ephemeralStorage: '100Gi' });
    // 4 CPU → 80m (kube 54, system 26); 16Gi → 2663Mi (kube 1776, system 887)
    expect(kubeletConfiguration(prod()).kubeReserved).toMatchObject({ cpu: '54m', memory: '1776Mi' });
    // a given SKU wins: 8 CPU / 32Gi → kube 60m / 2431Mi
    expect(kubeletConfiguration(prod(), undefined, { cpu: 8, memory: '32Gi', ephemeralStorage: '100Gi' }).kubeReserved).toMatchObject({ cpu: '60m', memory: '2431Mi' });
    const input = structuredClone(example) as any;
    input.environments[0].clusters[0].controlPlane.flavor = 'r1.4xlarge';
    expect(machineSku(clusters(input)[0]).cpu).toBe(16);
  });
});
