import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { PodMonitor, PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { DaemonSet, Deployment } from 'kubernetes-models/apps/v1';
import { APIService } from 'kubernetes-models/apiregistration.k8s.io/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { parse } from 'yaml';
import { Observability } from '../../constructs/observability';
import { monitoringHelmApplication } from '../../lib/observability/monitoring-application';
import { parseFleet } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';
import { find, synthObjects } from '../helpers/synth';

const capability = [(ctx: any) => new Observability(ctx.managementChart, 'observability', { ctx })];
const PROD = 'prod/eu-west-1/addons';
const STAGING = 'staging/dc1/addons';

const MODELS: Record<string, any> = { DaemonSet, Deployment, APIService, ConfigMap, Service, ServiceAccount, PodDisruptionBudget, ClusterRole, ClusterRoleBinding, RoleBinding };

describe('Observability construct on the example fleet', () => {
  const objects = synthObjects(exampleFleet(), capability);

  it('validates every core object against the Kubernetes models', () => {
    let checked = 0;
    for (const { obj } of objects) {
      const Model = MODELS[obj.kind];
      if (!Model) continue;
      expect(() => new Model(obj).validate()).not.toThrow();
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('puts each add-on in its own folder', () => {
    const folders = new Set(objects.map((o) => o.file.split('/').slice(0, 4).join('/')));
    for (const addon of ['node-problem-detector', 'logging', 'metrics-server', 'monitoring-rules']) expect(folders).toContain(`${PROD}/${addon}`);
    // Every example cluster ships logs (prod to OpenSearch, staging to Loki)...
    expect(folders).toContain(`${STAGING}/logging`);
    expect(folders).toContain(`${STAGING}/node-problem-detector`);
    // ...and a cluster without a logging output gets no logging folder.
    const fleet = exampleFleet();
    delete fleet.environments[1].clusters[0].addons.logging;
    const without = new Set(synthObjects(fleet).map((o) => o.file.split('/').slice(0, 4).join('/')));
    expect(without).not.toContain(`${STAGING}/logging`);
  });

  describe('node-problem-detector', () => {
    const ds = find(objects, 'DaemonSet', 'node-problem-detector', PROD);
    const pod = ds.spec.template.spec;
    const container = pod.containers[0];

    it('runs everywhere as a node-critical, privileged pod with pinned image and limits', () => {
      expect(container.image).toMatch(/^registry\.k8s\.io\/node-problem-detector\/node-problem-detector:v0\.8\.\d+$/);
      expect(pod.priorityClassName).toBe('system-node-critical');
      expect(pod.tolerations).toEqual(expect.arrayContaining([{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }]));
      expect(container.securityContext.privileged).toBe(true);
      expect(container.resources.limits).toEqual({ cpu: '200m', memory: '128Mi' });
    });

    it('mounts the logs, both journals, machine-id and kmsg read-only', () => {
      const mounts = Object.fromEntries(container.volumeMounts.map((m: any) => [m.mountPath, m]));
      for (const p of ['/var/log', '/run/log/journal', '/etc/machine-id', '/dev/kmsg']) expect(mounts[p]?.readOnly).toBe(true);
      const volumes = Object.fromEntries(pod.volumes.filter((v: any) => v.hostPath).map((v: any) => [v.hostPath.path, v.hostPath.type]));
      expect(volumes['/dev/kmsg']).toBe('CharDevice');
      expect(volumes['/run/log/journal']).toBe('DirectoryOrCreate');
    });

    it('loads every monitor file of its ConfigMap and no docker monitor', () => {
      const cm = find(objects, 'ConfigMap', 'node-problem-detector', PROD);
      const flag = (name: string) => container.args.find((a: string) => a.startsWith(`--${name}=`)).split('=')[1].split(',');
      const loaded = [...flag('config.system-log-monitor'), ...flag('config.custom-plugin-monitor')].map((p: string) => p.replace('/config/', ''));
      const jsonFiles = Object.keys(cm.data).filter((f) => f.endsWith('.json'));
      expect(loaded.sort()).toEqual(jsonFiles.sort());
      expect(jsonFiles.some((f) => f.includes('docker'))).toBe(false);
      for (const f of jsonFiles) expect(() => JSON.parse(cm.data[f])).not.toThrow();
    });

    it('grants only node and event access', () => {
      const role = find(objects, 'ClusterRole', 'kprod:node-problem-detector', PROD);
      expect(role.rules).toEqual([
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] },
        { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      ]);
    });
  });

  describe('logging', () => {
    const ds = find(objects, 'DaemonSet', 'fluent-bit', PROD);
    const cm = find(objects, 'ConfigMap', 'fluent-bit', PROD);
    const config = parse(cm.data['fluent-bit.yaml']);

    it('ships with OpenSearch credentials only by Secret reference', () => {
      const env = ds.spec.template.spec.containers[0].env;
      expect(env).toEqual([
        { name: 'FLUENT_USER', valueFrom: { secretKeyRef: { name: 'opensearch-credentials', key: 'username' } } },
        { name: 'FLUENT_PASSWORD', valueFrom: { secretKeyRef: { name: 'opensearch-credentials', key: 'password' } } },
      ]);
      const out = config.pipeline.outputs[0];
      expect(out).toMatchObject({ name: 'opensearch', host: 'logs.example.com', port: 9200, http_user: '${FLUENT_USER}', http_passwd: '${FLUENT_PASSWORD}' });
      expect(ds.spec.template.spec.containers[0].image).toMatch(/^cr\.fluentbit\.io\/fluent\/fluent-bit:3\.\d+\.\d+$/);
    });

    it('can read pods and namespaces only', () => {
      expect(find(objects, 'ClusterRole', 'kprod:fluent-bit', PROD).rules).toEqual([{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }]);
    });
  });

  describe('metrics-server', () => {
    const dep = find(objects, 'Deployment', 'metrics-server', PROD);
    const args: string[] = dep.spec.template.spec.containers[0].args;

    it('verifies kubelet certificates and prefers InternalIP', () => {
      expect(args).toEqual(expect.arrayContaining(['--kubelet-preferred-address-types=InternalIP', '--kubelet-use-node-status-port', '--secure-port=10250']));
      expect(args.some((a) => a.startsWith('--kubelet-insecure-tls'))).toBe(false);
      expect(dep.spec.template.spec.containers[0].image).toMatch(/:v0\.7\.\d+$/);
    });

    it('is highly available: 2 spread replicas and a PDB', () => {
      expect(dep.spec.replicas).toBe(2);
      expect(find(objects, 'PodDisruptionBudget', 'metrics-server', PROD).spec.minAvailable).toBe(1);
      expect(find(objects, 'APIService', 'v1beta1.metrics.k8s.io', PROD).spec.service).toEqual({ name: 'metrics-server', namespace: 'kube-system', port: 443 });
      const bindings = objects.filter((o) => o.file.startsWith(`${PROD}/metrics-server`) && /Binding$/.test(o.obj.kind)).map((o) => o.obj.roleRef.name);
      expect(bindings.sort()).toEqual(['extension-apiserver-authentication-reader', 'system:auth-delegator', 'system:metrics-server']);
    });
  });

  describe('monitoring rules', () => {
    const rule = find(objects, 'PrometheusRule', 'kprod-alerts', PROD);
    const rules = rule.spec.groups.flatMap((g: any) => g.rules);

    it('is selected by the kube-prometheus-stack release and links a runbook per alert', () => {
      expect(rule.metadata).toMatchObject({ namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } });
      for (const r of rules) {
        expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
        expect(r.annotations.runbook_url).toBe(`https://runbooks.kprod.io/${r.alert}`);
        expect(r.annotations.summary && r.annotations.description).toBeTruthy();
      }
      expect(new Set(rules.map((r: any) => r.alert)).size).toBe(rules.length);
    });

    it('validates every PrometheusRule against the prometheus-operator model', () => {
      const all = objects.filter((o) => o.obj.kind === 'PrometheusRule');
      expect(all.length).toBeGreaterThanOrEqual(2); // one per cluster
      for (const { obj } of all) {
        expect(obj.apiVersion).toBe('monitoring.coreos.com/v1');
        expect(() => new PrometheusRule(obj).validate()).not.toThrow();
        // Every rule has an expression (the model only types it as int-or-string).
        for (const r of obj.spec.groups.flatMap((g: any) => g.rules)) expect(typeof r.expr === 'string' && r.expr.length > 0).toBe(true);
      }
      // The model does reject malformed rules, so the check above can fail.
      const broken = { ...rule, spec: { groups: [{ name: 'x', rules: [{ alert: 'X', expr: 'up', for: 'five minutes' }] }] } };
      expect(() => new PrometheusRule(broken).validate()).toThrow();
    });

    it('alerts on every NPD condition of the cluster', () => {
      const alerts = rules.map((r: any) => r.alert);
      for (const c of ['KernelDeadlock', 'ReadonlyFilesystem', 'FrequentKubeletRestart', 'FrequentContainerdRestart', 'KubeletUnhealthy', 'ContainerRuntimeUnhealthy', 'TimeNotSynchronized'])
        expect(alerts).toContain(`Node${c}`);
    });

    it('alerts on the scheduler, controller-manager, CoreDNS and each cluster\'s own CNI', () => {
      const staging = find(objects, 'PrometheusRule', 'kprod-alerts', STAGING).spec.groups.flatMap((g: any) => g.rules);
      for (const list of [rules, staging])
        expect(list.map((r: any) => r.alert)).toEqual(expect.arrayContaining(['KubeSchedulerDown', 'KubeControllerManagerDown', 'CoreDNSDown', 'CoreDNSHighLatency', 'CoreDNSErrors', 'CNIAgentNotReady']));
      const cni = (list: any[]) => list.find((r: any) => r.alert === 'CNIAgentNotReady').expr;
      expect(cni(rules)).toContain('namespace="calico-system",daemonset="calico-node"'); // prod runs calico
      expect(cni(staging)).toContain('namespace="kube-system",daemonset="cilium"'); // staging runs cilium
    });

    it('alerts on backup age at twice the schedule: the member timers for external etcd, the CronJob for stacked', () => {
      const staging = find(objects, 'PrometheusRule', 'kprod-alerts', STAGING).spec.groups.flatMap((g: any) => g.rules);
      const byName = (list: any[]) => Object.fromEntries(list.map((r: any) => [r.alert, r]));
      // Default schedule "0 * * * *": hourly, so 7200 s.
      expect(byName(rules).ExternalEtcdBackupTooOld.expr).toBe('time() - max(kprod_etcd_backup_last_success_timestamp_seconds{job="etcd-hosts"}) > 7200');
      expect(byName(rules).ExternalEtcdBackupMissing.for).toBe('7200s');
      expect(byName(rules).EtcdBackupTooOld).toBeUndefined();
      expect(byName(staging).EtcdBackupTooOld.expr).toContain('time() - kube_cronjob_status_last_successful_time{job="kube-state-metrics",namespace="etcd-backup",cronjob="etcd-backup"} > 7200');
      expect(byName(staging).ExternalEtcdBackupTooOld).toBeUndefined();

      const daily = exampleFleet();
      (daily.environments[1].clusters[0].controlPlane.etcd ??= {}).backup = { schedule: '15 2 * * *' };
      const other = find(synthObjects(daily, capability), 'PrometheusRule', 'kprod-alerts', STAGING).spec.groups.flatMap((g: any) => g.rules);
      expect(byName(other).EtcdBackupTooOld.expr).toMatch(/> 172800\)/);

      const off = exampleFleet();
      (off.environments[1].clusters[0].controlPlane.etcd ??= {}).backup = { enabled: false };
      const none = find(synthObjects(off, capability), 'PrometheusRule', 'kprod-alerts', STAGING).spec.groups.flatMap((g: any) => g.rules);
      expect(byName(none).EtcdBackupTooOld).toBeUndefined();
    });

    it('PodMonitors for node-problem-detector everywhere and the cilium agent where cilium runs, valid and selected by the release', () => {
      const monitors = objects.filter((o) => o.obj.kind === 'PodMonitor');
      expect(monitors.map((o) => `${o.file.split('/').slice(0, 2).join('/')} ${o.obj.metadata.name}`).sort()).toEqual([
        'prod/eu-west-1 node-problem-detector',
        'staging/dc1 cilium-agent',
        'staging/dc1 node-problem-detector',
      ]);
      for (const { obj } of monitors) {
        expect(() => new PodMonitor(obj).validate()).not.toThrow();
        expect(obj.metadata.labels.release).toBe('kube-prometheus-stack');
      }
      // The NPD pods carry the label and the named port the PodMonitor selects, with metrics on the node address.
      const npd = find(objects, 'DaemonSet', 'node-problem-detector', STAGING).spec.template;
      expect(npd.metadata.labels['app.kubernetes.io/name']).toBe('node-problem-detector');
      expect(npd.spec.containers[0].ports).toEqual([{ name: 'metrics', containerPort: 20257, protocol: 'TCP' }]);
      expect(npd.spec.containers[0].args).toEqual(expect.arrayContaining(['--address=127.0.0.1', '--prometheus-address=$(HOST_IP)']));
      expect(npd.spec.containers[0].env).toContainEqual({ name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } });
    });

    it('computes the etcd quota threshold from quotaBackendBytes', () => {
      const input = exampleFleet();
      input.environments[0].clusters[0].controlPlane.etcd.quotaBackendBytes = '4Gi';
      const other = synthObjects(input, capability);
      const near = (objs: any[]) => find(objs, 'PrometheusRule', 'kprod-alerts', PROD).spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === 'EtcdDatabaseNearQuota').expr;
      expect(near(objects)).toMatch(/> 6871947673$/); // 0.8 × 8 GiB (default)
      expect(near(other)).toMatch(/> 3435973836$/); // 0.8 × 4 GiB
    });
  });

  it('leaves out disabled add-ons', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].addons = { nodeProblemDetector: { enabled: false }, metricsServer: { enabled: false }, monitoring: { enabled: false } };
    const files = synthObjects(input, capability).map((o) => o.file).filter((f) => f.startsWith(STAGING));
    expect(files).toEqual([]);
  });
});

describe('monitoringHelmApplication', () => {
  const { spec } = parseFleet(exampleFleet());
  const env = spec.environments[0];
  const cluster = env.clusters[0];

  it('is a valid Argo CD Application for the pinned chart, aimed at the workload cluster', () => {
    const app = monitoringHelmApplication(cluster, env)!;
    expect(() => new Application(app as any).validate()).not.toThrow();
    const s = app.spec as any;
    expect(s.source).toMatchObject({ repoURL: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack' });
    expect(s.source.targetRevision).toMatch(/^\d+\.\d+\.\d+$/);
    expect(s.destination).toEqual({ name: 'prod-eu-west-1', namespace: 'monitoring' });
    expect(s.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['CreateNamespace=true', 'ServerSideApply=true']));
    // External etcd members are scraped by address; Grafana has no password in git.
    expect(s.source.helm.valuesObject.kubeEtcd.endpoints).toEqual(['10.10.1.10', '10.10.1.11', '10.10.1.12']);
    expect(JSON.stringify(s.source.helm.valuesObject)).not.toMatch(/adminPassword/);
  });

  it('merges spec values over kprod defaults and honours chartVersion', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].addons.monitoring = { chartVersion: '70.0.0', values: { prometheus: { prometheusSpec: { retention: '30d' } }, grafana: { enabled: false } } };
    const parsed = parseFleet(input).spec;
    const app = monitoringHelmApplication(parsed.environments[0].clusters[0], parsed.environments[0])! as any;
    const values = app.spec.source.helm.valuesObject;
    expect(app.spec.source.targetRevision).toBe('70.0.0');
    expect(values.prometheus.prometheusSpec.retention).toBe('30d');
    expect(values.prometheus.prometheusSpec.replicas).toBe(2);
    expect(values.grafana).toEqual({ enabled: false, admin: { existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } });
  });
});
