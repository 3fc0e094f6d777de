import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { CLOUD_CONFIG_SECRET, OCCM_CHART_VERSIONS, occmApplication, occmChart } from '../../../lib/platform/cloud-controller-manager';
import { SUPPORTED_MINORS } from '../../../lib/versions/supported';
import { exampleClusters } from './example-clusters';

describe('openstack-cloud-controller-manager', () => {
  const { prod, prodEnv, staging, stagingEnv } = exampleClusters();
  const app: any = occmApplication(prod, prodEnv);
  const values = app.spec.source.helm.valuesObject;

  it('exists only for OpenStack clusters', () => {
    expect(app).toEqual(expect.objectContaining({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' }));
    expect(app.metadata.name).toBe('eu-west-1-openstack-cloud-controller-manager');
    expect(occmApplication(staging, stagingEnv)).toBeUndefined();
  });

  it('is a valid Application of the pinned chart, into kube-system of the workload cluster, wave -5', () => {
    expect(() => new Application(app).validate()).not.toThrow();
    expect(app.spec.source).toMatchObject({ repoURL: 'https://kubernetes.github.io/cloud-provider-openstack', chart: 'openstack-cloud-controller-manager', targetRevision: '2.36.0' });
    expect(app.spec.destination).toEqual({ name: 'prod-eu-west-1', namespace: 'kube-system' });
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-5');
    expect(app.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
  });

  it('references the cloud-config Secret by name and never creates it', () => {
    expect(values.secret).toEqual({ enabled: true, create: false, name: CLOUD_CONFIG_SECRET.name });
    expect(values.cloudConfig).toBeUndefined();
    expect(JSON.stringify(app)).not.toMatch(/password|application-credential-secret|auth-url/i);
  });

  it('runs on control-plane nodes and tolerates the taints it exists to remove', () => {
    expect(values.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
    const keys = values.tolerations.map((t: any) => t.key);
    expect(keys).toEqual(expect.arrayContaining(['node.cloudprovider.kubernetes.io/uninitialized', 'node-role.kubernetes.io/control-plane', 'node.kubernetes.io/not-ready']));
    expect(values.tolerations.find((t: any) => t.key === 'node.cloudprovider.kubernetes.io/uninitialized')).toEqual({ key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' });
    expect(values.cluster).toEqual({ name: 'eu-west-1' });
    expect(values.enabledControllers).not.toContain('route');
  });

  it('pins a chart whose minor matches the Kubernetes minor, for every supported minor', () => {
    for (const minor of SUPPORTED_MINORS) {
      const chart = occmChart({ name: 'c', kubernetesVersion: `v${minor}.2` });
      expect(chart.version.split('.').slice(1, 2)[0]).toBe(minor.split('.')[1]);
      expect(chart.version.startsWith('2.')).toBe(true);
    }
    expect(Object.keys(OCCM_CHART_VERSIONS).sort()).toEqual([...SUPPORTED_MINORS].sort());
  });

  it('names the field and the pinned minors for a version without a chart', () => {
    expect(() => occmChart({ name: 'old', kubernetesVersion: '1.29.3' })).toThrow(/clusters\.old\.kubernetesVersion: no openstack-cloud-controller-manager chart pinned for "1\.29\.3"; pinned minors: 1\.35, 1\.36/);
  });
});
