import { exampleFleet } from '../helpers/fleet';
import { synthObjects } from '../helpers/synth';
import { mainSource } from '../../lib/platform/helm-application';

/**
 * The apiserver enforces Pod Security `baseline` cluster-wide (kube-system exempt). Every pod that
 * needs more (host network, host PID, hostPath volumes, privileged containers) must live in a
 * namespace labelled `enforce: privileged`, or Argo CD would sync objects whose pods never start.
 */
const POD_KINDS = ['Deployment', 'DaemonSet', 'StatefulSet', 'CronJob', 'Job'];

function podSpec(obj: any): any {
  return obj.kind === 'CronJob' ? obj.spec.jobTemplate.spec.template.spec : obj.spec.template.spec;
}

function needsPrivileged(spec: any): string[] {
  const reasons: string[] = [];
  if (spec.hostNetwork) reasons.push('hostNetwork');
  if (spec.hostPID) reasons.push('hostPID');
  if ((spec.volumes ?? []).some((v: any) => v.hostPath)) reasons.push('hostPath');
  if ([...(spec.containers ?? []), ...(spec.initContainers ?? [])].some((c: any) => c.securityContext?.privileged)) reasons.push('privileged');
  return reasons;
}

describe('Pod Security of the synthesized workloads', () => {
  const objects = synthObjects(exampleFleet());

  it('every host-level workload runs in kube-system or a namespace that enforces privileged', () => {
    const workload = objects.filter(({ file }) => /\/(addons|tenants)\//.test(file));
    const namespaces = new Map<string, string>();
    for (const { file, obj } of workload)
      if (obj.kind === 'Namespace') namespaces.set(`${file.split('/').slice(0, 2).join('/')}/${obj.metadata.name}`, obj.metadata.labels?.['pod-security.kubernetes.io/enforce']);
    const offenders: string[] = [];
    let hostLevel = 0;
    for (const { file, obj } of workload) {
      if (!POD_KINDS.includes(obj.kind)) continue;
      const reasons = needsPrivileged(podSpec(obj));
      if (!reasons.length) continue;
      hostLevel++;
      const ns = obj.metadata.namespace;
      const level = namespaces.get(`${file.split('/').slice(0, 2).join('/')}/${ns}`);
      if (ns !== 'kube-system' && level !== 'privileged') offenders.push(`${file} (${reasons.join(', ')}) in ${ns} enforcing ${level ?? 'the cluster default'}`);
    }
    expect(offenders).toEqual([]);
    // NPD, Fluent Bit, the CSR approver and the etcd backup are host-level: the check is not vacuous.
    expect(hostLevel).toBeGreaterThanOrEqual(5);
  });

  it('Helm add-ons with host-level agents get a privileged namespace from Argo CD', () => {
    const apps = objects.filter(({ obj }) => obj.kind === 'Application' && mainSource(obj).chart);
    const level = (chart: string) =>
      apps.filter(({ obj }) => mainSource(obj).chart === chart).map(({ obj }) => obj.spec.syncPolicy.managedNamespaceMetadata?.labels?.['pod-security.kubernetes.io/enforce']);
    expect(level('kube-prometheus-stack')).toEqual(['privileged', 'privileged']);
    expect(level('tigera-operator')).toEqual(['privileged']);
    for (const { obj } of apps) {
      if (obj.spec.syncPolicy.managedNamespaceMetadata) expect(obj.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
    }
  });
});
