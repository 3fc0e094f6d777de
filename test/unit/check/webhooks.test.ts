import { clusterResourceSet, cluster, machineDeployment, machineHealthCheck } from '../../../lib/check/webhooks/cluster-api';
import { KCP_ALLOWED_PATHS, kubeadmControlPlane, mergePatchPaths } from '../../../lib/check/webhooks/kubeadm';
import { openStackCluster, openStackClusterUpdate } from '../../../lib/check/webhooks/capo';
import { ipPool } from '../../../lib/check/webhooks/ipam';
import { metal3Cluster, metal3MachineTemplate, metal3RemediationTemplate } from '../../../lib/check/webhooks/metal3';
import { formatPath } from '../../../lib/check/paths';
import type { WebhookRule } from '../../../lib/check/webhooks';

const run = (rule: WebhookRule, obj: object, old?: object) => rule(obj as never, old as never).map((e) => `${formatPath(e.segs)}: ${e.message}`);

const md = (spec: object = {}) => ({
  metadata: { name: 'pool-a' },
  spec: { clusterName: 'c1', template: { spec: { clusterName: 'c1', bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: 't' } } } }, ...spec },
});

describe('Cluster API webhook rules', () => {
  it('Cluster: needs a ref or a topology, valid CIDRs, refs that stay', () => {
    expect(run(cluster, { metadata: { name: 'c1' }, spec: {} })).toEqual(['spec: one of spec.controlPlaneRef, spec.infrastructureRef or spec.topology must be set']);
    expect(run(cluster, { metadata: { name: 'c1' }, spec: { infrastructureRef: { name: 'x' }, clusterNetwork: { pods: { cidrBlocks: ['10.0.0.0/33', '10.1.0.0/16'] } } } })).toEqual([
      'spec.clusterNetwork.pods.cidrBlocks[0]: invalid CIDR address: 10.0.0.0/33',
    ]);
    const withRefs = { metadata: { name: 'c1' }, spec: { infrastructureRef: { name: 'x' }, controlPlaneRef: { name: 'y' } } };
    expect(run(cluster, { metadata: { name: 'c1' }, spec: { infrastructureRef: { name: 'x' } } }, withRefs)).toEqual(['spec.controlPlaneRef: cannot be removed']);
  });

  it('MachineDeployment: defaults the selector, then refuses a mismatch of clusterName and both rollout bounds at 0', () => {
    expect(run(machineDeployment, md())).toEqual([]);
    expect(run(machineDeployment, md({ rollout: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } } }))).toEqual([
      'spec.rollout.strategy.rollingUpdate: maxUnavailable and maxSurge cannot both be 0',
    ]);
    const other = md();
    other.spec.template.spec.clusterName = 'c2';
    expect(run(machineDeployment, other)).toEqual(['spec.clusterName: spec.clusterName and spec.template.spec.clusterName must be set to the same value']);
    expect(run(machineDeployment, md({ clusterName: 'c1' }), { spec: { clusterName: 'c0' } })).toEqual(['spec.clusterName: field is immutable']);
    const tainted = md();
    (tainted.spec.template.spec as any).taints = [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }];
    expect(run(machineDeployment, tainted)).toEqual([
      'spec.template.spec.taints: taints are not allowed to be set when the feature gate MachineTaintPropagation is disabled',
      'spec.template.spec.taints[0].key: taint key must not have the prefix node.kubernetes.io/, except for node.kubernetes.io/out-of-service',
    ]);
    expect(run(machineDeployment, md({ rollout: { strategy: { rollingUpdate: { maxSurge: '25 percent' } } } }))).toEqual([
      'spec.rollout.strategy.rollingUpdate.maxSurge: must be either an int or a percentage',
    ]);
  });

  it('MachineHealthCheck: a non-empty selector of its own cluster, a startup timeout of 0 or at least 30 s', () => {
    const mhc = (spec: object) => ({ metadata: { name: 'h' }, spec: { clusterName: 'c1', selector: { matchLabels: { pool: 'a' } }, ...spec } });
    expect(run(machineHealthCheck, mhc({ checks: { nodeStartupTimeoutSeconds: 0 } }))).toEqual([]);
    expect(run(machineHealthCheck, mhc({ checks: { nodeStartupTimeoutSeconds: 20 } }))).toEqual(['spec.checks.nodeStartupTimeoutSeconds: must be at least 30s']);
    expect(run(machineHealthCheck, mhc({ selector: {} }))).toEqual(['spec.selector: selector must not be empty']);
    expect(run(machineHealthCheck, mhc({ selector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'c9' } } }))).toEqual([
      'spec.selector: cannot specify a cluster selector other than the one specified by ClusterName',
    ]);
  });

  it('ClusterResourceSet: the selector and the strategy (ApplyOnce when unset) are immutable', () => {
    const crs = (spec: object) => ({ spec: { clusterSelector: { matchLabels: { a: 'b' } }, ...spec } });
    expect(run(clusterResourceSet, crs({}), crs({ strategy: 'ApplyOnce' }))).toEqual([]);
    expect(run(clusterResourceSet, crs({ strategy: 'Reconcile' }), crs({}))).toEqual(['spec.strategy: field is immutable']);
    expect(run(clusterResourceSet, crs({ clusterSelector: { matchLabels: { a: 'c' } } }), crs({}))).toEqual(['spec.clusterSelector: field is immutable']);
  });

  it('KubeadmControlPlane: duplicate file paths, unequal health-check timeouts, external ↔ local etcd on update', () => {
    const kcp = (kcs: object, extra: object = {}) => ({
      metadata: { name: 'cp' },
      spec: { replicas: 3, version: 'v1.34.1', machineTemplate: { spec: { infrastructureRef: { apiGroup: 'g', kind: 'K', name: 'n' } } }, kubeadmConfigSpec: kcs, ...extra },
    });
    expect(run(kubeadmControlPlane, kcp({ files: [{ path: '/a', content: 'x' }, { path: '/a', content: 'y' }] }))).toEqual(['spec.kubeadmConfigSpec.files[1].path: path property must be unique among all files']);
    expect(run(kubeadmControlPlane, kcp({ initConfiguration: { timeouts: { controlPlaneComponentHealthCheckSeconds: 60 } } }))).toEqual([
      'spec.kubeadmConfigSpec.initConfiguration.timeouts.controlPlaneComponentHealthCheckSeconds: controlPlaneComponentHealthCheckSeconds must be set to the same value both in initConfiguration.timeouts (60) and in joinConfiguration.timeouts (unset)',
    ]);
    const external = kcp({ clusterConfiguration: { etcd: { external: { endpoints: ['https://e:2379'] } } } });
    const local = kcp({ clusterConfiguration: { etcd: { local: { dataDir: '/var/lib/etcd' } } } });
    expect(run(kubeadmControlPlane, local, external)).toEqual(['spec.kubeadmConfigSpec.clusterConfiguration.etcd.external: cannot change between external and local etcd']);
    // as upstream: dropping clusterConfiguration as a whole is a change of a path that is not on the allowed list
    expect(run(kubeadmControlPlane, kcp({}), external)).toContain('spec.kubeadmConfigSpec.clusterConfiguration: cannot be modified');
    // replicas, version, files and rollout are on the allowed list; the machine template's infrastructure ref is too
    expect(run(kubeadmControlPlane, kcp({ files: [{ path: '/b', content: 'z' }] }, { replicas: 5, version: 'v1.35.0' }), kcp({}))).toEqual([]);
    expect(run(kubeadmControlPlane, kcp({ clusterConfiguration: { certificatesDir: '/x' } }), kcp({}))).toEqual(['spec.kubeadmConfigSpec.clusterConfiguration.certificatesDir: cannot be modified']);
  });

  it('mergePatchPaths: changed leaves, lists as a whole, removals', () => {
    expect(mergePatchPaths({ a: { b: 1, c: [1] }, d: 1 }, { a: { b: 2, c: [1, 2] }, e: { f: 1 } })).toEqual([['a', 'b'], ['a', 'c'], ['d'], ['e', 'f']]);
  });
});

describe('CAPO and CAPM3 webhook rules', () => {
  it('OpenStackCluster: identityRef, allowedCIDRs and bastion may change; the network may not', () => {
    const osc = (spec: object) => ({ spec: { identityRef: { name: 'cloud', cloudName: 'a' }, apiServerLoadBalancer: { enabled: true, allowedCIDRs: ['10.0.0.0/8'] }, network: { id: 'n1' }, ...spec } });
    expect(run(openStackCluster, osc({ identityRef: { name: 'other', cloudName: 'b' }, apiServerLoadBalancer: { enabled: true, allowedCIDRs: [] } }), osc({}))).toEqual([]);
    expect(run(openStackCluster, osc({ network: { id: 'n2' } }), osc({}))).toEqual(['spec: cannot be modified']);
  });

  it('OpenStackCluster update: the immutable fields it changes, by name; security groups and the load balancer only as the webhook allows', () => {
    const base = { identityRef: { name: 'a' }, network: { filter: { name: 'n' } }, controlPlaneAvailabilityZones: ['az1'], managedSecurityGroups: { allowAllInClusterTraffic: false } };
    const changes = (next: object, old: object = base) => openStackClusterUpdate(old as never, next as never).immutableChanges;
    expect(changes({ ...base, identityRef: { name: 'b' }, controlPlaneAvailabilityZones: ['az1', 'az2'] })).toEqual([]);
    expect(changes({ ...base, network: { filter: { name: 'other' } }, apiServerPort: 6443 })).toEqual(['apiServerPort', 'network']);
    // Rules may appear with a new managedSecurityGroups, but the block cannot go: upstream blanks its fields only when the new object has one.
    expect(changes({ ...base, managedSecurityGroups: { allowAllInClusterTraffic: true, allNodesSecurityGroupRules: [{ name: 'ssh' }] } }, { ...base, managedSecurityGroups: undefined })).toEqual([]);
    expect(changes({ ...base, managedSecurityGroups: undefined })).toEqual(['managedSecurityGroups']);
    // allowedCIDRs may change on a load balancer that exists on both sides only.
    expect(changes({ ...base, apiServerLoadBalancer: { allowedCIDRs: ['10.0.0.0/8'] } })).toEqual(['apiServerLoadBalancer']);
  });

  it('OpenStackCluster update: an enabled bastion cannot be dropped; managed subnets keep their count and CIDRs, their DNS servers may change', () => {
    const nets = (...subnets: object[]) => ({ spec: { identityRef: { name: 'cloud' }, managedSubnets: subnets } });
    expect(run(openStackCluster, { spec: {} }, { spec: { bastion: { enabled: false } } })).toEqual([]);
    expect(run(openStackCluster, { spec: {} }, { spec: { bastion: { spec: { flavor: 'm1' } } } })).toEqual(['spec.bastion: cannot be removed before disabling it']);
    expect(run(openStackCluster, nets({ cidr: '10.6.0.0/24', dnsNameservers: ['10.6.0.3'] }), nets({ cidr: '10.6.0.0/24', dnsNameservers: ['10.6.0.2'] }))).toEqual([]);
    expect(run(openStackCluster, nets({ cidr: '10.7.0.0/24' }), nets({ cidr: '10.6.0.0/24' }))).toEqual(['spec.managedSubnets: cannot change subnet CIDR from existing value to 10.7.0.0/24', 'spec: cannot be modified']);
    expect(run(openStackCluster, nets({ cidr: '10.6.0.0/24' }, { cidr: '10.7.0.0/24' }), nets({ cidr: '10.6.0.0/24' }))).toEqual(['spec.managedSubnets: cannot add or remove subnets', 'spec: cannot be modified']);
  });

  it('Metal3: the control-plane endpoint host, an image with a checksum, Reboot remediation', () => {
    expect(run(metal3Cluster, { spec: { controlPlaneEndpoint: { port: 6443 } } })).toEqual(['spec.controlPlaneEndpoint: is required']);
    expect(run(metal3MachineTemplate, { spec: { template: { spec: { image: { url: 'http://images/ubuntu.qcow2' } } } } })).toEqual(['spec.template.spec.image.checksum: cannot be empty']);
    expect(run(metal3MachineTemplate, { spec: { template: { spec: { customDeploy: { method: 'install_coreos' } } } } })).toEqual([]);
    expect(run(metal3RemediationTemplate, { spec: { template: { spec: { strategy: { type: 'Reprovision', timeoutSeconds: 50 } } } } })).toEqual([
      'spec.template.spec.strategy.timeoutSeconds: min duration is 100 seconds',
      'spec.template.spec.strategy.type: only supported remediation strategy is reboot',
    ]);
  });
});

describe('Metal3 IPAM webhook rules', () => {
  const pool = (spec: object) => ({ spec: { namePrefix: 'dc1', pools: [{ start: '192.168.10.10', end: '192.168.10.50', subnet: '192.168.10.0/24' }], ...spec } });

  it('IPPool: valid addresses and ranges, start ≤ end', () => {
    expect(run(ipPool, pool({ gateway: '192.168.10.1', dnsServers: ['192.168.10.2'] }))).toEqual([]);
    expect(run(ipPool, pool({ gateway: '192.168.10.300', pools: [{ start: '192.168.10.50', end: '192.168.10.10', subnet: '192.168.10.0/33' }] }))).toEqual([
      'spec.gateway: is not a valid IP address',
      'spec.pools[0].subnet: is not a valid CIDR',
      'spec.pools[0]: start address must be less than or equal to end address',
    ]);
    expect(run(ipPool, pool({ pools: [{ start: '2001:db8::10', end: '2001:db8::1' }] }))).toEqual(['spec.pools[0]: start address must be less than or equal to end address']);
  });

  it('IPPool on update: namePrefix is immutable, pre-allocations stay inside the pools', () => {
    expect(run(ipPool, pool({ preAllocations: { m1: '192.168.10.20' } }), pool({}))).toEqual([]);
    expect(run(ipPool, pool({ namePrefix: 'other', preAllocations: { m1: '192.168.10.60' } }), pool({}))).toEqual([
      'spec.namePrefix: cannot be modified',
      'spec.preAllocations: 192.168.10.60 is out of bonds of the pools given',
    ]);
  });
});

describe('facts recorded twice', () => {
  it('the KubeadmControlPlane allowed update paths equal the list kprod plan uses (upstream/day2/update-rules.json)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const facts = require('../../../upstream/day2/update-rules.json').clusterApi.kubeadmControlPlaneUpdateAllowedPaths;
    expect(KCP_ALLOWED_PATHS.map((p) => p.join('.'))).toEqual(facts);
  });
});
