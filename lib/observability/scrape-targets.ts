/**
 * Can every alert fire? A model, as data, of what each alert needs and of where the generated
 * configuration sends Prometheus, checked against what listens there and what the firewall lets
 * through:
 * - each alert needs the scrape jobs its expression selects (`job="..."`, `job=~"..."`), or, for
 *   expressions without a job matcher, the job that exports its metric (`kube_*` from
 *   kube-state-metrics, `kubelet_*` from the kubelet);
 * - each job has a target: the host role it lands on, the port and the scheme, read from the
 *   kube-prometheus-stack values kprod generates (chart defaults where kprod sets nothing);
 * - a target is reachable when a process on that host listens on that port on a non-loopback
 *   address with that scheme (read from the rendered kubeadm flags, etcd member configs,
 *   node_exporter units and the metrics proxy config), and when the security groups (where kprod
 *   manages them) let the monitoring source in on that port.
 * Pure: the caller hands in the generated objects; `kprod check` or a test can run it.
 */
import { parse } from 'yaml';
import type { Values } from '../addons/values';
import type { PrometheusRuleGroup } from './alerts';
import { SCRAPE_JOBS } from './scrape-jobs';

export const KUBELET_PORT = 10250;
const APISERVER_SECURE_PORT = 6443;
const COREDNS_METRICS_PORT = 9153;
const NODE_EXPORTER_PORT = 9100;
const KUBEADM_ETCD_METRICS_URL = 'http://127.0.0.1:2381';

export type HostRole = 'control-plane' | 'worker' | 'etcd';
type Scheme = 'http' | 'https';

/** Where Prometheus scrapes a job: host-network targets on machine roles, or pods on the pod network. */
export interface JobTarget {
  readonly job: string;
  /** Host roles scraped on their node address; empty for pod-network targets. */
  readonly hosts: readonly HostRole[];
  readonly port: number;
  readonly scheme: Scheme;
  /** Specific addresses (external etcd members); undefined: every machine of the roles. */
  readonly addresses?: readonly string[];
}

/** A process listening on a host: `addresses` `*` for all, else the exact ones. */
export interface Listener {
  readonly host: HostRole;
  readonly port: number;
  readonly scheme: Scheme;
  readonly addresses: readonly string[];
  /** Who listens, for messages. */
  readonly what: string;
  /** The one machine it runs on, when known (external etcd VMs). */
  readonly machine?: string;
}

/** An ingress rule as the OpenStack stack renders it (stacks/openstack/security-rules.ts). */
export interface FirewallRule {
  readonly group: string;
  readonly protocol: string;
  readonly ports?: readonly [number, number];
  readonly from: { readonly group: string } | { readonly cidr: string };
}

/** The generated objects the model reads. */
export interface GeneratedMonitoring {
  /** `spec.source.helm.valuesObject` of the kube-prometheus-stack Application. */
  readonly values: Values;
  /** The KubeadmControlPlane's `kubeadmConfigSpec` (clusterConfiguration and files). */
  readonly kubeadmConfigSpec: {
    readonly clusterConfiguration: {
      readonly apiServer?: { readonly extraArgs?: readonly { name: string; value: string }[] };
      readonly controllerManager?: { readonly extraArgs?: readonly { name: string; value: string }[] };
      readonly scheduler?: { readonly extraArgs?: readonly { name: string; value: string }[] };
      readonly etcd?: { readonly local?: { readonly extraArgs?: readonly { name: string; value: string }[] } };
    };
    readonly files?: readonly { readonly path: string; readonly content?: string }[];
  };
  /** cloud-init user-data of each external etcd VM (main and events). */
  readonly etcdHosts: readonly { readonly name: string; readonly ip: string; readonly userData: string }[];
  /** Ingress rules, or undefined when kprod manages no firewall for the provider (Metal3). */
  readonly firewall?: readonly FirewallRule[];
  /** Security group Prometheus' traffic comes from. */
  readonly monitoringSource: string;
  /** kprod's PodMonitors and the DaemonSets of the workload cluster (host-network agents). @default none */
  readonly podMonitors?: readonly K8sObject[];
  readonly daemonSets?: readonly K8sObject[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type K8sObject = { readonly kind: string; readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> }; readonly spec: any };

/** Nodes a DaemonSet's pods land on: everywhere when it tolerates every taint, else the (untainted) workers. */
const daemonSetHosts = (ds: K8sObject): HostRole[] =>
  (ds.spec.template.spec.tolerations ?? []).some((t: { key?: string; operator?: string }) => t.operator === 'Exists' && !t.key) ? ['control-plane', 'worker'] : ['worker'];

/** The pods a PodMonitor selects: DaemonSets of its namespaces whose pod labels match. */
function selectedDaemonSets(monitor: K8sObject, daemonSets: readonly K8sObject[]): K8sObject[] {
  const namespaces: string[] = monitor.spec.namespaceSelector?.matchNames ?? [monitor.metadata.namespace];
  const match: Record<string, string> = monitor.spec.selector?.matchLabels ?? {};
  return daemonSets.filter(
    (ds) => namespaces.includes(ds.metadata.namespace ?? 'default') && Object.entries(match).every(([k, v]) => ds.spec.template.metadata?.labels?.[k] === v),
  );
}

/** Targets of kprod's PodMonitors (host-network DaemonSets only; pod-network pods are the CNI's). */
export function podMonitorTargets(g: Pick<GeneratedMonitoring, 'podMonitors' | 'daemonSets'>): JobTarget[] {
  const out: JobTarget[] = [];
  for (const m of g.podMonitors ?? []) {
    const job = m.spec.selector?.matchLabels?.[m.spec.jobLabel] ?? `${m.metadata.namespace}/${m.metadata.name}`;
    const selected = selectedDaemonSets(m, g.daemonSets ?? []);
    if (selected.length === 0) out.push({ job, hosts: ['worker'], port: 0, scheme: 'http' });
    for (const ds of selected)
      for (const ep of m.spec.podMetricsEndpoints ?? []) {
        const port = ds.spec.template.spec.containers.flatMap((c: { ports?: { name?: string; containerPort: number }[] }) => c.ports ?? []).find((p: { name?: string }) => p.name === ep.port);
        const hosts = ds.spec.template.spec.hostNetwork ? daemonSetHosts(ds) : [];
        out.push({ job, hosts, port: port?.containerPort ?? 0, scheme: ep.scheme === 'https' ? 'https' : 'http' });
      }
  }
  return out;
}

const isLoopback = (address: string) => address === 'localhost' || address.startsWith('127.') || address === '::1' || address === '[::1]';

/** The jobs an alert needs: its job matchers, or the exporter of its metrics. */
export function requiredJobs(expr: string, knownJobs: readonly string[]): string[] {
  const jobs = new Set<string>();
  // The label `job` only, not `cronjob` and the like.
  for (const m of expr.matchAll(/(?<![\w])job="([^"]+)"/g)) jobs.add(m[1]);
  for (const m of expr.matchAll(/(?<![\w])job=~"([^"]+)"/g)) {
    const re = new RegExp(`^(?:${m[1]})$`);
    const matching = knownJobs.filter((j) => re.test(j));
    // A regex no job matches is a need nothing fills.
    if (matching.length === 0) jobs.add(`~${m[1]}`);
    matching.forEach((j) => jobs.add(j));
  }
  if (jobs.size === 0) {
    if (/\bkube_[a-z_]+/.test(expr)) jobs.add(SCRAPE_JOBS.kubeStateMetrics);
    if (/\bkubelet_[a-z_]+/.test(expr)) jobs.add(SCRAPE_JOBS.kubelet);
  }
  return [...jobs].sort();
}

const get = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), v);
const enabled = (values: Values, key: string) => get(values, key, 'enabled') !== false;
const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);

/** Where the kube-prometheus-stack values (with the chart's defaults) send each job. */
export function jobTargets(values: Values): JobTarget[] {
  const targets: JobTarget[] = [
    { job: SCRAPE_JOBS.apiserver, hosts: ['control-plane'], port: APISERVER_SECURE_PORT, scheme: 'https' },
    { job: SCRAPE_JOBS.kubelet, hosts: ['control-plane', 'worker'], port: KUBELET_PORT, scheme: 'https' },
  ];
  if (enabled(values, 'kubeStateMetrics')) targets.push({ job: SCRAPE_JOBS.kubeStateMetrics, hosts: [], port: 8080, scheme: 'http' });
  if (enabled(values, 'nodeExporter')) targets.push({ job: SCRAPE_JOBS.nodeExporter, hosts: ['control-plane', 'worker'], port: NODE_EXPORTER_PORT, scheme: 'http' });
  if (enabled(values, 'coreDns'))
    targets.push({ job: SCRAPE_JOBS.coredns, hosts: [], port: num(get(values, 'coreDns', 'service', 'targetPort'), COREDNS_METRICS_PORT), scheme: 'http' });
  for (const [key, job, defaultPort] of [
    ['kubeControllerManager', SCRAPE_JOBS.controllerManager, 10257],
    ['kubeScheduler', SCRAPE_JOBS.scheduler, 10259],
  ] as const)
    if (enabled(values, key))
      targets.push({
        job,
        hosts: ['control-plane'],
        port: num(get(values, key, 'service', 'targetPort'), defaultPort),
        scheme: get(values, key, 'serviceMonitor', 'https') === false ? 'http' : 'https',
      });
  if (enabled(values, 'kubeEtcd')) {
    const endpoints = get(values, 'kubeEtcd', 'endpoints');
    const external = Array.isArray(endpoints) && endpoints.length > 0 ? (endpoints as string[]) : undefined;
    targets.push({
      job: SCRAPE_JOBS.etcd,
      hosts: [external ? 'etcd' : 'control-plane'],
      port: num(get(values, 'kubeEtcd', 'service', 'targetPort'), 2381),
      scheme: get(values, 'kubeEtcd', 'serviceMonitor', 'scheme') === 'https' ? 'https' : 'http',
      addresses: external,
    });
  }
  const extra = get(values, 'prometheus', 'prometheusSpec', 'additionalScrapeConfigs');
  for (const c of Array.isArray(extra) ? (extra as Record<string, unknown>[]) : []) {
    const hosts = ((c.static_configs as { targets: string[] }[] | undefined) ?? []).flatMap((s) => s.targets);
    const ports = new Set(hosts.map((t) => Number(t.split(':').pop())));
    for (const port of ports)
      targets.push({
        job: String(c.job_name),
        hosts: ['etcd'],
        port,
        scheme: c.scheme === 'https' ? 'https' : 'http',
        addresses: hosts.filter((t) => Number(t.split(':').pop()) === port).map((t) => t.slice(0, t.lastIndexOf(':'))),
      });
  }
  return targets;
}

const flag = (args: readonly { name: string; value: string }[] | undefined, name: string) => args?.find((a) => a.name === name)?.value;
const urls = (value: string) => value.split(',').map((u) => new URL(u.trim()));

/** What listens where, read from the generated host configuration. */
export function listeners(g: GeneratedMonitoring): Listener[] {
  const cc = g.kubeadmConfigSpec.clusterConfiguration;
  const out: Listener[] = [];
  const add = (host: HostRole, port: number, scheme: Scheme, addresses: string[], what: string, machine?: string) => out.push({ host, port, scheme, addresses, what, machine });
  // Components: kubeadm's defaults are the secure ports on all addresses unless bind-address says otherwise.
  const component = (args: readonly { name: string; value: string }[] | undefined, port: number, what: string) =>
    add('control-plane', Number(flag(args, 'secure-port') ?? port), 'https', [flag(args, 'bind-address') ?? '*'], what);
  component(cc.apiServer?.extraArgs, APISERVER_SECURE_PORT, 'kube-apiserver');
  component(cc.controllerManager?.extraArgs, 10257, 'kube-controller-manager');
  component(cc.scheduler?.extraArgs, 10259, 'kube-scheduler');
  if (cc.etcd?.local)
    for (const u of urls(flag(cc.etcd.local.extraArgs, 'listen-metrics-urls') ?? KUBEADM_ETCD_METRICS_URL))
      add('control-plane', Number(u.port), u.protocol === 'https:' ? 'https' : 'http', [u.hostname === '0.0.0.0' ? '*' : u.hostname], 'stacked etcd metrics');
  for (const role of ['control-plane', 'worker'] as const) {
    add(role, KUBELET_PORT, 'https', ['*'], 'kubelet');
    // The chart's node-exporter DaemonSet: host network, every address, tolerates every taint.
    if (enabled(g.values, 'nodeExporter')) add(role, NODE_EXPORTER_PORT, 'http', ['*'], 'node-exporter');
  }

  // The metrics proxy: a TCP passthrough keeps the upstream's scheme.
  const proxy = g.kubeadmConfigSpec.files?.find((f) => f.path.endsWith('kprod-metrics-proxy/haproxy.cfg'))?.content;
  if (proxy)
    for (const m of proxy.matchAll(/^listen (\S+)\n\s+bind :(\d+)\n\s+server \S+ ([\d.]+):(\d+)$/gm)) {
      const upstream = out.find((l) => l.host === 'control-plane' && l.port === Number(m[4]) && l.addresses.some((a) => a === '*' || a === m[3]));
      if (upstream) add('control-plane', Number(m[2]), upstream.scheme, ['*'], `kprod-metrics-proxy → ${upstream.what}`);
    }

  // Host-network DaemonSets: each container port, on the address its metrics flag names (a
  // `$(VAR)` from the downward API is the node address), else on every address.
  for (const ds of g.daemonSets ?? []) {
    if (!ds.spec.template.spec.hostNetwork) continue;
    for (const c of ds.spec.template.spec.containers as { name: string; args?: string[]; ports?: { containerPort: number }[] }[]) {
      const bind = (c.args ?? []).map((a) => a.match(/^--(?:prometheus|metrics)[-.](?:bind-)?address=(.*)$/)?.[1]).find((a) => a !== undefined);
      const address = bind === undefined || bind === '' || bind === '0.0.0.0' ? '*' : bind.startsWith('$(') ? 'node' : bind.replace(/:\d+$/, '');
      for (const p of c.ports ?? []) for (const host of daemonSetHosts(ds)) add(host, p.containerPort, 'http', [address], `${ds.metadata.name} (${c.name})`);
    }
  }

  for (const h of g.etcdHosts) {
    const data = parse(h.userData.replace(/^#cloud-config\n/, '')) as { write_files?: { path: string; content: string }[]; packages?: string[] };
    const file = (suffix: string) => data.write_files?.find((f) => f.path.endsWith(suffix))?.content;
    const config = file('/etcd.conf.yml');
    const metrics = config ? (parse(config) as Record<string, string>)['listen-metrics-urls'] : undefined;
    for (const u of metrics ? urls(metrics) : []) add('etcd', Number(u.port), u.protocol === 'https:' ? 'https' : 'http', [u.hostname], `etcd member ${h.name}`, h.ip);
    const exporter = file('prometheus-node-exporter.service.d/kprod.conf')?.match(/--web\.listen-address=([\d.]*):(\d+)/);
    if (exporter && data.packages?.includes('prometheus-node-exporter'))
      add('etcd', Number(exporter[2]), 'http', [exporter[1] || '*'], `node_exporter on ${h.name}`, h.ip);
  }
  return out;
}

const opens = (rules: readonly FirewallRule[], group: string, port: number, source: string) =>
  rules.some((r) => r.group === group && r.protocol === 'tcp' && r.ports && r.ports[0] <= port && port <= r.ports[1] && 'group' in r.from && r.from.group === source);

/** Every reason a job's target is unreachable as configured; empty when it is reachable. */
export function unreachable(target: JobTarget, g: GeneratedMonitoring): string[] {
  if (target.hosts.length === 0) return []; // pod network: the CNI carries it, nothing binds to loopback
  const found = listeners(g);
  const problems: string[] = [];
  const etcdIps = new Map(g.etcdHosts.map((h) => [h.ip, h.name]));
  for (const host of target.hosts) {
    const addresses = target.addresses ?? ['*'];
    for (const address of addresses) {
      if (host === 'etcd' && !etcdIps.has(address)) problems.push(`${target.job}: ${address} is not an external etcd VM`);
      const onMachine = (l: Listener) => address === '*' || l.machine === undefined || l.machine === address;
      const there = found.filter((l) => l.host === host && l.port === target.port && onMachine(l));
      const reachable = there.filter((l) => l.addresses.some((a) => !isLoopback(a) && (address === '*' || a === '*' || a === address)));
      if (reachable.length === 0) {
        const loop = there.map((l) => l.what).join(', ');
        problems.push(`${target.job}: nothing listens on ${host} ${address === '*' ? 'node address' : address}:${target.port} outside loopback${loop ? ` (${loop} is loopback only)` : ''}`);
      } else if (!reachable.some((l) => l.scheme === target.scheme)) problems.push(`${target.job}: ${host}:${target.port} speaks ${reachable[0].scheme}, Prometheus uses ${target.scheme}`);
    }
    if (g.firewall && !opens(g.firewall, host, target.port, g.monitoringSource))
      problems.push(`${target.job}: the ${host} security group does not admit tcp:${target.port} from ${g.monitoringSource}`);
  }
  return problems;
}

/** Every monitor kprod configures (chart monitors, its scrape configs and PodMonitors), with its problems; only those with problems. */
export function monitorsWithoutTarget(g: GeneratedMonitoring): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of [...jobTargets(g.values), ...podMonitorTargets(g)]) {
    const problems = t.port === 0 ? [`${t.job}: selects no pod with its port`] : unreachable(t, g);
    if (problems.length) out[t.job] = [...(out[t.job] ?? []), ...problems];
  }
  return out;
}

/** For each alert of the groups, the problems of the jobs it needs (missing job, unreachable target). Empty when every alert can fire. */
export function alertsWithoutTarget(groups: readonly PrometheusRuleGroup[], g: GeneratedMonitoring): Record<string, string[]> {
  const targets = [...jobTargets(g.values), ...podMonitorTargets(g)];
  const known = targets.map((t) => t.job);
  const out: Record<string, string[]> = {};
  for (const rule of groups.flatMap((gr) => gr.rules)) {
    const jobs = requiredJobs(rule.expr, known);
    const problems = jobs.length === 0 ? ['needs no job kprod knows the exporter of'] : [];
    for (const job of jobs) {
      const forJob = targets.filter((t) => t.job === job);
      if (forJob.length === 0) problems.push(`${job}: no scrape job`);
      for (const t of forJob) problems.push(...unreachable(t, g));
    }
    if (problems.length) out[rule.alert] = problems;
  }
  return out;
}
