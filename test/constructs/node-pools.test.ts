import { parse } from 'yaml';
import { synthFleet } from '../../constructs/fleet';
import { clusterAutoscalerImage } from '../../constructs/health/cluster-autoscaler';
import { NPD_CONDITIONS } from '../../constructs/health/machine-health-check';
import { autoscaledIgnoreDifferences } from '../../constructs/node-pools/argocd-ignore';
import { NodePools } from '../../constructs/node-pools/node-pools';
import { splitEvenly } from '../../constructs/node-pools/placement';
import { parseFleet, SpecError } from '../../lib/spec';
import { checkFiles, formatReport } from '../../lib/check';
import { exampleFleet } from '../helpers/fleet';

const capability = [(ctx: any) => new NodePools(ctx.managementChart, 'node-pools', { ctx })];

function synth(input: unknown = exampleFleet()) {
  const out = synthFleet(parseFleet(input).spec, capability);
  const objects = [...out.files.entries()].filter(([f]) => f.endsWith('.yaml')).map(([file, text]) => ({ file, obj: parse(text) }));
  return { out, objects };
}
const ofKind = (objects: { obj: any }[], kind: string, ns = 'prod-eu-west-1') =>
  objects.map((o) => o.obj).filter((o) => o.kind === kind && o.metadata.namespace === ns);
const byName = (list: any[], name: string) => list.find((o) => o.metadata.name === name);

describe('splitEvenly', () => {
  it('splits deterministically, the first domains taking the remainder', () => {
    expect(splitEvenly(7, 3)).toEqual([3, 2, 2]);
    expect(splitEvenly(2, 3)).toEqual([1, 1, 0]);
    expect(splitEvenly(0, 2)).toEqual([0, 0]);
    expect(splitEvenly(9, 3)).toEqual([3, 3, 3]);
  });
});

describe('NodePools MachineDeployments', () => {
  const { objects } = synth();
  const mds = ofKind(objects, 'MachineDeployment');

  it('makes one MachineDeployment per pool and failure domain, in the cluster namespace', () => {
    expect(mds.map((m) => m.metadata.name).sort()).toEqual(
      ['general', 'search', 'gpu'].flatMap((p) => ['az1', 'az2', 'az3'].map((fd) => `eu-west-1-${p}-${fd}`)).sort(),
    );
    for (const md of mds) {
      expect(md.apiVersion).toBe('cluster.x-k8s.io/v1beta2');
      expect(md.spec.clusterName).toBe('eu-west-1');
      expect(md.spec.template.spec.failureDomain).toBe(md.metadata.name.split('-').pop());
      expect(md.spec.template.spec.version).toBe('v1.36.2');
      expect(md.spec.selector.matchLabels).toEqual(expect.objectContaining({ 'cluster.x-k8s.io/deployment-name': md.metadata.name }));
      // the selector must select the template's machines
      expect(md.spec.template.metadata.labels).toEqual(expect.objectContaining(md.spec.selector.matchLabels));
      expect(md.spec.template.spec.deletion).toEqual({ nodeDrainTimeoutSeconds: 600, nodeVolumeDetachTimeoutSeconds: 300, nodeDeletionTimeoutSeconds: 300 });
      expect(md.spec.rollout.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    }
  });

  it('splits fixed replicas over the failure domains (gpu 2 over 3: 1,1,0; search 3: 1,1,1)', () => {
    expect(['az1', 'az2', 'az3'].map((fd) => byName(mds, `eu-west-1-gpu-${fd}`).spec.replicas)).toEqual([1, 1, 0]);
    expect(['az1', 'az2', 'az3'].map((fd) => byName(mds, `eu-west-1-search-${fd}`).spec.replicas)).toEqual([1, 1, 1]);
    const staging = ofKind(objects, 'MachineDeployment', 'staging-dc1');
    // 4 replicas over rack-a/b/c: 2,1,1
    expect(['rack-a', 'rack-b', 'rack-c'].map((fd) => byName(staging, `dc1-general-${fd}`).spec.replicas)).toEqual([2, 1, 1]);
  });

  it('gives autoscaled pools min/max annotations split per domain and no replicas field', () => {
    // general: min 3 max 30 over 3 AZs → 1..10 each
    for (const fd of ['az1', 'az2', 'az3']) {
      const md = byName(mds, `eu-west-1-general-${fd}`);
      expect(md.spec.replicas).toBeUndefined();
      expect(md.metadata.annotations['cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size']).toBe('1');
      expect(md.metadata.annotations['cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size']).toBe('10');
      expect(md.metadata.annotations['capacity.cluster-autoscaler.kubernetes.io/cpu']).toBe('8');
      expect(md.metadata.annotations['capacity.cluster-autoscaler.kubernetes.io/memory']).toBe('32Gi');
    }
    expect(byName(mds, 'eu-west-1-search-az1').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' }); // no autoscaler annotations on a fixed-size pool
  });

  it('renders the pool rollout and deletion settings in v1beta2 form', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[1].rollout = { maxSurge: '25%', maxUnavailable: 1 };
    input.environments[0].clusters[0].nodePools[1].deletion = { nodeDrainTimeoutSeconds: 1800, nodeDeletionTimeoutSeconds: 0 };
    const md = byName(ofKind(synth(input).objects, 'MachineDeployment'), 'eu-west-1-search-az2');
    expect(md.spec.rollout).toEqual({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } });
    // unset fields keep kprod's defaults
    expect(md.spec.template.spec.deletion).toEqual({ nodeDrainTimeoutSeconds: 1800, nodeVolumeDetachTimeoutSeconds: 300, nodeDeletionTimeoutSeconds: 0 });
  });

  it('rejects a rollout that could never proceed and malformed rollout values, with paths', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].rollout = { maxSurge: 0, maxUnavailable: '0%' };
    input.environments[0].clusters[0].nodePools[1].rollout = { maxUnavailable: '150%' };
    input.environments[0].clusters[0].nodePools[2].rollout = { maxSurge: 'one' };
    // All three pools are reported at once, each at its own field.
    expect(() => parseFleet(input)).toThrow(SpecError);
    const paths = (() => {
      try {
        parseFleet(input);
      } catch (e) {
        return (e as SpecError).issues.map((i) => i.path);
      }
      return [];
    })();
    expect(paths).toEqual(
      expect.arrayContaining([
        'environments[0].clusters[0].nodePools[0].rollout.maxUnavailable',
        'environments[0].clusters[0].nodePools[1].rollout.maxUnavailable',
        'environments[0].clusters[0].nodePools[2].rollout.maxSurge',
      ]),
    );
    const zero = exampleFleet();
    zero.environments[0].clusters[0].nodePools[0].rollout = { maxSurge: 0, maxUnavailable: '0%' };
    zero.environments[0].clusters[0].nodePools[1].rollout = { maxUnavailable: '150%' };
    expect(() => parseFleet(zero)).toThrow(/nodePools\[0\]\.rollout\.maxUnavailable: maxSurge and maxUnavailable cannot both be 0/);
    expect(() => parseFleet(zero)).toThrow(/nodePools\[1\]\.rollout\.maxUnavailable: a percentage must be between 0% and 100% \(got "150%"\)/);
  });

  it('leaves out failure domains whose share of max is zero', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].autoscaling = { min: 0, max: 2 };
    const names = ofKind(synth(input).objects, 'MachineDeployment').map((m) => m.metadata.name).filter((n) => n.includes('general'));
    expect(names.sort()).toEqual(['eu-west-1-general-az1', 'eu-west-1-general-az2']);
  });

  it('honours pool failure domains', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[1].failureDomains = ['az2'];
    const search = ofKind(synth(input).objects, 'MachineDeployment').filter((m) => m.metadata.name.includes('search'));
    expect(search.map((m) => [m.metadata.name, m.spec.replicas, m.spec.template.spec.failureDomain])).toEqual([['eu-west-1-search-az2', 3, 'az2']]);
  });

  it('references the pool templates that exist', () => {
    const kcts = ofKind(objects, 'KubeadmConfigTemplate');
    const infra = ofKind(objects, 'OpenStackMachineTemplate');
    // The flavor of each pool's SKU in the example fleet.
    const FLAVOR: Record<string, string> = { general: 'm1.xlarge', search: 'r1.4xlarge', gpu: 'g1.a100x4' };
    expect(mds).toHaveLength(9);
    for (const md of mds) {
      const { bootstrap, infrastructureRef } = md.spec.template.spec;
      expect(bootstrap.configRef.apiGroup).toBe('bootstrap.cluster.x-k8s.io');
      expect(byName(kcts, bootstrap.configRef.name)).toEqual(expect.objectContaining({ kind: 'KubeadmConfigTemplate', apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2' }));
      expect(infrastructureRef).toEqual(expect.objectContaining({ apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate' }));
      const pool = md.metadata.name.split('-').slice(-2, -1)[0];
      expect(byName(infra, infrastructureRef.name)?.spec.template.spec.flavor).toBe(FLAVOR[pool]);
    }
  });

  it('renames the bootstrap template when its content changes, and only then', () => {
    const name = (input: unknown) => byName(ofKind(synth(input).objects, 'MachineDeployment'), 'eu-west-1-search-az1').spec.template.spec.bootstrap.configRef.name;
    const before = name(exampleFleet());
    expect(name(exampleFleet())).toBe(before);
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[1].kubelet = { maxPods: 64 };
    expect(name(input)).not.toBe(before);
    expect(name(input)).toMatch(/^eu-west-1-search-[0-9a-f]{8}$/);
  });
});

describe('NodePools KubeadmConfigTemplates', () => {
  const { objects } = synth();
  const kct = (pool: string) => ofKind(objects, 'KubeadmConfigTemplate').find((k) => k.metadata.labels['kprod.io/pool'] === pool).spec.template.spec;

  it('carries the kubelet patch and host settings, and points kubeadm at the patches', () => {
    const spec = kct('search');
    expect(spec.files.map((f: any) => f.path)).toEqual([
      '/etc/kubernetes/patches/kubeletconfiguration0+strategic.yaml',
      '/etc/modules-load.d/kprod.conf',
      '/etc/sysctl.d/90-kprod.conf',
      '/etc/containerd/conf.d/90-kprod-cgroup.toml',
      '/etc/systemd/journald.conf.d/90-kprod.conf',
    ]);
    expect(parse(spec.files[0].content).kind).toBe('KubeletConfiguration');
    expect(spec.files[2].content).toContain('vm.max_map_count = 262144');
    expect(spec.joinConfiguration.patches).toEqual({ directory: '/etc/kubernetes/patches' });
    expect(spec.preKubeadmCommands).toContain('sysctl --system');
  });

  it('registers labels through the kubelet and taints at join; GPU and tenant taints by default', () => {
    const gpu = kct('gpu').joinConfiguration.nodeRegistration;
    expect(gpu.taints).toEqual([
      { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
      { key: 'kprod.io/tenant', value: 'ml', effect: 'NoSchedule' },
    ]);
    const labels = gpu.kubeletExtraArgs.find((a: any) => a.name === 'node-labels').value.split(',');
    expect(labels).toEqual(expect.arrayContaining(['kprod.io/pool=gpu', 'kprod.io/tenant=ml', 'cluster-api/accelerator=nvidia']));
    // kubernetes.io labels would make the kubelet refuse to start: they go on the Machines instead
    expect(labels.some((l: string) => l.includes('kubernetes.io'))).toBe(false);
    expect(gpu.kubeletExtraArgs).toEqual(expect.arrayContaining([{ name: 'cloud-provider', value: 'external' }]));
    const md = ofKind(objects, 'MachineDeployment').find((m) => m.metadata.name === 'eu-west-1-gpu-az1');
    expect(md.spec.template.metadata.labels).toEqual(
      expect.objectContaining({ 'node-restriction.kubernetes.io/kprod-tenant': 'ml', 'node-role.kubernetes.io/worker': '' }),
    );
    const search = kct('search').joinConfiguration.nodeRegistration;
    expect(search.taints).toBeUndefined();
    expect(search.kubeletExtraArgs.find((a: any) => a.name === 'node-labels').value).toBe('kprod.io/pool=search,workload.acme.io/class=search');
  });

  it('keeps a GPU pool’s own taints instead of the default', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[2].taints = [{ key: 'gpu', value: 'a100', effect: 'NoExecute' }];
    const spec = ofKind(synth(input).objects, 'KubeadmConfigTemplate').find((k) => k.metadata.labels['kprod.io/pool'] === 'gpu').spec.template.spec;
    expect(spec.joinConfiguration.nodeRegistration.taints).toEqual([
      { key: 'gpu', value: 'a100', effect: 'NoExecute' },
      { key: 'kprod.io/tenant', value: 'ml', effect: 'NoSchedule' },
    ]);
  });

  it('rejects labels neither the kubelet nor Cluster API may set, with the path', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].labels = { 'kubernetes.io/role': 'x' };
    expect(() => parseFleet(input)).toThrow(/nodePools\[0\]\.labels\.kubernetes\.io\/role: NodeRestriction/);
  });

  it('rejects zone and region labels on a pool: kprod and the cloud controller own them', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].labels = { 'topology.kubernetes.io/zone': 'x' };
    expect(() => parseFleet(input)).toThrow(/nodePools\[0\]\.labels\.topology\.kubernetes\.io\/zone: is set from the pool's failure domains/);
  });
});

describe('MachineHealthChecks', () => {
  const { objects } = synth();
  const mhcs = ofKind(objects, 'MachineHealthCheck');

  it('checks every pool and the control plane', () => {
    expect(mhcs.map((m) => m.metadata.name).sort()).toEqual(['eu-west-1-control-plane', 'eu-west-1-general', 'eu-west-1-gpu', 'eu-west-1-search']);
    expect(byName(mhcs, 'eu-west-1-general').spec.selector.matchLabels).toEqual({ 'cluster.x-k8s.io/cluster-name': 'eu-west-1', 'kprod.io/pool': 'general' });
    expect(byName(mhcs, 'eu-west-1-control-plane').spec.selector.matchLabels).toEqual({ 'cluster.x-k8s.io/cluster-name': 'eu-west-1', 'cluster.x-k8s.io/control-plane': '' });
  });

  it('remediates on NotReady/Unknown and the node-problem-detector conditions, within limits', () => {
    const general = byName(mhcs, 'eu-west-1-general').spec;
    const conditions = general.checks.unhealthyNodeConditions.map((c: any) => `${c.type}=${c.status}`);
    expect(conditions).toEqual([
      'Ready=False',
      'Ready=Unknown',
      'KernelDeadlock=True',
      'ReadonlyFilesystem=True',
      'KubeletUnhealthy=True',
      'ContainerRuntimeUnhealthy=True',
      'FrequentKubeletRestart=True',
      'FrequentContainerdRestart=True',
    ]);
    expect(general.remediation.triggerIf.unhealthyLessThanOrEqualTo).toBe('40%');
    expect(general.checks.nodeStartupTimeoutSeconds).toBe(1200);
    expect(byName(mhcs, 'eu-west-1-control-plane').spec.remediation.triggerIf.unhealthyLessThanOrEqualTo).toBe(1);
    // bare metal boots slowly
    expect(ofKind(objects, 'MachineHealthCheck', 'staging-dc1')[0].spec.checks.nodeStartupTimeoutSeconds).toBe(3600);
  });

  it('checks only conditions kprod\'s node-problem-detector monitors can set', () => {
    const npd = require('../../lib/render/npd');
    const monitors = [npd.kernelMonitor(), npd.containerdMonitor(), npd.systemdMonitor(), npd.restartCounterMonitor(), npd.healthCheckerMonitor()];
    const reported = new Set(monitors.flatMap((m: any) => m.conditions.map((c: any) => c.type)));
    for (const c of NPD_CONDITIONS) expect({ type: c.type, reported: reported.has(c.type) }).toEqual({ type: c.type, reported: true });
  });

  it('drops the NPD conditions when node-problem-detector is disabled', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].addons.nodeProblemDetector = { enabled: false };
    const general = byName(ofKind(synth(input).objects, 'MachineHealthCheck'), 'eu-west-1-general').spec;
    expect(general.checks.unhealthyNodeConditions.map((c: any) => c.type)).toEqual(['Ready', 'Ready']);
  });
});

describe('MachineHealthChecks: spec settings and Metal3 remediation', () => {
  it('renders the pool healthCheck settings in v1beta2 form', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[1].healthCheck = { unhealthyInRange: '[1-2]', nodeStartupTimeoutSeconds: 900 };
    input.environments[0].clusters[0].nodePools[0].healthCheck = { unhealthyLessThanOrEqualTo: 3 };
    const mhcs = ofKind(synth(input).objects, 'MachineHealthCheck');
    const search = byName(mhcs, 'eu-west-1-search').spec;
    expect(search.remediation).toEqual({ triggerIf: { unhealthyInRange: '[1-2]' } });
    expect(search.checks.nodeStartupTimeoutSeconds).toBe(900);
    expect(byName(mhcs, 'eu-west-1-general').spec.remediation).toEqual({ triggerIf: { unhealthyLessThanOrEqualTo: 3 } });
  });

  it('gives OpenStack machines no external remediation (the MachineSet replaces them)', () => {
    const { objects } = synth();
    for (const mhc of ofKind(objects, 'MachineHealthCheck')) expect(mhc.spec.remediation.templateRef).toBeUndefined();
    expect(ofKind(objects, 'Metal3RemediationTemplate')).toEqual([]);
  });

  it('reboots bare-metal machines first: a Metal3RemediationTemplate per pool and for the control plane', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].nodePools[0].healthCheck = { reboot: { retryLimit: 2, timeoutSeconds: 300 } };
    const { objects } = synth(input);
    const templates = ofKind(objects, 'Metal3RemediationTemplate', 'staging-dc1');
    expect(templates.map((t) => t.metadata.name).sort()).toEqual(['dc1-control-plane', 'dc1-general']);
    for (const t of templates) expect(t.apiVersion).toBe('infrastructure.cluster.x-k8s.io/v1beta2');
    expect(byName(templates, 'dc1-general').spec).toEqual({ template: { spec: { strategy: { type: 'Reboot', retryLimit: 2, timeoutSeconds: 300 } } } });
    // defaults: one reboot, 600 s
    expect(byName(templates, 'dc1-control-plane').spec.template.spec.strategy).toEqual({ type: 'Reboot', retryLimit: 1, timeoutSeconds: 600 });
    const mhcs = ofKind(objects, 'MachineHealthCheck', 'staging-dc1');
    for (const name of ['dc1-general', 'dc1-control-plane'])
      expect(byName(mhcs, name).spec.remediation.templateRef).toEqual({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2', kind: 'Metal3RemediationTemplate', name });
    // the partition guard stays in place next to the template
    expect(byName(mhcs, 'dc1-general').spec.remediation.triggerIf).toEqual({ unhealthyLessThanOrEqualTo: '40%' });
    expect(byName(mhcs, 'dc1-control-plane').spec.remediation.triggerIf).toEqual({ unhealthyLessThanOrEqualTo: 1 });
  });

  it('rejects bad healthCheck settings with their paths', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].healthCheck = { unhealthyInRange: '[3-1]', unhealthyLessThanOrEqualTo: '140%' };
    input.environments[1].clusters[0].nodePools[0].healthCheck = { reboot: { timeoutSeconds: 30 } };
    let message = '';
    try {
      parseFleet(input);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/nodePools\[0\]\.healthCheck\.reboot\.timeoutSeconds/);
    const input2 = exampleFleet();
    input2.environments[0].clusters[0].nodePools[0].healthCheck = { unhealthyInRange: '[3-1]', unhealthyLessThanOrEqualTo: '140%' };
    expect(() => parseFleet(input2)).toThrow(/nodePools\[0\]\.healthCheck\.unhealthyInRange: the lower bound must not exceed the upper one/);
    expect(() => parseFleet(input2)).toThrow(/nodePools\[0\]\.healthCheck\.unhealthyLessThanOrEqualTo: a percentage must be between 0% and 100% \(got "140%"\)/);
  });
});

describe('ClusterAutoscaler', () => {
  const { objects } = synth();

  it('runs in the cluster namespace when a pool autoscales, with the Cluster API provider', () => {
    const deploy = ofKind(objects, 'Deployment')[0];
    expect(deploy.metadata.name).toBe('cluster-autoscaler');
    const container = deploy.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1');
    expect(container.args).toEqual(
      expect.arrayContaining([
        '--cloud-provider=clusterapi',
        '--node-group-auto-discovery=clusterapi:namespace=prod-eu-west-1,clusterName=eu-west-1',
        '--kubeconfig=/etc/kubernetes/workload/value',
        '--clusterapi-cloud-config-authoritative',
      ]),
    );
    expect(deploy.spec.template.spec.volumes[0].secret.secretName).toBe('eu-west-1-kubeconfig');
    const role = ofKind(objects, 'Role')[0];
    expect(role.rules[0].resources).toEqual(expect.arrayContaining(['machinedeployments', 'machinedeployments/scale', 'machines', 'machinesets']));
    expect(ofKind(objects, 'RoleBinding')[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'cluster-autoscaler', namespace: 'prod-eu-west-1' }]);
    // staging has no autoscaled pool
    expect(ofKind(objects, 'Deployment', 'staging-dc1')).toEqual([]);
  });

  it('follows addons.clusterAutoscaler.enabled', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].addons = { clusterAutoscaler: { enabled: true } };
    input.environments[0].clusters[0].addons.clusterAutoscaler = { enabled: false };
    const { objects: o } = synth(input);
    expect(ofKind(o, 'Deployment', 'staging-dc1')[0].spec.template.spec.containers[0].image).toMatch(/cluster-autoscaler:v1\.35\./);
    expect(ofKind(o, 'Role', 'staging-dc1')[0].rules[1].resources).toEqual(['metal3machinetemplates']);
    expect(ofKind(o, 'Deployment')).toEqual([]);
  });

  it('scales down at 50% utilization after 10 minutes unneeded, choosing by least waste, by default', () => {
    const args: string[] = ofKind(objects, 'Deployment')[0].spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining(['--expander=least-waste', '--scale-down-utilization-threshold=0.5', '--scale-down-unneeded-time=10m']));
  });

  it('takes expander, thresholds and image from addons.clusterAutoscaler', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].addons.clusterAutoscaler = {
      expander: 'most-pods',
      scaleDownUtilizationThreshold: 0.65,
      scaleDownUnneededTime: '15m',
      image: 'registry.example.com/cluster-autoscaler:v1.33.5-patched',
    };
    const container = ofKind(synth(input).objects, 'Deployment')[0].spec.template.spec.containers[0];
    expect(container.args).toEqual(expect.arrayContaining(['--expander=most-pods', '--scale-down-utilization-threshold=0.65', '--scale-down-unneeded-time=15m']));
    expect(container.args.filter((a: string) => a.startsWith('--expander='))).toHaveLength(1);
    expect(container.image).toBe('registry.example.com/cluster-autoscaler:v1.33.5-patched');
  });

  it('rejects an unknown expander, a threshold outside (0, 1] and the price expander, with paths', () => {
    const bad = exampleFleet();
    bad.environments[0].clusters[0].addons.clusterAutoscaler = { expander: 'cheapest', scaleDownUtilizationThreshold: 1.5 };
    expect(() => parseFleet(bad)).toThrow(/addons\.clusterAutoscaler\.expander/);
    expect(() => parseFleet(bad)).toThrow(/addons\.clusterAutoscaler\.scaleDownUtilizationThreshold/);
    const price = exampleFleet();
    price.environments[0].clusters[0].addons.clusterAutoscaler = { expander: 'price' };
    expect(() => parseFleet(price)).toThrow(/addons\.clusterAutoscaler\.expander: the Cluster API provider has no pricing model/);
  });

  it('describes a GPU pool for scale from zero: CPU, memory, GPUs, max pods, labels and taints', () => {
    const input = exampleFleet();
    const gpu = input.environments[0].clusters[0].nodePools[2];
    delete gpu.replicas;
    gpu.autoscaling = { min: 0, max: 3 };
    gpu.kubelet = { maxPods: 64 };
    const md = byName(ofKind(synth(input).objects, 'MachineDeployment'), 'eu-west-1-gpu-az1');
    const a = md.metadata.annotations;
    expect(md.spec.replicas).toBeUndefined();
    expect(a['cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size']).toBe('0');
    expect(a['cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size']).toBe('1');
    // SKU gpu-a100x4: 48 CPU, 384Gi, 1Ti disk, 4 NVIDIA GPUs
    expect(a['capacity.cluster-autoscaler.kubernetes.io/cpu']).toBe('48');
    expect(a['capacity.cluster-autoscaler.kubernetes.io/memory']).toBe('384Gi');
    expect(a['capacity.cluster-autoscaler.kubernetes.io/ephemeral-disk']).toBe('1Ti');
    expect(a['capacity.cluster-autoscaler.kubernetes.io/gpu-type']).toBe('nvidia.com/gpu');
    expect(a['capacity.cluster-autoscaler.kubernetes.io/gpu-count']).toBe('4');
    expect(a['capacity.cluster-autoscaler.kubernetes.io/maxPods']).toBe('64');
    expect(a['capacity.cluster-autoscaler.kubernetes.io/labels'].split(',')).toEqual(
      expect.arrayContaining(['cluster-api/accelerator=nvidia', 'kprod.io/pool=gpu', 'kprod.io/tenant=ml', 'node-restriction.kubernetes.io/kprod-tenant=ml']),
    );
    expect(a['capacity.cluster-autoscaler.kubernetes.io/taints']).toBe('nvidia.com/gpu=present:NoSchedule,kprod.io/tenant=ml:NoSchedule');
  });

  it('names the autoscaled MachineDeployments whose replicas Argo CD must ignore', () => {
    const fleet = parseFleet(exampleFleet()).spec;
    const [prod, staging] = [fleet.environments[0].clusters[0], fleet.environments[1].clusters[0]];
    expect(autoscaledIgnoreDifferences(prod)).toEqual(
      ['az1', 'az2', 'az3'].map((fd) => ({
        group: 'cluster.x-k8s.io',
        kind: 'MachineDeployment',
        name: `eu-west-1-general-${fd}`,
        namespace: 'prod-eu-west-1',
        jsonPointers: ['/spec/replicas'],
      })),
    );
    // every name is a MachineDeployment that is synthesized, and it has no replicas field
    const mds = ofKind(objects, 'MachineDeployment');
    for (const entry of autoscaledIgnoreDifferences(prod)) expect(byName(mds, entry.name!).spec.replicas).toBeUndefined();
    expect(autoscaledIgnoreDifferences(staging)).toEqual([]);
  });

  it('pins an image per minor and refuses an unknown minor', () => {
    expect(clusterAutoscalerImage('v1.35.9')).toBe('registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2');
    expect(() => clusterAutoscalerImage('1.29.0')).toThrow('no cluster-autoscaler release pinned for Kubernetes 1.29.0');
  });
});

describe('summary and conformance', () => {
  it('adds the allocatable table to the synth summary', () => {
    const { out } = synth();
    expect(out.summary).toEqual(expect.arrayContaining(['prod/eu-west-1:', '  node allocatable (capacity → allocatable):']));
    expect(out.summary.some((l) => /^\s+general\s+general-8x32\s+8 → 7\.91/.test(l))).toBe(true);
  });

  /** The example with every pool setting kprod renders away from its defaults. */
  function variant() {
    const input = exampleFleet();
    const [general, search, gpu] = input.environments[0].clusters[0].nodePools;
    general.healthCheck = { unhealthyInRange: '[1-4]', nodeStartupTimeoutSeconds: 900 };
    general.rollout = { maxSurge: '25%', maxUnavailable: '10%' };
    search.deletion = { nodeDrainTimeoutSeconds: 0, nodeVolumeDetachTimeoutSeconds: 0, nodeDeletionTimeoutSeconds: 0 };
    delete gpu.replicas;
    gpu.autoscaling = { min: 0, max: 3 };
    input.environments[1].clusters[0].nodePools[0].healthCheck = { unhealthyLessThanOrEqualTo: 2, reboot: { retryLimit: 3, timeoutSeconds: 100 } };
    return input;
  }

  it.each([['example', exampleFleet], ['variant', variant]])('passes kprod check: schemas, CEL and webhook rules (%s)', (_name, input) => {
    const files = synth(input()).out.files;
    const report = checkFiles(files);
    expect(formatReport(report).slice(0, -1)).toEqual([]);
    // every manifest was checked (plus the documents embedded in them)
    expect(report.objects).toBeGreaterThan([...files.keys()].filter((f) => f.endsWith('.yaml')).length);
  });
});
