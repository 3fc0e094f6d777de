/**
 * kprod's KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1), carried to control-plane
 * hosts at SCHEDULER_CONFIG_PATH and read through `--config`.
 *
 * With `--config`, kube-scheduler ignores its deprecated flags (`--kubeconfig`, `--profiling`,
 * `--kube-api-qps`, `--kube-api-burst`): kubeadm's kubeconfig, profiling off and the client rate
 * limits are therefore set here; `controlPlane.scheduler.extraArgs` `kube-api-qps` / `kube-api-burst`
 * override the rate limits in this file. Leader-election flags are still honoured.
 *
 * Profiles:
 * - `default-scheduler`: PodTopologySpread defaults (`defaultingType: List`) that spread every
 *   pod of a Service, ReplicaSet or StatefulSet across zones and hosts, preferring (ScheduleAnyway);
 * - `kprod-strict-spread`: the same with DoNotSchedule on zones, for workloads that would rather
 *   stay Pending than crowd one zone (a pod opts in with `spec.schedulerName: kprod-strict-spread`).
 * Pods' own topologySpreadConstraints replace the defaults, as upstream.
 */
import { yamlText } from './yaml-text';
import { congestionSettings } from '../sizing/control-plane';
import type { ClusterSpec } from '../spec';

export const SCHEDULER_CONFIG_DIR = '/etc/kubernetes/scheduler';
export const SCHEDULER_CONFIG_PATH = `${SCHEDULER_CONFIG_DIR}/scheduler-config.yaml`;
/** The kubeconfig kubeadm writes for the scheduler. */
export const SCHEDULER_KUBECONFIG = '/etc/kubernetes/scheduler.conf';
export const STRICT_SPREAD_SCHEDULER = 'kprod-strict-spread';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

type WhenUnsatisfiable = 'ScheduleAnyway' | 'DoNotSchedule';

/** A PodTopologySpreadArgs default constraint (no selector: the scheduler derives it). */
export interface DefaultSpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly whenUnsatisfiable: WhenUnsatisfiable;
}

/** The fields of KubeSchedulerConfiguration v1 kprod sets (the upstream type has more; kube-scheduler decodes strictly). */
export interface KubeSchedulerConfiguration {
  readonly apiVersion: 'kubescheduler.config.k8s.io/v1';
  readonly kind: 'KubeSchedulerConfiguration';
  readonly clientConnection: { readonly kubeconfig: string; readonly qps: number; readonly burst: number };
  readonly enableProfiling: boolean;
  readonly enableContentionProfiling: boolean;
  readonly profiles: ReadonlyArray<{
    readonly schedulerName: string;
    readonly pluginConfig: ReadonlyArray<{ readonly name: 'PodTopologySpread'; readonly args: { readonly defaultingType: 'List' | 'System'; readonly defaultConstraints: readonly DefaultSpreadConstraint[] } }>;
  }>;
}

function constraints(maxSkew: number, zone: WhenUnsatisfiable): DefaultSpreadConstraint[] {
  return [
    { maxSkew, topologyKey: ZONE_LABEL, whenUnsatisfiable: zone },
    { maxSkew, topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: 'ScheduleAnyway' },
  ];
}

function intArg(args: Readonly<Record<string, string>>, name: string): number | undefined {
  const v = args[name];
  return v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : undefined;
}

export function schedulerConfiguration(cluster: Pick<ClusterSpec, 'nodePools' | 'controlPlane'>): KubeSchedulerConfiguration {
  const sized = congestionSettings(cluster).scheduler;
  const overrides = cluster.controlPlane.scheduler.extraArgs;
  const spread = cluster.controlPlane.scheduler.defaultSpread;
  const profile = (schedulerName: string, zone: WhenUnsatisfiable) => ({
    schedulerName,
    pluginConfig: [{ name: 'PodTopologySpread' as const, args: { defaultingType: 'List' as const, defaultConstraints: constraints(spread.maxSkew, zone) } }],
  });
  return {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    clientConnection: { kubeconfig: SCHEDULER_KUBECONFIG, qps: intArg(overrides, 'kube-api-qps') ?? sized.qps, burst: intArg(overrides, 'kube-api-burst') ?? sized.burst },
    // CIS 1.4.1: with --config the --profiling flag is ignored, so it is off here.
    enableProfiling: false,
    enableContentionProfiling: false,
    profiles: [profile('default-scheduler', 'ScheduleAnyway'), ...(spread.strictProfile ? [profile(STRICT_SPREAD_SCHEDULER, 'DoNotSchedule')] : [])],
  };
}

export function renderSchedulerConfiguration(cluster: Pick<ClusterSpec, 'nodePools' | 'controlPlane'>): string {
  return yamlText(schedulerConfiguration(cluster));
}

/**
 * Field names of the upstream v1 types kprod writes (kube-scheduler decodes strictly, so an unknown
 * field stops it): KubeSchedulerConfiguration (with component-base's inline DebuggingConfiguration),
 * ClientConnectionConfiguration, KubeSchedulerProfile, PluginConfig, PodTopologySpreadArgs,
 * TopologySpreadConstraint. Read from kubernetes/kube-scheduler config/v1 at tag v0.36.3
 * (b38e356654c4ff006c3dee156acb29b4d3eb023d, checked 2026-12-01): v1 has no healthz/metrics bind
 * addresses any more.
 */
export const SCHEDULER_CONFIG_FIELDS = {
  root: ['apiVersion', 'kind', 'parallelism', 'leaderElection', 'clientConnection', 'enableProfiling', 'enableContentionProfiling', 'percentageOfNodesToScore', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds', 'profiles', 'extenders', 'delayCacheUntilActive'],
  clientConnection: ['kubeconfig', 'acceptContentTypes', 'contentType', 'qps', 'burst'],
  profile: ['schedulerName', 'percentageOfNodesToScore', 'plugins', 'pluginConfig'],
  pluginConfig: ['name', 'args'],
  podTopologySpreadArgs: ['apiVersion', 'kind', 'defaultConstraints', 'defaultingType'],
  constraint: ['maxSkew', 'topologyKey', 'whenUnsatisfiable', 'labelSelector', 'minDomains', 'nodeAffinityPolicy', 'nodeTaintsPolicy', 'matchLabelKeys'],
} as const;

/**
 * What kube-scheduler would refuse in a configuration document: unknown fields (strict decoding)
 * and the PodTopologySpreadArgs rules (List defaults without a label selector, maxSkew ≥ 1, a
 * known whenUnsatisfiable, each topologyKey and whenUnsatisfiable pair once). Paths are dotted.
 */
export function schedulerConfigurationProblems(doc: Record<string, any>): string[] {
  const problems: string[] = [];
  const unknown = (obj: Record<string, unknown> | undefined, allowed: readonly string[], at: string) => {
    for (const key of Object.keys(obj ?? {})) if (!allowed.includes(key)) problems.push(`${at}${key}: unknown field`);
  };
  unknown(doc, SCHEDULER_CONFIG_FIELDS.root, '');
  if (doc.apiVersion !== 'kubescheduler.config.k8s.io/v1' || doc.kind !== 'KubeSchedulerConfiguration') problems.push('apiVersion/kind: must be kubescheduler.config.k8s.io/v1 KubeSchedulerConfiguration');
  unknown(doc.clientConnection, SCHEDULER_CONFIG_FIELDS.clientConnection, 'clientConnection.');
  const names = new Set<string>();
  (doc.profiles ?? []).forEach((p: Record<string, any>, i: number) => {
    unknown(p, SCHEDULER_CONFIG_FIELDS.profile, `profiles[${i}].`);
    if (names.has(p.schedulerName)) problems.push(`profiles[${i}].schedulerName: duplicate`);
    names.add(p.schedulerName);
    (p.pluginConfig ?? []).forEach((c: Record<string, any>, j: number) => {
      const at = `profiles[${i}].pluginConfig[${j}].`;
      unknown(c, SCHEDULER_CONFIG_FIELDS.pluginConfig, at);
      if (c.name !== 'PodTopologySpread') return;
      unknown(c.args, SCHEDULER_CONFIG_FIELDS.podTopologySpreadArgs, `${at}args.`);
      if (!['List', 'System'].includes(c.args?.defaultingType)) problems.push(`${at}args.defaultingType: must be List or System`);
      const seen = new Set<string>();
      (c.args?.defaultConstraints ?? []).forEach((k: Record<string, any>, n: number) => {
        const kat = `${at}args.defaultConstraints[${n}].`;
        unknown(k, SCHEDULER_CONFIG_FIELDS.constraint, kat);
        if (!(Number.isInteger(k.maxSkew) && k.maxSkew >= 1)) problems.push(`${kat}maxSkew: must be an integer ≥ 1`);
        if (!['ScheduleAnyway', 'DoNotSchedule'].includes(k.whenUnsatisfiable)) problems.push(`${kat}whenUnsatisfiable: must be ScheduleAnyway or DoNotSchedule`);
        if (k.labelSelector !== undefined) problems.push(`${kat}labelSelector: default constraints must not have one`);
        if (!k.topologyKey) problems.push(`${kat}topologyKey: required`);
        const pair = `${k.topologyKey}/${k.whenUnsatisfiable}`;
        if (seen.has(pair)) problems.push(`${kat}: duplicate topologyKey and whenUnsatisfiable`);
        seen.add(pair);
      });
      if (c.args?.defaultingType === 'System' && (c.args?.defaultConstraints ?? []).length) problems.push(`${at}args.defaultConstraints: must be empty with defaultingType System`);
    });
  });
  return problems;
}
