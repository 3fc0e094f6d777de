import { parse } from 'yaml';
import { clusterConfiguration, controlPlaneConfigFiles, controllerManagerArgs } from '../../../lib/render/kubeadm';
import { schedulerConfiguration, schedulerConfigurationProblems, SCHEDULER_CONFIG_PATH } from '../../../lib/render/scheduler-config';
import { parseFleet, SpecError } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';

const clustersOf = (input: unknown) => parseFleet(input).spec.environments.flatMap((e) => e.clusters);
const argsOf = (list: Array<{ name: string; value: string }>) => Object.fromEntries(list.map((a) => [a.name, a.value]));

/** The example fleet with the general pool able to grow to `max` nodes. */
function sized(max: number) {
  const input = exampleFleet();
  input.environments[0].clusters[0].nodePools[0].autoscaling = { min: 3, max };
  // A large cluster needs a larger control-plane machine than the example's catalogue offers.
  input.skus['cp-32x128'] = { cpu: 32, memory: '128Gi', flavor: 'm1.8xlarge', hostClass: 'control-plane' };
  return input;
}

describe('KubeSchedulerConfiguration', () => {
  const [prod, staging] = clustersOf(exampleFleet());

  it('spreads across zones and hosts by default in both example clusters, with a strict opt-in profile', () => {
    for (const cluster of [prod, staging]) {
      const config = schedulerConfiguration(cluster);
      expect(config.profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler', 'kprod-strict-spread']);
      const [soft, strict] = config.profiles.map((p) => p.pluginConfig[0].args);
      expect(soft).toEqual({
        defaultingType: 'List',
        defaultConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
          { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
        ],
      });
      expect(strict.defaultConstraints[0]).toEqual({ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' });
      expect(schedulerConfigurationProblems(config as never)).toEqual([]);
    }
  });

  it('keeps what --config would drop: kubeadm kubeconfig, profiling off, sized client limits', () => {
    const config = schedulerConfiguration(prod);
    expect(config.clientConnection).toEqual({ kubeconfig: '/etc/kubernetes/scheduler.conf', qps: 50, burst: 100 });
    expect(config.enableProfiling).toBe(false);
    expect(schedulerConfiguration(clustersOf(sized(1200))[0]).clientConnection).toMatchObject({ qps: 200, burst: 400 });
    const input = exampleFleet();
    input.environments[0].clusters[0].controlPlane.scheduler = { extraArgs: { 'kube-api-qps': 75, 'kube-api-burst': 150 } };
    expect(schedulerConfiguration(clustersOf(input)[0]).clientConnection).toMatchObject({ qps: 75, burst: 150 });
  });

  it('reaches the hosts: a KubeadmControlPlane file, --config and a read-only mount', () => {
    const file = controlPlaneConfigFiles(prod).find((f) => f.path === SCHEDULER_CONFIG_PATH)!;
    expect(parse((file as { content: string }).content)).toEqual(JSON.parse(JSON.stringify(schedulerConfiguration(prod))));
    const scheduler = clusterConfiguration(prod).scheduler as any;
    expect(argsOf(scheduler.extraArgs).config).toBe(SCHEDULER_CONFIG_PATH);
    expect(scheduler.extraVolumes).toEqual([{ name: 'scheduler-config', hostPath: '/etc/kubernetes/scheduler', mountPath: '/etc/kubernetes/scheduler', readOnly: true, pathType: 'DirectoryOrCreate' }]);
  });

  it('the check refuses what kube-scheduler refuses (strict decoding, List defaults with a selector)', () => {
    const doc = JSON.parse(JSON.stringify(schedulerConfiguration(prod)));
    doc.profiles[0].pluginConfig[0].args.defaultConstraints[0].labelSelector = { matchLabels: { a: 'b' } };
    doc.profiles[1].pluginConfig[0].args.defaultConstraints[1].maxSkew = 0;
    doc.clientConnection.qpss = 1;
    expect(schedulerConfigurationProblems(doc)).toEqual([
      'clientConnection.qpss: unknown field',
      'profiles[0].pluginConfig[0].args.defaultConstraints[0].labelSelector: default constraints must not have one',
      'profiles[1].pluginConfig[0].args.defaultConstraints[1].maxSkew: must be an integer ≥ 1',
    ]);
  });

  it('takes maxSkew and the strict profile from controlPlane.scheduler.defaultSpread, and names bad values', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].controlPlane.scheduler = { defaultSpread: { maxSkew: 2, strictProfile: false } };
    const config = schedulerConfiguration(clustersOf(input)[1]);
    expect(config.profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler']);
    expect(config.profiles[0].pluginConfig[0].args.defaultConstraints.map((c) => c.maxSkew)).toEqual([2, 2]);
    const bad = exampleFleet();
    bad.environments[1].clusters[0].controlPlane.scheduler = { defaultSpread: { maxSkew: 0 } };
    expect(() => parseFleet(bad)).toThrow(SpecError);
    try {
      parseFleet(bad);
    } catch (e) {
      expect((e as SpecError).issues.map((i) => i.path)).toContain('environments[1].clusters[0].controlPlane.scheduler.defaultSpread.maxSkew');
    }
  });
});

describe('congestion settings sized from the cluster', () => {
  it('keeps upstream client defaults for the example (≤ 100 nodes) and raises them for large clusters', () => {
    const small = argsOf(controllerManagerArgs(clustersOf(exampleFleet())[0]) as never);
    expect(small).toMatchObject({ 'kube-api-qps': '20', 'kube-api-burst': '30', 'node-monitor-grace-period': '40s', 'large-cluster-size-threshold': '50', 'unhealthy-zone-threshold': '0.55' });
    const medium = argsOf(controllerManagerArgs(clustersOf(sized(300))[0]) as never);
    expect(medium).toMatchObject({ 'kube-api-qps': '50', 'kube-api-burst': '100' });
    const large = argsOf(controllerManagerArgs(clustersOf(sized(1200))[0]) as never);
    expect(large).toMatchObject({ 'kube-api-qps': '100', 'kube-api-burst': '200', 'node-monitor-grace-period': '60s', 'large-cluster-size-threshold': '100' });
  });

  it('lets extraArgs override every sized flag, and sizes the apiserver in-flight limits', () => {
    const input = sized(1200);
    input.environments[0].clusters[0].controlPlane.controllerManager = { extraArgs: { 'kube-api-qps': 300, 'node-monitor-grace-period': '90s' } };
    input.environments[0].clusters[0].controlPlane.apiServer = { extraArgs: { 'max-requests-inflight': 3000 } };
    const cfg = clusterConfiguration(clustersOf(input)[0]) as any;
    expect(argsOf(cfg.controllerManager.extraArgs)).toMatchObject({ 'kube-api-qps': '300', 'kube-api-burst': '200', 'node-monitor-grace-period': '90s' });
    expect(argsOf(cfg.apiServer.extraArgs)).toMatchObject({ 'max-requests-inflight': '3000', 'max-mutating-requests-inflight': '500' });
    expect(argsOf((clusterConfiguration(clustersOf(exampleFleet())[0]) as any).apiServer.extraArgs)).toMatchObject({ 'max-requests-inflight': '400', 'max-mutating-requests-inflight': '200' });
  });
});
