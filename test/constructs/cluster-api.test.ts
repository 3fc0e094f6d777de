import { WorkloadCluster } from '../../constructs/cluster-api/cluster';
import { machineTemplate } from '../../constructs/cluster-api/machine-template';
import type { CapabilityInput } from '../../constructs/fleet';
import { exampleFleet } from '../helpers/fleet';
import { find, findTemplate, synthObjects } from '../helpers/synth';

const capabilities: CapabilityInput[] = [
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
    expect(osc.spec.apiServerFixedIP).toBe('10.10.16.10');
    expect(osc.spec.disableAPIServerFloatingIP).toBe(true);
    expect(osc.spec.apiServerLoadBalancer).toBeUndefined();
    expect(osc.spec.managedSubnets).toBeUndefined();
    expect(osc.spec.network).toEqual({ filter: { name: 'kprod-prod-eu-west-1' } });
    expect(osc.spec.identityRef).toEqual({ type: 'Secret', name: 'eu-west-1-cloud-config', cloudName: 'prod' });
  });

  it('control-plane ports may carry the VIP; worker ports may not', () => {
    const cp = findTemplate(objects, 'OpenStackMachineTemplate', 'eu-west-1-control-plane');
    expect(cp.spec.template.spec.ports[0].allowedAddressPairs).toEqual([{ ipAddress: '10.10.16.10' }]);
    expect(cp.spec.template.spec.serverGroup).toEqual({ filter: { name: 'kprod-prod-eu-west-1-control-plane' } });
    expect(cp.spec.template.spec.flavor).toBe('m1.large');
    const worker = findTemplate(objects, 'OpenStackMachineTemplate', 'eu-west-1-general');
    expect(worker.spec.template.spec.ports[0].allowedAddressPairs).toBeUndefined();
    expect(worker.spec.template.spec.serverGroup).toBeUndefined();
  });

  it('with network.controlPlaneCidr, control-plane ports ask for the control-plane subnet and workers for the node subnet', () => {
    const cp = findTemplate(objects, 'OpenStackMachineTemplate', 'eu-west-1-control-plane');
    expect(cp.spec.template.spec.ports[0].fixedIPs).toEqual([{ subnet: { filter: { name: 'kprod-prod-eu-west-1-control-plane' } } }]);
    const worker = findTemplate(objects, 'OpenStackMachineTemplate', 'eu-west-1-general');
    expect(worker.spec.template.spec.ports[0].fixedIPs).toEqual([{ subnet: { filter: { name: 'kprod-prod-eu-west-1-nodes' } } }]);
    // CAPO takes at most one IPv4 subnet here; the VIP lives on the control-plane subnet.
    expect(find(objects, 'OpenStackCluster', 'eu-west-1').spec.subnets).toEqual([{ filter: { name: 'kprod-prod-eu-west-1-nodes' } }]);
  });

  it('without network.controlPlaneCidr (kube-vip in the node network), ports name no subnet', () => {
    const fleet = exampleFleet();
    const c = fleet.environments[0].clusters[0];
    delete c.network.controlPlaneCidr;
    c.controlPlane.endpoint = { mode: 'kube-vip', vip: '10.10.0.10' };
    const objs = synthObjects(fleet, capabilities);
    expect(findTemplate(objs, 'OpenStackMachineTemplate', 'eu-west-1-control-plane').spec.template.spec.ports[0].fixedIPs).toBeUndefined();
    expect(findTemplate(objs, 'OpenStackMachineTemplate', 'eu-west-1-general').spec.template.spec.ports[0].fixedIPs).toBeUndefined();
  });

  it('Metal3 with keepalived-haproxy: an IPPool of exactly the pinned range feeds the control plane through a data template', () => {
    const pool = find(objects, 'IPPool', 'dc1-control-plane');
    expect(pool.apiVersion).toBe('ipam.metal3.io/v1alpha1');
    expect(pool.metadata.namespace).toBe('staging-dc1');
    // VIP 192.168.100.5, 3 replicas + 1 surge; gateway = first host of nodeCidr 192.168.100.0/22.
    expect(pool.spec).toEqual({
      clusterName: 'dc1',
      namePrefix: 'dc1-control-plane',
      pools: [{ start: '192.168.100.6', end: '192.168.100.9' }],
      prefix: 22,
      gateway: '192.168.100.1',
    });
    const data = findTemplate(objects, 'Metal3DataTemplate', 'dc1-control-plane');
    expect(data.apiVersion).toBe('infrastructure.cluster.x-k8s.io/v1beta2');
    expect(data.spec.clusterName).toBe('dc1');
    const poolRef = { apiGroup: 'ipam.metal3.io', kind: 'IPPool', name: 'dc1-control-plane' };
    expect(data.spec.networkData.links.ethernets).toEqual([{ type: 'phy', id: 'bond0', name: 'bond0', macAddress: { fromHostInterface: 'bond0' } }]);
    expect(data.spec.networkData.networks.ipv4).toEqual([
      { id: 'control-plane', link: 'bond0', fromPoolRef: poolRef, routes: [{ network: '0.0.0.0', prefix: 0, gateway: { fromPoolRef: poolRef } }] },
    ]);
    expect(findTemplate(objects, 'Metal3MachineTemplate', 'dc1-control-plane').spec.template.spec.dataTemplate).toEqual({ name: data.metadata.name });
    expect(findTemplate(objects, 'Metal3MachineTemplate', 'dc1-general').spec.template.spec.dataTemplate).toBeUndefined();
  });

  it('Metal3 with kube-vip: no IPPool, no data template', () => {
    const fleet = exampleFleet();
    fleet.environments[1].clusters[0].controlPlane.endpoint = { mode: 'kube-vip', vip: '192.168.100.5' };
    const objs = synthObjects(fleet, capabilities);
    expect(objs.filter((o) => o.obj.kind === 'IPPool' || o.obj.kind === 'Metal3DataTemplate')).toEqual([]);
    expect(findTemplate(objs, 'Metal3MachineTemplate', 'dc1-control-plane').spec.template.spec.dataTemplate).toBeUndefined();
  });

  it('Metal3 cluster: endpoint on the VIP, hosts chosen by class and role', () => {
    const m3c = find(objects, 'Metal3Cluster', 'dc1');
    expect(m3c.apiVersion).toBe('infrastructure.cluster.x-k8s.io/v1beta2');
    expect(m3c.spec.controlPlaneEndpoint).toEqual({ host: 'api.dc1.staging.example.com', port: 8443 });
    const tpl = findTemplate(objects, 'Metal3MachineTemplate', 'dc1-control-plane');
    expect(tpl.spec.template.spec.hostSelector.matchLabels).toEqual({ 'kprod.io/host-class': 'control-plane', 'kprod.io/role': 'control-plane' });
    expect(tpl.spec.template.spec.image.url).toMatch(/^http:\/\/images\.dc1/);
  });

  it('an Octavia endpoint is left to CAPO and closed to the internet unless public', () => {
    const fleet = exampleFleet();
    const c = fleet.environments[0].clusters[0];
    c.controlPlane.endpoint = { mode: 'loadbalancer', dnsNames: ['api.example.com'] };
    const objs = synthObjects(fleet, capabilities);
    const osc = find(objs, 'OpenStackCluster', 'eu-west-1');
    expect(osc.spec.apiServerLoadBalancer).toEqual({ enabled: true, provider: 'amphora', allowedCIDRs: ['10.10.0.0/20', '10.10.16.0/27'] });
    expect(osc.spec.apiServerFixedIP).toBeUndefined();
    expect(find(objs, 'Cluster', 'eu-west-1').spec.controlPlaneEndpoint).toBeUndefined();
    const tpl = findTemplate(objs, 'OpenStackMachineTemplate', 'eu-west-1-control-plane');
    expect(tpl.spec.template.spec.ports[0].allowedAddressPairs).toBeUndefined();
  });
});
