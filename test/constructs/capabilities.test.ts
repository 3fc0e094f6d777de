import { ApiObject, JsonPatch } from 'cdk8s';
import { parse } from 'yaml';
import { z } from 'zod';
import { CAPABILITIES, synthFleet, type Capability } from '../../constructs/fleet';
import { capabilitySetKey, parseOptionsOf, resolveCapabilities, type CapabilitySelection } from '../../constructs/capabilities/selection';
import { parseFleet, SpecError } from '../../lib/spec';
import { ingressRules } from '../../stacks/openstack/security-rules';
import { exampleFleet } from '../helpers/fleet';

/** Validates with the set's extension schemas, then synthesizes: what synth() does, in memory. */
function build(input: unknown, selection: CapabilitySelection = {}) {
  const set = resolveCapabilities(selection);
  const { spec } = parseFleet(input, parseOptionsOf(set));
  const out = synthFleet(spec, set);
  const objects = [...out.files.entries()].filter(([f]) => f.endsWith('.yaml') && !f.includes('/kubeconfigs/')).map(([file, text]) => ({ file, obj: parse(text) }));
  return { out, objects, spec };
}

const errorsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpecError) return e.issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected a SpecError');
};

const issuerCapability: Capability<{ email: string; replicas: number }> = {
  id: 'team-issuer',
  settings: z.strictObject({ email: z.email({ message: 'must be an e-mail address' }), replicas: z.number().int().min(1).default(2) }),
  build(ctx, settings) {
    if (!settings) return;
    const chart = ctx.addonChart('team-issuer');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'team-issuer', namespace: 'default' }, data: { email: settings.email, replicas: String(settings.replicas) } });
  },
};

describe('capabilities as named units', () => {
  it('the default set is frozen and every capability has a unique id', () => {
    expect(Object.isFrozen(CAPABILITIES)).toBe(true);
    expect(() => (CAPABILITIES as Capability[]).push({ id: 'x', build: () => undefined })).toThrow(TypeError);
    const ids = CAPABILITIES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['cni', 'logging', 'cluster', 'control-plane', 'tenancy']));
  });

  it('adds, replaces in place and removes by id; unknown removals and duplicate additions are errors', () => {
    const mine: Capability = { id: 'logging', build: () => undefined };
    const set = resolveCapabilities({ add: [mine, issuerCapability], remove: ['etcd-defrag'] });
    const ids = set.map((c) => c.id);
    expect(set[ids.indexOf('logging')]).toBe(mine);
    // Built-in order kept (the replacement in logging's place), etcd-defrag gone, the new one last.
    expect(ids).toEqual([...CAPABILITIES.map((c) => c.id).filter((id) => id !== 'etcd-defrag'), 'team-issuer']);
    expect(() => resolveCapabilities({ remove: ['nope'] })).toThrow(/cannot remove capability "nope": not in the set/);
    expect(() => resolveCapabilities({ add: [issuerCapability, issuerCapability] })).toThrow(/"team-issuer" is added twice/);
    expect(() => resolveCapabilities({ add: [{ id: 'Bad Id', build: () => undefined }] })).toThrow(/DNS-1123 label/);
  });

  it('requires: a required capability must be in the set and build first; removing it is an error', () => {
    const issuer: Capability = { id: 'issuer', requires: ['logging'], build: () => undefined };
    expect(resolveCapabilities({ add: [issuer] }).map((c) => c.id)).toContain('issuer');
    expect(() => resolveCapabilities({ add: [issuer], remove: ['logging'] })).toThrow('capability "issuer" requires "logging", which is not in the capability set');
    const early: Capability = { id: 'early', requires: ['late'], build: () => undefined };
    expect(() => resolveCapabilities({ add: [early, { id: 'late', build: () => undefined }] })).toThrow('capability "early" requires "late", which builds after it; add it before');
  });

  it('capabilitySetKey is stable for the same set and changes when the set changes', () => {
    expect(capabilitySetKey(resolveCapabilities())).toBe(capabilitySetKey(CAPABILITIES));
    const keys = [
      capabilitySetKey(CAPABILITIES),
      capabilitySetKey(resolveCapabilities({ remove: ['logging'] })),
      capabilitySetKey(resolveCapabilities({ add: [issuerCapability] })),
      capabilitySetKey(resolveCapabilities({ add: [{ ...issuerCapability, version: '2' }] })),
      // Cache keys hash the spec as given, so another default of a setting is another set.
      capabilitySetKey(resolveCapabilities({ add: [{ ...issuerCapability, settings: z.strictObject({ email: z.email(), replicas: z.number().int().min(1).default(3) }) }] })),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('extension settings', () => {
  it('validates extensions.<id> with the capability schema, with the core spec paths, all at once', () => {
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].extensions = { 'team-issuer': { email: 'not-an-address', colour: 'red' } };
    fleet.environments[0].clusters[0].controlPlane.replicas = 4;
    const errors = errorsOf(() => parseFleet(fleet, parseOptionsOf(resolveCapabilities({ add: [issuerCapability] }))));
    expect(errors).toContain('environments[0].clusters[0].extensions.team-issuer.email: must be an e-mail address');
    expect(errors).toContainEqual(expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.extensions\.team-issuer\.colour: unknown field/));
    expect(errors).toContainEqual(expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.controlPlane\.replicas: /));
  });

  it('unknown extension ids and settings for a capability without a schema are errors', () => {
    const fleet = exampleFleet();
    fleet.environments[1].clusters[0].extensions = { 'cert-manger': {}, logging: { x: 1 } };
    const errors = errorsOf(() => parseFleet(fleet, parseOptionsOf(CAPABILITIES)));
    expect(errors).toContainEqual(expect.stringMatching(/^environments\[1\]\.clusters\[0\]\.extensions\.cert-manger: no capability "cert-manger" in the capability set/));
    expect(errors).toContain('environments[1].clusters[0].extensions.logging: capability "logging" takes no settings');
    // Without a capability set every extension id is unknown.
    expect(errorsOf(() => parseFleet(fleet))).toHaveLength(2);
  });

  it('passes the parsed settings (defaults filled in) to build, only for clusters that have them', () => {
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].extensions = { 'team-issuer': { email: 'ops@example.com' } };
    const { objects } = build(fleet, { add: [issuerCapability] });
    const cms = objects.filter((o) => o.obj.kind === 'ConfigMap' && o.obj.metadata.name === 'team-issuer');
    expect(cms.map((o) => o.file)).toEqual(['prod/eu-west-1/addons/team-issuer/configmap_default_team-issuer.yaml']);
    expect(cms[0].obj.data).toEqual({ email: 'ops@example.com', replicas: '2' });
    expect(objects.some((o) => o.obj.kind === 'Application' && o.obj.metadata.name === 'eu-west-1-addon-team-issuer')).toBe(true);
  });
});

describe('folders are claimed', () => {
  const intruder = (extendsIds?: string[]): Capability => ({
    id: 'my-logging',
    extends: extendsIds,
    build: (ctx) => void new ApiObject(ctx.addonChart('logging'), 'extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: 'logging' } }),
  });
  const withLogging = () => {
    const fleet = exampleFleet();
    expect(fleet.environments[0].clusters[0].addons.logging).toBeDefined();
    return fleet;
  };

  it('a custom capability asking for the built-in logging folder fails naming both', () => {
    expect(() => build(withLogging(), { add: [intruder()] })).toThrow(/capability "my-logging" asks for the add-on folder "logging", which capability "logging" owns; .*extends: \["logging"\]/);
  });

  it('declaring extends lets it add to the folder', () => {
    const { objects } = build(withLogging(), { add: [intruder(['logging'])] });
    expect(objects.map((o) => o.file)).toContain('prod/eu-west-1/addons/logging/configmap_logging_extra.yaml');
  });
});

describe('handles and the JSON-patch escape hatch', () => {
  it('ctx.find reaches Helm Applications and objects of other capabilities; addJsonPatch changes the output', () => {
    const seen: string[] = [];
    const patcher: Capability = {
      id: 'patcher',
      build(ctx) {
        const cni = ctx.find('Application', `${ctx.cluster.name}-cni`, 'argocd');
        const ms = ctx.find('Deployment', 'metrics-server', 'kube-system');
        seen.push(`${cni?.kind}/${ms?.kind}`);
        cni!.metadata.addLabel('team', 'network');
        ms!.addJsonPatch(JsonPatch.replace('/spec/replicas', 5));
        expect(ctx.find('Deployment', 'no-such-thing')).toBeUndefined();
      },
    };
    const { objects } = build(exampleFleet(), { add: [patcher] });
    expect(seen).toEqual(['Application/Deployment', 'Application/Deployment']);
    const cni = objects.find((o) => o.file === 'prod/argocd/application_argocd_eu-west-1-cni.yaml')!.obj;
    expect(cni.metadata.labels.team).toBe('network');
    const ms = objects.find((o) => o.file === 'staging/dc1/addons/metrics-server/deployment_kube-system_metrics-server.yaml')!.obj;
    expect(ms.spec.replicas).toBe(5);
  });

  it('spec patches apply RFC 6902 operations to the named object', () => {
    const fleet = exampleFleet();
    fleet.environments[1].clusters[0].patches = [
      { target: { kind: 'Deployment', name: 'metrics-server', namespace: 'kube-system' }, patch: [{ op: 'replace', path: '/spec/replicas', value: 4 }, { op: 'remove', path: '/spec/template/spec/priorityClassName' }] },
    ];
    const { objects } = build(fleet);
    const ms = objects.find((o) => o.file === 'staging/dc1/addons/metrics-server/deployment_kube-system_metrics-server.yaml')!.obj;
    expect(ms.spec.replicas).toBe(4);
    expect(ms.spec.template.spec.priorityClassName).toBeUndefined();
    const prod = objects.find((o) => o.file === 'prod/eu-west-1/addons/metrics-server/deployment_kube-system_metrics-server.yaml')!.obj;
    expect(prod.spec.replicas).toBe(2);
  });

  it('a patch whose target does not exist is an error with its path; a bad operation is a schema error', () => {
    const fleet = exampleFleet();
    fleet.environments[1].clusters[0].patches = [{ target: { kind: 'Deployment', name: 'metrics-servr' }, patch: [{ op: 'remove', path: '/spec/replicas' }] }];
    expect(errorsOf(() => build(fleet))).toEqual(['environments[1].clusters[0].patches[0].target: no rendered object is a Deployment named "metrics-servr"']);
    fleet.environments[1].clusters[0].patches = [{ target: { kind: 'Deployment', name: 'x' }, patch: [{ op: 'replace', path: 'spec/replicas', value: 1 }] }];
    expect(errorsOf(() => parseFleet(fleet))).toEqual([expect.stringMatching(/^environments\[1\]\.clusters\[0\]\.patches\[0\]\.patch\[0\]\.path: must be a JSON pointer/)]);
  });
});

describe('replaceable pieces: CNI by capability', () => {
  const flannel: Capability = {
    id: 'flannel',
    build: (ctx) => void ctx.addApplication({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: `${ctx.cluster.name}-flannel`, namespace: 'argocd' }, spec: {} }),
  };
  const noneCni = () => {
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].network.cni = { plugin: 'none', provider: 'flannel', rules: [{ protocol: 'udp', ports: [8472, 8472], description: 'flannel VXLAN' }] };
    return fleet;
  };

  it('plugin none: no built-in CNI Application, the provider capability brings its own, the summary names it', () => {
    const { objects, out } = build(noneCni(), { add: [flannel] });
    const apps = objects.filter((o) => o.file.startsWith('prod/argocd/')).map((o) => o.obj.metadata.name);
    expect(apps).toContain('eu-west-1-flannel');
    expect(apps).not.toContain('eu-west-1-cni');
    expect(out.summary).toContain('  platform: none (provided by capability flannel), openstack-cloud-controller-manager, kubelet-csr-approver');
  });

  it('plugin none: the security groups open exactly the ports the spec declares for the CNI', () => {
    const { spec } = build(noneCni(), { add: [flannel] });
    const cniRules = ingressRules(spec.environments[0].clusters[0]).filter((r) => /flannel|calico|cilium/.test(r.description));
    expect(cniRules).toHaveLength(4); // control plane and workers, each from both
    expect(new Set(cniRules.map((r) => `${r.protocol} ${r.ports?.join('-')}`))).toEqual(new Set(['udp 8472-8472']));
  });

  it('plugin none needs a provider in the capability set; provider and rules are for none only', () => {
    const fleet = noneCni();
    expect(errorsOf(() => parseFleet(fleet, parseOptionsOf(CAPABILITIES)))).toEqual([
      expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.network\.cni\.provider: no capability "flannel" in the capability set/),
    ]);
    fleet.environments[0].clusters[0].network.cni = { plugin: 'none', rules: [{ protocol: 'tcp', description: 'x' }] };
    fleet.environments[1].clusters[0].network.cni = { plugin: 'cilium', encapsulation: 'vxlan', provider: 'flannel' };
    expect(errorsOf(() => parseFleet(fleet))).toEqual(
      expect.arrayContaining([
        'environments[0].clusters[0].network.cni.provider: plugin "none" needs the id of the capability that installs the CNI',
        'environments[0].clusters[0].network.cni.rules[0].ports: tcp needs ports [first, last]',
        'environments[1].clusters[0].network.cni.provider: applies to plugin "none" only (plugin is "cilium")',
      ]),
    );
  });

  it("a CNI capability's declared ports must be listed in network.cni.rules (the security groups read the spec)", () => {
    const declaring: Capability = { ...flannel, cniRules: [{ protocol: 'udp', ports: [8472, 8472], description: 'flannel VXLAN' }, { protocol: 'tcp', ports: [9099, 9099], description: 'flannel health' }] };
    const errors = errorsOf(() => parseFleet(noneCni(), parseOptionsOf(resolveCapabilities({ add: [declaring] }))));
    expect(errors).toEqual(['environments[0].clusters[0].network.cni.rules: capability "flannel" needs tcp 9099-9099 (flannel health) open between nodes; list it so the security groups open it']);
    const fleet = noneCni();
    fleet.environments[0].clusters[0].network.cni.rules.push({ protocol: 'tcp', ports: [9099, 9099], description: 'flannel health' });
    expect(() => parseFleet(fleet, parseOptionsOf(resolveCapabilities({ add: [declaring] })))).not.toThrow();
  });

  it('replacing the built-in cni capability by id swaps the CNI Application', () => {
    const mine: Capability = { ...flannel, id: 'cni' };
    const { objects } = build(exampleFleet(), { add: [mine] });
    const apps = objects.filter((o) => o.file.startsWith('prod/argocd/')).map((o) => o.obj.metadata.name);
    expect(apps).toContain('eu-west-1-flannel');
    expect(apps).not.toContain('eu-west-1-cni');
  });

  it('removing the built-in logging capability by id removes the logging folder and its Application', () => {
    const { objects } = build(exampleFleet(), { remove: ['logging'] });
    expect(objects.some((o) => o.file.includes('/addons/logging/'))).toBe(false);
    expect(objects.some((o) => o.obj.metadata?.name === 'eu-west-1-addon-logging')).toBe(false);
    expect(objects.some((o) => o.file.includes('/addons/metrics-server/'))).toBe(true);
  });
});

describe('spec errors found while building cross worker threads', () => {
  it('a missing patch target rejects synthAsync on 2 threads with a SpecError naming the patch', async () => {
    const { synthAsync } = await import('../../constructs/synth');
    const fleet = exampleFleet();
    fleet.environments[1].clusters[0].patches = [{ target: { kind: 'ConfigMap', name: 'nope', namespace: 'kube-system' }, patch: [{ op: 'remove', path: '/data' }] }];
    const out = `${require('node:os').tmpdir()}/kprod-extend-${process.pid}-never-written`;
    const run = synthAsync(fleet, { outDir: out, workers: 2 });
    await expect(run).rejects.toBeInstanceOf(SpecError);
    await expect(run).rejects.toThrow(/environments\[1\]\.clusters\[0\]\.patches\[0\]\.target: no rendered object is a ConfigMap named "nope" in namespace kube-system/);
    expect(require('node:fs').existsSync(out)).toBe(false);
  });
});
