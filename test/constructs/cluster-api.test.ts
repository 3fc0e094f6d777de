import { WorkloadCluster } from '../../constructs/cluster-api/cluster';
import { machineTemplate } from '../../constructs/cluster-api/machine-template';
import type { Capability } from '../../constructs/fleet';
import { exampleFleet } from '../helpers/fleet';
import { find, synthObjects } from '../helpers/synth';

const capabilities: Capability[] = [
  (ctx) => new WorkloadCluster(ctx.managementChart, 'cluster', { ctx }),
  (ctx) => {
    machineTemplate(ctx.managementChart, ctx, { name: `${ctx.cluster.name}-control-plane`, role: 'control-plane', sku: ctx.fleet.skus['cp-4x16'] });
    machineTemplate(ctx.managementChart, ctx, { name: `${ctx.cluster.name}-general`, role: 'worker', sku: ctx.fleet.skus['general-8x32'] });
  },
];

describe('Cluster API objects', () => {
  const objects = synthObjects(exampleFleet(), capabilities);

  it('OpenStack cluster with a keepalived VIP: fixed IP, no floating IP, no Octavia, stack-made network', () => {
    const cluster = find(objects, 'Cluster', 'eu-west-1');
    expect(cluster.apiVersion).toBe('cluster.x-k8s.io/v1beta2');
    expect(cluster.metadata.namespace).toBe('prod-eu-west-1');
    expect(cluster.spec.controlPlaneEndpoint).toEqual({ host: 'api.eu-west-1.prod.example.com', port: 8443 });
    expect(cluster.spec.clusterNetwork.pods.cidrBlocks).toEqual(['10.244.0.0/16']);
    expect(cluster.spec.controlPlaneRef).toEqual({ apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: 'eu-west-1-control-plane' });
    const osc = find(objects, 'OpenStackCluster', 'eu-west-1');
    expect(osc.spec.apiServerFixedIP).toBe('10.10.0.10');
    expect(osc.spec.disableAPIServerFloatingIP).toBe(true);
    expect(osc.spec.apiServerLoadBalancer).toBeUndefined();
    expect(osc.spec.managedSubnets).toBeUndefined();
    expect(osc.spec.network).toEqual({ filter: { name: 'kprod-prod-eu-west-1' } });
    expect(osc.spec.identityRef).toEqual({ type: 'Secret', name: 'eu-west-1-cloud-config', cloudName: 'prod' });
  });

  it('control-plane ports may carry the VIP; worker ports may not', () => {
    const cp = find(objects, 'OpenStackMachineTemplate', 'eu-west-1-control-plane');
    expect(cp.spec.template.spec.ports[0].allowedAddressPairs).toEqual([{ ipAddress: '10.10.0.10' }]);
    expect(cp.spec.template.spec.serverGroup).toEqual({ filter: { name: 'kprod-prod-eu-west-1-control-plane' } });
    expect(cp.spec.template.spec.flavor).toBe('m1.large');
    const worker = find(objects, 'OpenStackMachineTemplate', 'eu-west-1-general');
    expect(worker.spec.template.spec.ports[0].allowedAddressPairs).toBeUndefined();
    expect(worker.spec.template.spec.serverGroup).toBeUndefined();
  });

  it('Metal3 cluster: endpoint on the VIP, hosts chosen by class and role', () => {
    const m3c = find(objects, 'Metal3Cluster', 'dc1');
    expect(m3c.apiVersion).toBe('infrastructure.cluster.x-k8s.io/v1beta2');
    expect(m3c.spec.controlPlaneEndpoint).toEqual({ host: 'api.dc1.staging.example.com', port: 8443 });
    const tpl = find(objects, 'Metal3MachineTemplate', 'dc1-control-plane');
    expect(tpl.spec.template.spec.hostSelector.matchLabels).toEqual({ 'kprod.io/host-class': 'control-plane', 'kprod.io/role': 'control-plane' });
    expect(tpl.spec.template.spec.image.url).toMatch(/^http:\/\/images\.dc1/);
  });

  it('an Octavia endpoint is left to CAPO and closed to the internet unless public', () => {
    const fleet = exampleFleet();
    const c = fleet.environments[0].clusters[0];
    c.controlPlane.endpoint = { mode: 'loadbalancer', dnsNames: ['api.example.com'] };
    const objs = synthObjects(fleet, capabilities);
    const osc = find(objs, 'OpenStackCluster', 'eu-west-1');
    expect(osc.spec.apiServerLoadBalancer).toEqual({ enabled: true, provider: 'amphora', allowedCIDRs: ['10.10.0.0/20'] });
    expect(osc.spec.apiServerFixedIP).toBeUndefined();
    expect(find(objs, 'Cluster', 'eu-west-1').spec.controlPlaneEndpoint).toBeUndefined();
    const tpl = find(objs, 'OpenStackMachineTemplate', 'eu-west-1-control-plane');
    expect(tpl.spec.template.spec.ports[0].allowedAddressPairs).toBeUndefined();
  });
});
