import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { CALICO_CHART, CILIUM_CHART, CILIUM_VXLAN_PORT, calicoValues, ciliumValues, cniApplication } from '../../../lib/platform/cni';
import { cniSupported } from '../../../lib/platform/cni-rule';
import { IssueCollector, parseFleet, SpecError } from '../../../lib/spec';
import { RULES } from '../../../lib/spec/validate';
import { cniRules } from '../../../stacks/openstack/security-rules';
import { exampleFleet } from '../../helpers/fleet';
import { exampleClusters } from './example-clusters';
import type { ClusterSpec } from '../../../lib/spec';

/** The prod (OpenStack) cluster with a given CNI. */
function prodWithCni(plugin: 'calico' | 'cilium', encapsulation: 'ipip' | 'vxlan' | 'bgp', podCidr = '10.244.0.0/16') {
  return exampleClusters((f) => {
    f.environments[0].clusters[0].network.cni = { plugin, encapsulation };
    f.environments[0].clusters[0].network.podCidr = podCidr;
  });
}

const pool = (values: any) => values.installation.calicoNetwork.ipPools[0];

describe('Calico values', () => {
  it.each([
    ['ipip', 'IPIP', 'Enabled'],
    ['vxlan', 'VXLAN', 'Disabled'],
    ['bgp', 'None', 'Enabled'],
  ] as const)('maps %s to pool encapsulation %s and BGP %s', (encapsulation, expectedEncap, expectedBgp) => {
    const { prod } = prodWithCni('calico', encapsulation, '10.200.0.0/16');
    const values: any = calicoValues(prod.network);
    expect(pool(values).encapsulation).toBe(expectedEncap);
    expect(values.installation.calicoNetwork.bgp).toBe(expectedBgp);
    expect(pool(values).cidr).toBe('10.200.0.0/16');
    expect(pool(values).natOutgoing).toBe('Enabled');
    expect(values.installation.calicoNetwork.ipPools).toHaveLength(1);
  });

  it('detects node addresses inside the node network', () => {
    const { prod } = prodWithCni('calico', 'ipip');
    expect((calicoValues(prod.network) as any).installation.calicoNetwork.nodeAddressAutodetectionV4).toEqual({ cidrs: ['10.10.0.0/20'] });
  });
});

describe('Cilium values', () => {
  it('tunnels over VXLAN on the port the security groups open', () => {
    const { prod } = prodWithCni('cilium', 'vxlan');
    const values: any = ciliumValues(prod.network);
    expect(values).toMatchObject({ routingMode: 'tunnel', tunnelProtocol: 'vxlan', tunnelPort: 8472, kubeProxyReplacement: false, ipam: { mode: 'kubernetes' } });
    expect(values.ipv4NativeRoutingCIDR).toBeUndefined();
  });

  it('routes natively for bgp, without masquerading inside the pod CIDR', () => {
    const { prod } = prodWithCni('cilium', 'bgp', '10.128.0.0/14');
    const values: any = ciliumValues(prod.network);
    expect(values).toMatchObject({ routingMode: 'native', ipv4NativeRoutingCIDR: '10.128.0.0/14', autoDirectNodeRoutes: true, bgpControlPlane: { enabled: true } });
    expect(values.tunnelProtocol).toBeUndefined();
  });

  it('carves node ranges out of the pod CIDR in cluster-pool mode', () => {
    const { prod } = prodWithCni('cilium', 'vxlan', '10.128.0.0/14');
    const values: any = ciliumValues(prod.network, { ipam: 'cluster-pool', kubeProxyReplacement: true });
    expect(values.ipam).toEqual({ mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.128.0.0/14'], clusterPoolIPv4MaskSize: 24 } });
    expect(values.kubeProxyReplacement).toBe(true);
  });

  it('rejects ipip with the field path and what is allowed', () => {
    // The spec rule (cniSupported) rejects it at parse time, with the path...
    expect(() => prodWithCni('cilium', 'ipip')).toThrow(/environments\[0\]\.clusters\[0\]\.network\.cni\.encapsulation: cilium does not support ipip; allowed: vxlan, bgp/);
    // ...and the renderers refuse it too when called directly.
    const { prod, prodEnv } = prodWithCni('cilium', 'vxlan');
    const ipip = { ...prod, network: { ...prod.network, cni: { plugin: 'cilium', encapsulation: 'ipip' } } } as unknown as ClusterSpec;
    expect(() => ciliumValues(ipip.network)).toThrow(SpecError);
    expect(() => cniApplication(ipip, prodEnv)).toThrow(/clusters\.eu-west-1\.network\.cni\.encapsulation: cilium does not support ipip; use vxlan or bgp/);
  });
});

describe('CNI values agree with the OpenStack security groups', () => {
  it.each([
    ['calico', 'ipip'],
    ['calico', 'vxlan'],
    ['calico', 'bgp'],
    ['cilium', 'vxlan'],
    ['cilium', 'bgp'],
  ] as const)('%s %s', (plugin, encapsulation) => {
    const { prod } = prodWithCni(plugin, encapsulation);
    const rules = cniRules(prod);
    const opens = (protocol: string, port?: number) => rules.some((r) => r.protocol === protocol && (port === undefined || (r.ports && r.ports[0] <= port && port <= r.ports[1])));
    if (plugin === 'calico') {
      const v: any = calicoValues(prod.network);
      // BGP sessions need TCP 179 exactly when Calico runs BGP.
      expect(opens('tcp', 179)).toBe(v.installation.calicoNetwork.bgp === 'Enabled');
      expect(opens('4')).toBe(pool(v).encapsulation === 'IPIP');
      expect(opens('udp', 4789)).toBe(pool(v).encapsulation === 'VXLAN');
    } else {
      const v: any = ciliumValues(prod.network);
      if (v.routingMode === 'tunnel') expect(opens('udp', v.tunnelPort)).toBe(true);
      expect(opens('udp', CILIUM_VXLAN_PORT)).toBe(v.routingMode === 'tunnel');
      expect(opens('tcp', 179)).toBe(v.bgpControlPlane?.enabled === true);
    }
  });
});

describe('cniApplication', () => {
  it('installs the pinned Calico chart into the workload cluster before every other folder', () => {
    const { prod, prodEnv } = prodWithCni('calico', 'ipip');
    const app: any = cniApplication(prod, prodEnv);
    expect(() => new Application(app).validate()).not.toThrow();
    expect(app.metadata).toMatchObject({ name: 'eu-west-1-cni', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-5' } });
    expect(Number(app.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(-2); // tenancy-base
    // tigera-operator v3.32+ ships no CRDs: the CRD chart of the same Calico release is the first
    // source of the same Application, so its CRDs are part of the sync that creates Installation
    expect(app.spec.source).toBeUndefined();
    const [crds, operator] = app.spec.sources;
    expect(crds).toEqual({ repoURL: 'https://docs.tigera.io/calico/charts', chart: 'crd.projectcalico.org.v1', targetRevision: 'v3.32.1', helm: { releaseName: 'calico-crd.projectcalico.org.v1' } });
    expect(operator).toMatchObject({ repoURL: 'https://docs.tigera.io/calico/charts', chart: 'tigera-operator', targetRevision: CALICO_CHART.version });
    expect(operator.targetRevision).toBe(crds.targetRevision);
    expect(app.spec.destination).toEqual({ name: 'prod-eu-west-1', namespace: 'tigera-operator' });
    expect(app.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['CreateNamespace=true', 'ServerSideApply=true']));
    expect(pool(operator.helm.valuesObject).cidr).toBe('10.244.0.0/16');
  });

  it('installs Cilium into kube-system without asking Argo CD to create it', () => {
    const { staging, stagingEnv } = exampleClusters();
    const app: any = cniApplication(staging, stagingEnv);
    expect(() => new Application(app).validate()).not.toThrow();
    expect(app.spec.source).toMatchObject({ repoURL: 'https://helm.cilium.io', chart: 'cilium', targetRevision: CILIUM_CHART.version });
    expect(app.spec.destination).toEqual({ name: 'staging-dc1', namespace: 'kube-system' });
    expect(app.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
    expect(app.spec.source.helm.valuesObject.tunnelProtocol).toBe('vxlan');
  });
});

describe('cniSupported rule', () => {
  it('reports cilium with ipip at its path and accepts the example fleet', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].network.cni = { plugin: 'cilium', encapsulation: 'ipip' };
    const issues = new IssueCollector();
    cniSupported(parseFleet(exampleFleet()).spec, issues);
    expect(issues.issues).toEqual([]);
    // The rule is registered: parseFleet rejects the spec with the rule's issue at its path.
    expect(RULES).toContain(cniSupported);
    let error: unknown;
    try {
      parseFleet(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).issues).toContainEqual({
      path: 'environments[1].clusters[0].network.cni.encapsulation',
      message: 'cilium does not support ipip; allowed: vxlan, bgp',
      value: 'ipip',
      severity: 'error',
    });
  });
});
