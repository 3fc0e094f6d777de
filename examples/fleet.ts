/**
 * The example fleet `npm run synth` renders: two environments. prod: an OpenStack cluster with a
 * keepalived + HAProxy VIP, external etcd and a separate events etcd, three SKU pools (general,
 * memory-optimized, GPU) and two tenants (one isolated onto the GPU pool). staging: a bare-metal
 * (Metal3) cluster with a keepalived + HAProxy VIP and stacked etcd.
 */
import { defineFleet } from '../lib/spec';

export default defineFleet({
  name: 'acme',
  skus: {
    'general-8x32': { cpu: 8, memory: '32Gi', ephemeralStorage: '200Gi', flavor: 'm1.xlarge', hostClass: 'general' },
    'memory-16x128': { cpu: 16, memory: '128Gi', ephemeralStorage: '400Gi', flavor: 'r1.4xlarge', hostClass: 'memory' },
    'gpu-a100x4': { cpu: 48, memory: '384Gi', ephemeralStorage: '1Ti', gpu: { vendor: 'nvidia', count: 4 }, hugepages: { '1Gi': 16 }, flavor: 'g1.a100x4', hostClass: 'gpu' },
    'cp-4x16': { cpu: 4, memory: '16Gi', ephemeralStorage: '100Gi', flavor: 'm1.large', hostClass: 'control-plane' },
  },
  environments: [
    {
      name: 'prod',
      gitops: { repoURL: 'https://git.example.com/platform/fleet.git' },
      clusters: [
        {
          name: 'eu-west-1',
          kubernetesVersion: '1.36.2',
          infrastructure: { provider: 'openstack', cloudName: 'prod', imageName: 'ubuntu-2404-kube-v1.36.2', sshKeyName: 'platform', dnsNameservers: ['10.10.0.2'] },
          failureDomains: ['az1', 'az2', 'az3'],
          // The control plane gets a /27 of its own next to the node network (VIP + pinned machine addresses).
          network: { nodeCidr: '10.10.0.0/20', controlPlaneCidr: '10.10.16.0/27', podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12' },
          controlPlane: {
            replicas: 3,
            endpoint: { mode: 'keepalived-haproxy', vip: '10.10.16.10', port: 8443, dnsNames: ['api.eu-west-1.prod.example.com'] },
            etcd: {
              topology: 'external',
              external: {
                members: [
                  { name: 'etcd-0', ip: '10.10.1.10' },
                  { name: 'etcd-1', ip: '10.10.1.11' },
                  { name: 'etcd-2', ip: '10.10.1.12' },
                ],
              },
              events: {
                members: [
                  { name: 'etcd-events-0', ip: '10.10.1.20' },
                  { name: 'etcd-events-1', ip: '10.10.1.21' },
                  { name: 'etcd-events-2', ip: '10.10.1.22' },
                ],
              },
              networkRttMs: 2,
              // Snapshots leave the etcd VMs: keys in Pulumi secrets (kprod:etcdBackupUpload*), never in dist/.
              backup: { upload: { endpoint: 'https://s3.eu-west-1.example.com', bucket: 'acme-etcd-snapshots', credentialsSecret: 'etcd-backup-s3' } },
            },
            oidc: { issuerUrl: 'https://login.example.com/realms/platform', clientId: 'kubernetes' },
          },
          nodePools: [
            { name: 'general', sku: 'general-8x32', autoscaling: { min: 3, max: 30 } },
            { name: 'search', sku: 'memory-16x128', replicas: 3, sysctls: { 'vm.max_map_count': 262144 }, labels: { 'workload.acme.io/class': 'search' } },
            {
              name: 'gpu',
              sku: 'gpu-a100x4',
              replicas: 2,
              dedicatedTo: 'ml',
              // Training pods get whole cores, memory and GPUs from one NUMA node.
              kubelet: { cpuManagerPolicy: 'static', memoryManagerPolicy: 'Static', topologyManagerPolicy: 'restricted', topologyManagerScope: 'pod', reservedSystemCPUs: '0-1' },
            },
          ],
          addons: {
            logging: { output: { type: 'opensearch', host: 'logs.example.com', port: 9200, credentialsSecret: 'opensearch-credentials' } },
          },
          tenants: [
            {
              name: 'payments',
              owners: { groups: ['payments-admins'] },
              viewers: { groups: ['payments-devs'] },
              namespaces: [{ name: 'payments-dev' }, { name: 'payments-prod' }],
              quota: { 'requests.cpu': '40', 'requests.memory': '160Gi', 'limits.cpu': '80', 'limits.memory': '320Gi', pods: 400 },
              priorityQuotas: { high: { 'requests.cpu': '10', pods: 50 }, medium: { 'requests.cpu': '20' }, low: { 'requests.cpu': '10' } },
              scopeQuotas: { BestEffort: { pods: 20 } },
              network: { allowIngressFromNamespaces: ['ingress-nginx'] },
            },
            {
              name: 'ml',
              owners: { groups: ['ml-platform'] },
              namespaces: [{ name: 'ml-training' }],
              // Both GPU machines' 4 A100s each: the device plugin advertises them as nvidia.com/gpu.
              quota: { 'requests.cpu': '90', 'requests.memory': '700Gi', 'requests.storage': '10Ti', extended: { 'nvidia.com/gpu': 8 } },
              priorityQuotas: { low: { 'requests.cpu': '90', pods: 200 } },
              nodePools: ['gpu'],
              podSecurity: 'baseline',
            },
          ],
        },
      ],
    },
    {
      name: 'staging',
      gitops: { repoURL: 'https://git.example.com/platform/fleet.git', targetRevision: 'main' },
      clusters: [
        {
          name: 'dc1',
          kubernetesVersion: '1.35.6',
          infrastructure: {
            provider: 'metal3',
            imageUrl: 'http://images.dc1.example.com/ubuntu-2404-kube-v1.35.6.raw',
            imageChecksum: 'http://images.dc1.example.com/ubuntu-2404-kube-v1.35.6.raw.sha256sum',
          },
          failureDomains: ['rack-a', 'rack-b', 'rack-c'],
          network: { nodeCidr: '192.168.100.0/22', podCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/16', cni: { plugin: 'cilium', encapsulation: 'vxlan' } },
          controlPlane: {
            replicas: 3,
            endpoint: { mode: 'keepalived-haproxy', vip: '192.168.100.5', port: 8443, dnsNames: ['api.dc1.staging.example.com'], interface: 'bond0' },
          },
          nodePools: [{ name: 'general', sku: 'general-8x32', replicas: 4 }],
          addons: {
            logging: { output: { type: 'loki', host: 'loki.dc1.example.com', credentialsSecret: 'loki-credentials' } },
          },
          tenants: [
            {
              name: 'payments',
              owners: { groups: ['payments-admins'] },
              namespaces: [{ name: 'payments-staging' }],
              quota: { 'requests.cpu': '8', 'requests.memory': '32Gi' },
            },
          ],
        },
      ],
    },
  ],
});
