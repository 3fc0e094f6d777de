/**
 * The exported Pulumi components work inside a program of the user's own: a team builds only
 * the security groups of a cluster whose CNI a capability of theirs brings (plugin none).
 */
import { installMockGraph } from '../../stacks/testing/mock-graph';

const graph = installMockGraph();

import example from '../../examples/fleet';
import { parseFleet, type FleetInput } from '../../lib/spec';
import * as components from '../../stacks/components';

describe('kprod/stacks components', () => {
  it('exports the ComponentResources of the stacks', () => {
    for (const name of ['ClusterNetwork', 'ClusterSecurityGroups', 'EndpointVip', 'EtcdMembers', 'KubeadmHosts', 'ClusterPki', 'EtcdPki', 'ClusterSecrets', 'ArgoCd', 'CapiProviders'] as const)
      expect(typeof components[name]).toBe('function');
  });

  it('ClusterSecurityGroups opens the ports a custom CNI declares in the spec, and no built-in CNI port', async () => {
    const input = structuredClone(example) as any;
    input.environments[0].clusters[0].network.cni = { plugin: 'none', provider: 'flannel', rules: [{ protocol: 'udp', ports: [8472, 8472], description: 'flannel VXLAN' }] };
    const cluster = parseFleet(input as FleetInput, { extensions: { flannel: null } }).spec.environments[0].clusters[0];
    graph.reset();
    new components.ClusterSecurityGroups('sg', { cluster });
    await graph.settle();
    const rules = graph.byType('openstack:networking/secGroupRule:SecGroupRule').map((r) => r.inputs);
    const cni = rules.filter((r) => /flannel|calico|cilium/.test(String(r.description)));
    expect(cni).toHaveLength(4);
    expect(cni.every((r) => r.protocol === 'udp' && r.portRangeMin === 8472 && r.portRangeMax === 8472)).toBe(true);
    expect(rules.some((r) => r.protocol === '4' || r.portRangeMin === 179 || r.portRangeMin === 5473)).toBe(false);
  });
});
