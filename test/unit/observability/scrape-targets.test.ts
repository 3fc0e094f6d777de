/**
 * Every alert of both example clusters has a scrape target the generated configuration reaches:
 * the model reads the synthesized Applications, KubeadmControlPlanes and PrometheusRules, the
 * external etcd VMs' user-data and the OpenStack security group rules, as the clusters get them.
 */
import { STACKED_BACKUP_CRONJOB } from '../../../lib/observability/alerts';
import { cniAgentModel } from '../../../lib/observability/cni-metrics';
import { ETCD_BACKUP_METRIC } from '../../../lib/observability/scrape-jobs';
import { alertsWithoutTarget, jobTargets, listeners, monitorsWithoutTarget, podMonitorTargets, requiredJobs, type GeneratedMonitoring } from '../../../lib/observability/scrape-targets';
import { externalEtcdUserData } from '../../../lib/render/etcd-cloud-init';
import { parseFleet, type ClusterSpec } from '../../../lib/spec';
import { ingressRules } from '../../../stacks/openstack/security-rules';
import { MONITORING_SOURCE } from '../../../stacks/openstack/monitoring-ingress';
import { exampleFleet } from '../../helpers/fleet';
import { find, synthObjects } from '../../helpers/synth';
import { mainSource } from '../../../lib/platform/helm-application';

type Objects = ReturnType<typeof synthObjects>;

function generated(objects: Objects, cluster: ClusterSpec): { g: GeneratedMonitoring; groups: any[] } {
  const env = cluster.environment;
  const app = find(objects, 'Application', `${cluster.name}-monitoring`, `${env}/argocd/`);
  const kcp = find(objects, 'KubeadmControlPlane', undefined, `${env}/${cluster.name}/cluster/`);
  const cniApp = find(objects, 'Application', `${cluster.name}-cni`, `${env}/argocd/`);
  const etcd = cluster.controlPlane.etcd;
  const groups = [
    ...(etcd.topology === 'external' && etcd.external ? [['main', etcd.external] as const] : []),
    ...(etcd.events ? [['events', etcd.events] as const] : []),
  ];
  return {
    g: {
      values: mainSource(app).helm.valuesObject,
      kubeadmConfigSpec: kcp.spec.kubeadmConfigSpec,
      etcdHosts: groups.flatMap(([which, group]) => group.members.map((m) => ({ name: m.name, ip: m.ip, userData: externalEtcdUserData(cluster, which, m.name) }))),
      firewall: cluster.infrastructure.provider === 'openstack' ? ingressRules(cluster) : undefined,
      monitoringSource: MONITORING_SOURCE,
      podMonitors: objects.filter((o) => o.obj.kind === 'PodMonitor' && o.file.startsWith(`${env}/${cluster.name}/addons/`)).map((o) => o.obj),
      daemonSets: [
        ...objects.filter((o) => o.obj.kind === 'DaemonSet' && o.file.startsWith(`${env}/${cluster.name}/addons/`)).map((o) => o.obj),
        // The CNI agent is rendered by its chart: modelled from the CNI Application's values.
        ...[cniAgentModel(cluster.network.cni.plugin as 'calico' | 'cilium', mainSource(cniApp).helm.valuesObject)].filter((d) => d !== undefined),
      ],
    },
    groups: find(objects, 'PrometheusRule', 'kprod-alerts', `${env}/${cluster.name}/addons/`).spec.groups,
  };
}

const fleet = () => parseFleet(exampleFleet()).spec;
const clusterNamed = (name: string) => fleet().environments.flatMap((e) => e.clusters).find((c) => c.name === name)!;

describe('every alert has a reachable scrape target', () => {
  const objects = synthObjects(exampleFleet());
  const prod = generated(objects, clusterNamed('eu-west-1'));
  const staging = generated(objects, clusterNamed('dc1'));

  it.each([
    ['prod/eu-west-1 (OpenStack, external etcd)', prod],
    ['staging/dc1 (Metal3, stacked etcd)', staging],
  ])('%s', (_, { g, groups }) => {
    expect(groups.flatMap((gr: any) => gr.rules).length).toBeGreaterThan(20);
    expect(alertsWithoutTarget(groups, g)).toEqual({});
  });

  const npdTarget = { job: 'node-problem-detector', hosts: ['control-plane', 'worker'], port: 20257, scheme: 'http' };
  it.each([
    ['prod/eu-west-1 (calico: no agent metrics)', prod, [npdTarget]],
    ['staging/dc1 (cilium agent metrics)', staging, [{ job: 'cilium-agent', hosts: ['control-plane', 'worker'], port: 9962, scheme: 'http' }, npdTarget]],
  ])('every monitor of %s reaches its target, the PodMonitors included', (_, { g }, podTargets) => {
    expect(podMonitorTargets(g)).toEqual(podTargets);
    expect(monitorsWithoutTarget(g)).toEqual({});
  });

  it('a PodMonitor whose pods do not expose its port is reported', () => {
    const daemonSets = staging.g.daemonSets!.filter((ds) => ds.metadata.name !== 'cilium');
    expect(monitorsWithoutTarget({ ...staging.g, daemonSets })).toEqual({ 'cilium-agent': ['cilium-agent: selects no pod with its port'] });
  });

  it('maps alerts to the jobs they select, or to the exporter of their metrics', () => {
    const known = jobTargets(prod.g.values).map((t) => t.job);
    const need = (alert: string) => requiredJobs(prod.groups.flatMap((gr: any) => gr.rules).find((r: any) => r.alert === alert).expr, known);
    expect(need('KubeSchedulerDown')).toEqual(['kube-scheduler']);
    expect(need('EtcdNoLeader')).toEqual(['kube-etcd']);
    expect(need('NodeKernelDeadlock')).toEqual(['kube-state-metrics']);
    expect(need('KubeletServingCertificateExpiration')).toEqual(['kubelet']);
    expect(need('ExternalEtcdBackupMissing')).toEqual(['kprod-member-hosts']);
  });

  it('reaches external etcd members on their own address, loopback-bound components through the proxy', () => {
    const targets = Object.fromEntries(jobTargets(prod.g.values).map((t) => [t.job, t]));
    expect(targets['kube-etcd']).toMatchObject({ hosts: ['etcd'], port: 2381, scheme: 'http', addresses: ['10.10.1.10', '10.10.1.11', '10.10.1.12', '10.10.1.20', '10.10.1.21', '10.10.1.22'] });
    expect(targets['kube-scheduler']).toMatchObject({ hosts: ['control-plane'], port: 10359, scheme: 'https' });
    expect(targets['kprod-member-hosts'].addresses).toEqual(['10.10.1.10', '10.10.1.11', '10.10.1.12', '10.10.1.20', '10.10.1.21', '10.10.1.22']);
    const heard = listeners(prod.g).map((l) => `${l.host} ${l.addresses.join(',')}:${l.port} ${l.scheme} ${l.what}`);
    expect(heard).toEqual(
      expect.arrayContaining([
        'control-plane 127.0.0.1:10259 https kube-scheduler',
        'control-plane *:10359 https kprod-metrics-proxy → kube-scheduler',
        'etcd 10.10.1.10:2381 http etcd member etcd-0',
        'etcd 10.10.1.20:9100 http node_exporter on etcd-events-0',
      ]),
    );
    // The chart's default etcd rules select job=~".*etcd.*": only the etcd job may match.
    expect(Object.keys(targets).filter((j) => /etcd/.test(j))).toEqual(['kube-etcd']);
    const stackedTargets = Object.fromEntries(jobTargets(staging.g.values).map((t) => [t.job, t]));
    expect(stackedTargets['kube-etcd']).toMatchObject({ hosts: ['control-plane'], port: 12381, scheme: 'http' });
    expect(stackedTargets['kprod-member-hosts']).toBeUndefined();
  });

  it('the backup-age alerts watch what exists: the CronJob kprod renders, the metric the main members\' backup script writes', () => {
    const cronJob = find(objects, 'CronJob', STACKED_BACKUP_CRONJOB.name, 'staging/dc1/addons/');
    expect(cronJob.metadata.namespace).toBe(STACKED_BACKUP_CRONJOB.namespace);
    const main = prod.g.etcdHosts.filter((h) => !h.name.includes('events'));
    for (const h of main) expect(h.userData).toContain(`${ETCD_BACKUP_METRIC}{member="%s"}`);
    // Events etcd keeps no snapshots, so it reports none.
    for (const h of prod.g.etcdHosts.filter((x) => x.name.includes('events'))) expect(h.userData).not.toContain(ETCD_BACKUP_METRIC);
  });

  describe('fails when the generated configuration would not reach a target', () => {
    const rulesOf = (problems: Record<string, string[]>) => Object.keys(problems).sort();

    it('etcd members serving metrics on loopback only', () => {
      const g = { ...prod.g, etcdHosts: prod.g.etcdHosts.map((h) => ({ ...h, userData: h.userData.replace(/listen-metrics-urls: .*/, "listen-metrics-urls: 'http://127.0.0.1:2381'") })) };
      const problems = alertsWithoutTarget(prod.groups, g);
      expect(rulesOf(problems)).toEqual(['EtcdDatabaseNearQuota', 'EtcdDatabaseQuotaCritical', 'EtcdFrequentLeaderChanges', 'EtcdHighFsyncLatency', 'EtcdNoLeader']);
      expect(problems.EtcdNoLeader).toContain('kube-etcd: nothing listens on etcd 10.10.1.10:2381 outside loopback (etcd member etcd-0 is loopback only)');
    });

    it('the security group not admitting the monitoring source', () => {
      const g = { ...prod.g, firewall: prod.g.firewall!.filter((r) => !(r.group === 'etcd' && r.ports?.[0] === 2381)) };
      expect(alertsWithoutTarget(prod.groups, g).EtcdNoLeader).toEqual(['kube-etcd: the etcd security group does not admit tcp:2381 from worker']);
      const noKubelet = { ...prod.g, firewall: prod.g.firewall!.filter((r) => !(r.ports?.[0] === 10250 && 'group' in r.from && r.from.group === 'worker')) };
      expect(alertsWithoutTarget(prod.groups, noKubelet).KubeletDown).toEqual([
        'kubelet: the control-plane security group does not admit tcp:10250 from worker',
        'kubelet: the worker security group does not admit tcp:10250 from worker',
      ]);
    });

    it('the chart scraping the loopback-bound scheduler and controller-manager directly (no proxy)', () => {
      const files = staging.g.kubeadmConfigSpec.files!.filter((f) => !f.path.includes('kprod-metrics-proxy'));
      const g = { ...staging.g, kubeadmConfigSpec: { ...staging.g.kubeadmConfigSpec, files } };
      const problems = alertsWithoutTarget(staging.groups, g);
      expect(problems.KubeSchedulerDown).toEqual(['kube-scheduler: nothing listens on control-plane node address:10359 outside loopback']);
      expect(rulesOf(problems)).toEqual(expect.arrayContaining(['KubeControllerManagerDown', 'EtcdNoLeader']));
      // The chart's defaults (node address, secure port) meet the CIS loopback bind.
      const chartDefaults = { ...staging.g, values: { ...staging.g.values, kubeScheduler: {}, kubeProxy: {} } };
      // The chart's kube-proxy monitor meets kube-proxy's loopback bind (CIS 4.3.1): why kprod turns it off.
      expect(monitorsWithoutTarget(chartDefaults)['kube-proxy']).toEqual([
        'kube-proxy: nothing listens on control-plane node address:10249 outside loopback (kube-proxy is loopback only)',
        'kube-proxy: nothing listens on worker node address:10249 outside loopback (kube-proxy is loopback only)',
      ]);
      expect(alertsWithoutTarget(staging.groups, chartDefaults).KubeSchedulerDown).toEqual([
        'kube-scheduler: nothing listens on control-plane node address:10259 outside loopback (kube-scheduler is loopback only)',
      ]);
    });

    it('node-problem-detector serving metrics on loopback', () => {
      const daemonSets = prod.g.daemonSets!.map((ds) => structuredClone(ds));
      const npd = daemonSets.find((ds) => ds.metadata.name === 'node-problem-detector')!;
      npd.spec.template.spec.containers[0].args = npd.spec.template.spec.containers[0].args.map((a: string) => a.replace(/^--prometheus-address=.*/, '--prometheus-address=127.0.0.1'));
      expect(monitorsWithoutTarget({ ...prod.g, daemonSets })).toEqual({
        'node-problem-detector': [
          'node-problem-detector: nothing listens on control-plane node address:20257 outside loopback (node-problem-detector (node-problem-detector) is loopback only)',
          'node-problem-detector: nothing listens on worker node address:20257 outside loopback (node-problem-detector (node-problem-detector) is loopback only)',
        ],
      });
    });

    it('a wrong scheme, a disabled exporter, an alert on a job nobody scrapes', () => {
      const https = { ...prod.g, values: { ...prod.g.values, kubeEtcd: { ...(prod.g.values.kubeEtcd as object), serviceMonitor: { scheme: 'https' } } } };
      expect(alertsWithoutTarget(prod.groups, https).EtcdNoLeader[0]).toBe('kube-etcd: etcd:2381 speaks http, Prometheus uses https');
      const noKsm = { ...prod.g, values: { ...prod.g.values, kubeStateMetrics: { enabled: false } } };
      expect(alertsWithoutTarget(prod.groups, noKsm).CNIAgentNotReady).toEqual(['kube-state-metrics: no scrape job']);
      const stray = [{ name: 'x', rules: [{ alert: 'Stray', expr: 'up{job="nobody"} == 0', for: '1m', labels: { severity: 'warning' as const }, annotations: { summary: '', description: '', runbook_url: '' } }] }];
      expect(alertsWithoutTarget(stray, prod.g)).toEqual({ Stray: ['nobody: no scrape job'] });
    });
  });
});
