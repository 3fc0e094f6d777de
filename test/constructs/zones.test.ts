import { synthFleet } from '../../constructs/fleet';
import { parseFleet } from '../../lib/spec';
import { kubeletMaySet } from '../../lib/spec/validate/node-pools';
import { exampleFleet } from '../helpers/fleet';
import { synthObjects } from '../helpers/synth';

const objects = synthObjects(exampleFleet());
const of = (kind: string, under: string) => objects.filter((o) => o.obj.kind === kind && o.file.startsWith(under)).map((o) => o.obj);
const args = (list: Array<{ name: string; value: string }> = []) => Object.fromEntries(list.map((a) => [a.name, a.value]));
const labelsOf = (arg: string) => Object.fromEntries(arg.split(',').map((kv) => kv.split('=') as [string, string]));

describe('failure-domain labels on every pool', () => {
  it('staging (Metal3): every MachineDeployment joins with topology.kubernetes.io/zone of its failure domain, on hosts of that domain', () => {
    const templates = new Map(of('KubeadmConfigTemplate', 'staging/dc1/').map((t) => [t.metadata.name, t]));
    const hosts = new Map(of('Metal3MachineTemplate', 'staging/dc1/').map((t) => [t.metadata.name, t]));
    const deployments = of('MachineDeployment', 'staging/dc1/');
    expect(deployments.map((d) => d.spec.template.spec.failureDomain).sort()).toEqual(['rack-a', 'rack-b', 'rack-c']);
    for (const md of deployments) {
      const fd = md.spec.template.spec.failureDomain;
      const join = templates.get(md.spec.template.spec.bootstrap.configRef.name)!.spec.template.spec.joinConfiguration.nodeRegistration;
      expect(labelsOf(args(join.kubeletExtraArgs)['node-labels'])['topology.kubernetes.io/zone']).toBe(fd);
      const selector = hosts.get(md.spec.template.spec.infrastructureRef.name)!.spec.template.spec.hostSelector.matchLabels;
      expect(selector['kprod.io/failure-domain']).toBe(fd);
    }
    // NodeRestriction lets the kubelet set it
    expect(kubeletMaySet('topology.kubernetes.io/zone')).toBe(true);
    expect(kubeletMaySet('topology.kubernetes.io/other')).toBe(false);
  });

  it('prod (OpenStack): nodes register with the external cloud provider (OCCM labels the zone from the Nova AZ), one MachineDeployment per AZ', () => {
    const deployments = of('MachineDeployment', 'prod/eu-west-1/');
    const templates = new Map(of('KubeadmConfigTemplate', 'prod/eu-west-1/').map((t) => [t.metadata.name, t]));
    for (const md of deployments) {
      expect(['az1', 'az2', 'az3']).toContain(md.spec.template.spec.failureDomain);
      const join = templates.get(md.spec.template.spec.bootstrap.configRef.name)!.spec.template.spec.joinConfiguration.nodeRegistration;
      expect(args(join.kubeletExtraArgs)['cloud-provider']).toBe('external');
      // the kubelet does not claim a zone itself: OCCM owns it
      expect(labelsOf(args(join.kubeletExtraArgs)['node-labels'])['topology.kubernetes.io/zone']).toBeUndefined();
    }
    expect(new Set(deployments.map((d) => d.metadata.labels['kprod.io/pool']))).toEqual(new Set(['general', 'search', 'gpu']));
  });

  it('states the spread per pool in the summary', () => {
    const summary = synthFleet(parseFleet(exampleFleet()).spec).summary.join('\n');
    expect(summary).toMatch(/zones: topology\.kubernetes\.io\/zone from the Nova availability zone/);
    expect(summary).toMatch(/pool general: az1 1-10, az2 1-10, az3 1-10/);
    expect(summary).toMatch(/zones: topology\.kubernetes\.io\/zone set by the kubelet from the failure domain/);
    expect(summary).toMatch(/pool general: rack-a 2, rack-b 1, rack-c 1/);
  });
});

describe('region and failure-domain names', () => {
  it('Metal3: cluster.region becomes topology.kubernetes.io/region on every worker', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].region = 'dc-east';
    const templates = synthObjects(input).filter((o) => o.obj.kind === 'KubeadmConfigTemplate' && o.file.startsWith('staging/'));
    expect(templates).toHaveLength(3);
    for (const t of templates) {
      const reg = t.obj.spec.template.spec.joinConfiguration.nodeRegistration;
      expect(labelsOf(args(reg.kubeletExtraArgs)['node-labels'])['topology.kubernetes.io/region']).toBe('dc-east');
    }
  });

  it('names a failure domain that cannot be a label value, and warns about region on OpenStack', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].failureDomains = ['rack a', 'rack-b'];
    expect(() => parseFleet(input)).toThrow(/environments\[1\]\.clusters\[0\]\.failureDomains\[0\]: must be a label value on Metal3/);
    const os = exampleFleet();
    os.environments[0].clusters[0].region = 'eu';
    expect(parseFleet(os).warnings.map((w) => w.path)).toContain('environments[0].clusters[0].region');
    const bad = exampleFleet();
    bad.environments[1].clusters[0].region = 'dc east';
    expect(() => parseFleet(bad)).toThrow(/environments\[1\]\.clusters\[0\]\.region: must be a valid label value/);
  });
});
