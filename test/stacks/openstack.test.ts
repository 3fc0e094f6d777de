/**
 * OpenStack resources of a cluster, asserted on the resource graph recorded by Pulumi mocks:
 * security group rules (exact), VIP port, server groups, external etcd VMs.
 */
import { installMockGraph, type RecordedResource } from '../../stacks/testing/mock-graph';

const graph = installMockGraph();

import example from '../../examples/fleet';
import { parseFleet, type ClusterSpec, type FleetInput } from '../../lib/spec';
import { OpenStackClusterInfra } from '../../stacks/openstack/cluster-infra';
import { EtcdPki } from '../../stacks/pki/etcd-pki';

const SG_RULE = 'openstack:networking/secGroupRule:SecGroupRule';
const SG = 'openstack:networking/secGroup:SecGroup';

/** The example's prod cluster, optionally changed. */
function prodCluster(change?: (c: any) => void): ClusterSpec {
  const input = structuredClone(example) as any;
  change?.(input.environments[0].clusters[0]);
  return parseFleet(input as FleetInput).spec.environments[0].clusters[0];
}

async function build(cluster: ClusterSpec, withEtcd = true): Promise<void> {
  graph.reset();
  const etcdPki = withEtcd ? new EtcdPki(`${cluster.name}-etcd-pki`, { cluster }) : undefined;
  new OpenStackClusterInfra(cluster.name, { cluster, etcdPki, ssh: { user: 'ubuntu', privateKey: 'KEY' } });
  await graph.settle();
}

/** Rules as readable strings: `<group> <- <proto>[:<ports>] from <group|cidr>`. */
function rules(): string[] {
  const groupName = new Map(graph.byType(SG).map((g) => [g.id, String(g.inputs.name).replace(/^kprod-prod-eu-west-1-/, '')]));
  return graph
    .byType(SG_RULE)
    .map((r: RecordedResource) => {
      const i = r.inputs;
      expect(i.direction).toBe('ingress');
      expect(i.ethertype).toBe('IPv4');
      const ports = i.portRangeMin === undefined ? '' : i.portRangeMin === i.portRangeMax ? `:${i.portRangeMin}` : `:${i.portRangeMin}-${i.portRangeMax}`;
      const from = i.remoteGroupId ? groupName.get(i.remoteGroupId) : i.remoteIpPrefix;
      return `${groupName.get(i.securityGroupId)} <- ${i.protocol}${ports} from ${from}`;
    })
    .sort();
}

const nodePairs = (proto: string) =>
  ['control-plane', 'worker'].flatMap((dst) => ['control-plane', 'worker'].map((src) => `${dst} <- ${proto} from ${src}`));

/** Rules every cluster has, whatever its endpoint, etcd and CNI: apiserver between nodes, kubelet from the control plane. */
const APISERVER_AND_KUBELET = [
  'control-plane <- tcp:6443 from control-plane',
  'control-plane <- tcp:6443 from worker',
  'control-plane <- tcp:10250 from control-plane',
  'worker <- tcp:10250 from control-plane',
];

/** Prometheus (on the workers) scraping host-network targets: kubelet, node-exporter, node-problem-detector, the metrics proxy on control planes. */
const MONITORING = [
  'control-plane <- tcp:10250 from worker',
  'worker <- tcp:10250 from worker',
  'control-plane <- tcp:9100 from worker',
  'worker <- tcp:9100 from worker',
  'control-plane <- tcp:20257 from worker',
  'worker <- tcp:20257 from worker',
  'control-plane <- tcp:10357 from worker',
  'control-plane <- tcp:10359 from worker',
];

describe('security groups', () => {
  it('open exactly what keepalived-haproxy, external etcd and calico ipip need', async () => {
    await build(prodCluster());
    expect(graph.byType(SG).map((g) => g.inputs.name).sort()).toEqual([
      'kprod-prod-eu-west-1-control-plane',
      'kprod-prod-eu-west-1-etcd',
      'kprod-prod-eu-west-1-worker',
    ]);
    expect(rules()).toEqual(
      [
        ...APISERVER_AND_KUBELET,
        'control-plane <- tcp:8443 from 10.10.0.0/20',
        'control-plane <- tcp:8443 from 10.10.16.0/27',
        'control-plane <- 112 from control-plane',
        'etcd <- tcp:2380 from etcd',
        'etcd <- tcp:2379 from control-plane',
        // etcd metrics and the VMs' node_exporter (backup age), from the workers only.
        'etcd <- tcp:2381 from worker',
        'etcd <- tcp:9100 from worker',
        ...MONITORING,
        ...nodePairs('tcp:179'),
        ...nodePairs('4'),
        ...nodePairs('tcp:5473'),
      ].sort(),
    );
  });

  it('open no monitoring port when monitoring is off', async () => {
    await build(prodCluster((c) => (c.addons = { ...c.addons, monitoring: { enabled: false } })));
    const off = rules();
    await build(prodCluster());
    const on = rules();
    expect(off.filter((r) => !on.includes(r))).toEqual([]);
    expect(on.filter((r) => !off.includes(r))).toEqual([...MONITORING, 'etcd <- tcp:2381 from worker', 'etcd <- tcp:9100 from worker'].sort());
  });

  it('open the endpoint to 0.0.0.0/0 only when it is public, and nothing else', async () => {
    await build(prodCluster((c) => (c.controlPlane.endpoint.public = true)));
    const open = rules().filter((r) => r.endsWith('from 0.0.0.0/0'));
    expect(open).toEqual(['control-plane <- tcp:8443 from 0.0.0.0/0']);
    await build(prodCluster());
    expect(rules().filter((r) => r.includes('0.0.0.0/0'))).toEqual([]);
  });

  it('stacked etcd, kube-vip and cilium vxlan: etcd ports between control planes only, no VRRP, cilium ports', async () => {
    await build(
      prodCluster((c) => {
        delete c.network.controlPlaneCidr;
        c.controlPlane.endpoint = { mode: 'kube-vip', vip: '10.10.0.10' };
        c.controlPlane.etcd = { topology: 'stacked' };
        c.network.cni = { plugin: 'cilium', encapsulation: 'vxlan' };
      }),
      false,
    );
    expect(graph.byType(SG).map((g) => g.inputs.name)).not.toContain('kprod-prod-eu-west-1-etcd');
    expect(rules()).toEqual(
      [
        ...APISERVER_AND_KUBELET,
        'control-plane <- tcp:6443 from 10.10.0.0/20',
        'control-plane <- tcp:2379-2380 from control-plane',
        ...MONITORING,
        // Stacked etcd metrics through the proxy; cilium agent metrics.
        'control-plane <- tcp:12381 from worker',
        'control-plane <- tcp:9962 from worker',
        'worker <- tcp:9962 from worker',
        ...nodePairs('udp:8472'),
        ...nodePairs('tcp:4240'),
      ].sort(),
    );
  });

  it('calico vxlan uses UDP 4789 and no BGP or IP-in-IP', async () => {
    await build(prodCluster((c) => (c.network.cni = { plugin: 'calico', encapsulation: 'vxlan' })));
    const cni = rules().filter((r) => !/:(6443|8443|10250|2379|2380|2381|9100|20257|10357|10359)\b|<- 112/.test(r));
    expect(cni).toEqual([...nodePairs('udp:4789'), ...nodePairs('tcp:5473')].sort());
  });
});

describe('endpoint VIP', () => {
  it('reserves endpoint.vip on a port of the control-plane subnet, in the control-plane group', async () => {
    await build(prodCluster());
    const [port] = graph.byType('openstack:networking/port:Port').filter((p) => p.inputs.name === 'kprod-prod-eu-west-1-vip');
    expect(port.inputs.fixedIps).toEqual([{ subnetId: graph.one('openstack:networking/subnet:Subnet', 'eu-west-1-net-control-plane-subnet').id, ipAddress: '10.10.16.10' }]);
    expect(port.inputs.securityGroupIds).toEqual([graph.one(SG, 'eu-west-1-sg-control-plane').id]);
  });

  it('loadbalancer mode: no VIP port and no Octavia resources (CAPO owns the load balancer)', async () => {
    await build(prodCluster((c) => (c.controlPlane.endpoint = { mode: 'loadbalancer', dnsNames: ['api.example.com'] })));
    expect(graph.byType('openstack:networking/port:Port').filter((p) => String(p.inputs.name).endsWith('-vip'))).toEqual([]);
    expect(graph.resources.filter((r) => r.type.startsWith('openstack:loadbalancer/'))).toEqual([]);
  });
});

describe('network', () => {
  it('creates the subnet on nodeCidr with the spec DNS servers, and no router without an external network or a second subnet', async () => {
    await build(prodCluster((c) => {
      delete c.network.controlPlaneCidr;
      c.controlPlane.endpoint = { mode: 'kube-vip', vip: '10.10.0.10' };
    }));
    const subnet = graph.one('openstack:networking/subnet:Subnet', 'eu-west-1-net-subnet');
    expect(subnet.inputs).toMatchObject({ name: 'kprod-prod-eu-west-1-nodes', cidr: '10.10.0.0/20', dnsNameservers: ['10.10.0.2'] });
    expect(graph.byType('openstack:networking/subnet:Subnet')).toHaveLength(1);
    expect(graph.byType('openstack:networking/router:Router')).toEqual([]);
    const vip = graph.byType('openstack:networking/port:Port').find((p) => p.inputs.name === 'kprod-prod-eu-west-1-vip')!;
    expect(vip.inputs.fixedIps[0].subnetId).toBe(subnet.id);
  });

  it('control-plane subnet: its allocation pool is exactly the pinned range, on the same network, routed to the node subnet', async () => {
    await build(prodCluster());
    const nodes = graph.one('openstack:networking/subnet:Subnet', 'eu-west-1-net-subnet');
    const cp = graph.one('openstack:networking/subnet:Subnet', 'eu-west-1-net-control-plane-subnet');
    // VIP 10.10.16.10, 3 replicas + 1 rolling-update surge machine: 10.10.16.11-14 and nothing else.
    expect(cp.inputs).toMatchObject({
      name: 'kprod-prod-eu-west-1-control-plane',
      cidr: '10.10.16.0/27',
      networkId: nodes.inputs.networkId,
      enableDhcp: true,
      allocationPools: [{ start: '10.10.16.11', end: '10.10.16.14' }],
    });
    // The node subnet keeps Neutron's default pool: the control-plane block is a separate CIDR.
    expect(nodes.inputs.allocationPools).toBeUndefined();
    const [router] = graph.byType('openstack:networking/router:Router');
    expect(router.inputs.externalNetworkId).toBeUndefined();
    const interfaces = graph.byType('openstack:networking/routerInterface:RouterInterface');
    expect(interfaces.map((i) => i.inputs.subnetId).sort()).toEqual([nodes.id, cp.id].sort());
    for (const i of interfaces) expect(i.inputs.routerId).toBe(router.id);
    // More replicas pin more addresses.
    await build(prodCluster((c) => (c.controlPlane.replicas = 5)));
    expect(graph.one('openstack:networking/subnet:Subnet', 'eu-west-1-net-control-plane-subnet').inputs.allocationPools).toEqual([{ start: '10.10.16.11', end: '10.10.16.16' }]);
  });

  it('an external network gets the same router, with both subnets', async () => {
    await build(prodCluster((c) => (c.infrastructure.externalNetworkId = 'ext-net')));
    expect(graph.byType('openstack:networking/router:Router').map((r) => r.inputs.externalNetworkId)).toEqual(['ext-net']);
    expect(graph.byType('openstack:networking/routerInterface:RouterInterface')).toHaveLength(2);
  });
});

describe('server groups', () => {
  it('soft anti-affinity for control planes, anti-affinity for etcd and events etcd', async () => {
    await build(prodCluster());
    const policies = Object.fromEntries(graph.byType('openstack:compute/serverGroup:ServerGroup').map((g) => [g.inputs.name, g.inputs.policies]));
    expect(policies).toEqual({
      'kprod-prod-eu-west-1-control-plane': ['soft-anti-affinity'],
      'kprod-prod-eu-west-1-etcd': ['anti-affinity'],
      'kprod-prod-eu-west-1-etcd-events': ['anti-affinity'],
    });
  });
});

describe('external etcd VMs', () => {
  beforeAll(() => build(prodCluster()));

  it('one VM per member (main and events), each with its fixed-IP port, server group and zone', () => {
    const vms = graph.byType('openstack:compute/instance:Instance');
    expect(vms.map((v) => v.inputs.name).sort()).toEqual(
      ['etcd-0', 'etcd-1', 'etcd-2', 'etcd-events-0', 'etcd-events-1', 'etcd-events-2'].map((m) => `kprod-prod-eu-west-1-${m}`),
    );
    const sgEtcd = graph.one(SG, 'eu-west-1-sg-etcd').id;
    const groups = Object.fromEntries(graph.byType('openstack:compute/serverGroup:ServerGroup').map((g) => [g.inputs.name, g.id]));
    const expectIp: Record<string, string> = { 'etcd-0': '10.10.1.10', 'etcd-1': '10.10.1.11', 'etcd-2': '10.10.1.12', 'etcd-events-0': '10.10.1.20', 'etcd-events-1': '10.10.1.21', 'etcd-events-2': '10.10.1.22' };
    for (const [member, ip] of Object.entries(expectIp)) {
      const vm = vms.find((v) => v.inputs.name === `kprod-prod-eu-west-1-${member}`)!;
      const port = graph.byType('openstack:networking/port:Port').find((p) => p.id === vm.inputs.networks[0].port)!;
      expect(port.inputs.fixedIps[0].ipAddress).toBe(ip);
      expect(port.inputs.securityGroupIds).toEqual([sgEtcd]);
      const group = member.startsWith('etcd-events') ? 'kprod-prod-eu-west-1-etcd-events' : 'kprod-prod-eu-west-1-etcd';
      expect(vm.inputs.schedulerHints).toEqual([expect.objectContaining({ group: groups[group] })]);
      expect(vm.inputs).toMatchObject({ flavorName: 'm1.large', imageName: 'ubuntu-2404-kube-v1.33.4', keyPair: 'platform' });
    }
    expect(vms.map((v) => v.inputs.availabilityZone).sort()).toEqual(['az1', 'az1', 'az2', 'az2', 'az3', 'az3']);
  });

  it('every VM has an SSD data volume attached', () => {
    const vms = graph.byType('openstack:compute/instance:Instance');
    const volumes = graph.byType('openstack:blockstorage/volume:Volume');
    const attaches = graph.byType('openstack:compute/volumeAttach:VolumeAttach');
    expect(volumes).toHaveLength(6);
    for (const v of volumes) expect(v.inputs).toMatchObject({ size: 100, volumeType: 'ssd' });
    expect(attaches.map((a) => a.inputs.instanceId).sort()).toEqual(vms.map((v) => v.id).sort());
    expect(attaches.map((a) => a.inputs.volumeId).sort()).toEqual(volumes.map((v) => v.id).sort());
    for (const vm of vms) {
      const attach = attaches.find((a) => a.inputs.instanceId === vm.id)!;
      const volume = volumes.find((v) => v.id === attach.inputs.volumeId)!;
      expect(volume.inputs.availabilityZone).toBe(vm.inputs.availabilityZone);
    }
  });

  it('user data is the member cloud-config with its etcd config and no private key', () => {
    const vm = graph.byType('openstack:compute/instance:Instance').find((v) => v.inputs.name === 'kprod-prod-eu-west-1-etcd-1')!;
    const userData: string = vm.inputs.userData;
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    expect(userData).toContain('/etc/etcd/etcd.conf.yml');
    expect(userData).toMatch(/name: etcd-1/);
    expect(userData).toContain('etcd-0=https://10.10.1.10:2380');
    expect(userData).not.toContain('PRIVATE KEY');
    const events = graph.byType('openstack:compute/instance:Instance').find((v) => v.inputs.name === 'kprod-prod-eu-west-1-etcd-events-0')!;
    expect(events.inputs.userData).toContain('etcd-events-1=https://10.10.1.21:2380');
    expect(events.inputs.userData).not.toContain('10.10.1.10');
  });

  it('copies the member certificates over SSH after the volume is attached, as secret stdin', () => {
    const copy = graph.one('command:remote:Command', 'eu-west-1-etcd-etcd-2-certs');
    expect(copy.inputs.connection).toMatchObject({ host: '10.10.1.12', user: 'ubuntu' });
    expect(copy.secretInputs.has('stdin')).toBe(true);
    expect(copy.secretInputs.has('connection')).toBe(false);
    expect(copy.inputs.stdin).toContain('/etc/etcd/pki/peer.key');
    expect(copy.inputs.stdin).toContain('eu-west-1-etcd-pki-server-etcd-2-cert');
    expect(copy.dependsOn.has('eu-west-1-etcd-etcd-2-data-attach')).toBe(true);
    // the volume came after boot: the step makes sure /var/lib/etcd is mounted before etcd gets its certificates
    const stdin: string = copy.inputs.stdin;
    expect(stdin.indexOf('mountpoint -q /var/lib/etcd')).toBeGreaterThan(-1);
    expect(stdin.indexOf('mountpoint -q /var/lib/etcd')).toBeLessThan(stdin.indexOf('/etc/etcd/pki/ca.crt'));
  });
});
