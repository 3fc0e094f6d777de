/**
 * Generated fleets for the benchmark, shaped like examples/fleet.ts: each cluster has 3 node pools,
 * 20 tenants of 2 namespaces and every add-on switched on. Clusters alternate between an OpenStack
 * cluster (keepalived + HAProxy, external etcd with a separate events cluster) and a bare-metal one
 * (kube-vip, stacked etcd), and between two environments, so both code paths are measured.
 */
import type { FleetInput } from '../lib/spec';

export interface FleetShape {
  /** Clusters in the fleet. */
  readonly clusters: number;
  /** Tenants per cluster. @default 20 */
  readonly tenants?: number;
  /** Namespaces per tenant. @default 2 */
  readonly namespacesPerTenant?: number;
}

const SKUS: FleetInput['skus'] = {
  'general-8x32': { cpu: 8, memory: '32Gi', ephemeralStorage: '200Gi', flavor: 'm1.xlarge', hostClass: 'general' },
  'memory-16x128': { cpu: 16, memory: '128Gi', ephemeralStorage: '400Gi', flavor: 'r1.4xlarge', hostClass: 'memory' },
  'gpu-a100x4': { cpu: 48, memory: '384Gi', ephemeralStorage: '1Ti', gpu: { vendor: 'nvidia', count: 4 }, flavor: 'g1.a100x4', hostClass: 'gpu' },
};

type ClusterInput = FleetInput['environments'][number]['clusters'][number];

/** Node network of cluster i: a distinct /20 (10.x.y.0/20) for up to 4096 clusters. */
function nodeNetwork(i: number): { cidr: string; host: (n: number) => string } {
  const second = i >> 4;
  const third = (i & 15) << 4;
  return { cidr: `10.${second}.${third}.0/20`, host: (n) => `10.${second}.${third + (n >> 8)}.${n & 255}` };
}

function tenants(cluster: number, count: number, namespaces: number): ClusterInput['tenants'] {
  return Array.from({ length: count }, (_, t) => {
    const name = `team-${String(t).padStart(2, '0')}`;
    return {
      name,
      owners: { groups: [`${name}-admins`] },
      viewers: { groups: [`${name}-devs`], users: [`lead-${t}@example.com`] },
      namespaces: Array.from({ length: namespaces }, (_, n) => ({ name: `${name}-ns${n}` })),
      quota: { 'requests.cpu': '4', 'requests.memory': '16Gi', 'limits.cpu': '8', 'limits.memory': '32Gi', pods: 100 },
      priorityQuotas: { high: { 'requests.cpu': '1', pods: 10 }, medium: { 'requests.cpu': '2' }, low: { 'requests.cpu': '1' } },
      network: { allowIngressFromNamespaces: ['ingress-nginx'], allowEgressToCidrs: [`10.${200 + (cluster % 50)}.0.0/16`] },
      // The first tenant owns the GPU pool, as in the example fleet.
      ...(t === 0 ? { nodePools: ['gpu'], podSecurity: 'baseline' as const } : {}),
    };
  });
}

function cluster(i: number, shape: FleetShape): ClusterInput {
  const net = nodeNetwork(i);
  const name = `c${String(i).padStart(4, '0')}`;
  const openstack = i % 2 === 0;
  const common = {
    name,
    failureDomains: openstack ? ['az1', 'az2', 'az3'] : ['rack-a', 'rack-b', 'rack-c'],
    nodePools: [
      { name: 'general', sku: 'general-8x32', autoscaling: { min: 3, max: 30 } },
      { name: 'search', sku: 'memory-16x128', replicas: 3, sysctls: { 'vm.max_map_count': 262144 }, labels: { 'workload.acme.io/class': 'search' } },
      { name: 'gpu', sku: 'gpu-a100x4', replicas: 2, dedicatedTo: 'team-00' },
    ],
    addons: {
      nodeProblemDetector: { enabled: true, customCheckScript: '#!/bin/sh\ntest -w /var/lib/kubelet\n' },
      logging: { enabled: true, output: { type: 'opensearch' as const, host: 'logs.example.com', port: 9200, credentialsSecret: 'opensearch-credentials' } },
      metricsServer: { enabled: true },
      monitoring: { enabled: true },
      clusterAutoscaler: { enabled: true },
    },
    tenants: tenants(i, shape.tenants ?? 20, shape.namespacesPerTenant ?? 2),
  };
  if (openstack)
    return {
      ...common,
      kubernetesVersion: '1.36.2',
      infrastructure: { provider: 'openstack', cloudName: 'prod', imageName: 'ubuntu-2404-kube-v1.36.2', sshKeyName: 'platform', dnsNameservers: [net.host(2)] },
      // The VIP and the pinned control-plane addresses live on their own small subnet (network.controlPlaneCidr).
      network: { nodeCidr: net.cidr, podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12', controlPlaneCidr: '10.250.0.0/27' },
      controlPlane: {
        replicas: 3,
        endpoint: { mode: 'keepalived-haproxy', vip: '10.250.0.10', port: 8443, dnsNames: [`api.${name}.example.com`] },
        etcd: {
          topology: 'external',
          external: { members: [0, 1, 2].map((m) => ({ name: `etcd-${m}`, ip: net.host(266 + m) })) },
          events: { members: [0, 1, 2].map((m) => ({ name: `etcd-events-${m}`, ip: net.host(276 + m) })) },
          networkRttMs: 2,
        },
        oidc: { issuerUrl: 'https://login.example.com/realms/platform', clientId: 'kubernetes' },
      },
    };
  return {
    ...common,
    kubernetesVersion: '1.35.6',
    infrastructure: {
      provider: 'metal3',
      imageUrl: 'http://images.example.com/ubuntu-2404-kube-v1.35.6.raw',
      imageChecksum: 'http://images.example.com/ubuntu-2404-kube-v1.35.6.raw.sha256sum',
    },
    network: { nodeCidr: net.cidr, podCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/16', cni: { plugin: 'cilium', encapsulation: 'vxlan' } },
    controlPlane: { replicas: 3, endpoint: { mode: 'kube-vip', vip: net.host(5), dnsNames: [`api.${name}.example.com`] } },
  };
}

/** A valid fleet of `shape.clusters` clusters with distinct names and node networks. */
export function generateFleet(shape: FleetShape): FleetInput {
  if (!Number.isInteger(shape.clusters) || shape.clusters < 1 || shape.clusters > 4096)
    throw new RangeError(`clusters must be an integer from 1 to 4096, got ${shape.clusters}`);
  const environments: FleetInput['environments'] = [
    { name: 'prod', gitops: { repoURL: 'https://git.example.com/platform/fleet.git' }, clusters: [] },
    { name: 'staging', gitops: { repoURL: 'https://git.example.com/platform/fleet.git', targetRevision: 'main' }, clusters: [] },
  ];
  for (let i = 0; i < shape.clusters; i++) environments[i % 2].clusters.push(cluster(i, shape));
  return { name: 'bench', skus: SKUS, environments: environments.filter((e) => e.clusters.length > 0) };
}
