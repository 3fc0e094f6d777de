import facts from '../../upstream/day2/update-rules.json';
import { OPENSTACK_CLUSTER_MUTABLE } from '../../lib/day2/openstack-cluster-update';
import { CORE_FEATURE_GATES } from '../../stacks/bootstrap/capi-providers';
import { MANIFEST_GENERATE_PATHS, NO_PRUNE, SYNC_OPTIONS } from '../../lib/gitops/argocd-annotations';
import { helmApplication } from '../../lib/platform/helm-application';
import { parseFleet } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';

describe('recorded upstream update rules (upstream/day2/update-rules.json)', () => {
  it('are dated and pinned to the releases kprod targets', () => {
    expect(facts.checked).toBe('2026-12-01');
    expect(Object.values(facts.sources).map((s) => `${s.repo}@${s.tag}`)).toEqual([
      'kubernetes-sigs/cluster-api@v1.14.0',
      'kubernetes-sigs/cluster-api-provider-openstack@v0.14.7',
      'metal3-io/cluster-api-provider-metal3@v1.13.2',
      'argoproj/argo-cd@v3.5.1',
    ]);
    for (const s of Object.values(facts.sources)) expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('the OpenStackCluster rule of lib/day2 uses exactly the recorded mutable fields', () => {
    expect([...OPENSTACK_CLUSTER_MUTABLE]).toEqual(facts.capo.openStackClusterMutable);
  });

  it('MachineSet preflight checks: on by default upstream, and pinned on by the bootstrap', () => {
    expect(facts.clusterApi.machineSetPreflightChecksDefault).toBe(true);
    expect(CORE_FEATURE_GATES.MachineSetPreflightChecks).toBe(true);
  });

  it('Argo CD: the annotations, the finalizer and the tracking the layout switch relies on are the recorded ones', () => {
    expect(MANIFEST_GENERATE_PATHS).toBe(facts.argoCd.manifestGeneratePathsAnnotation);
    expect(`${SYNC_OPTIONS}: ${NO_PRUNE}`).toBe(facts.argoCd.pruneDisabled.split(',')[0]);
    // lib/day2/argocd-moves.ts assumes annotation tracking and a cascading finalizer on the Helm Applications.
    expect(facts.argoCd.defaultTrackingMethod).toBe('annotation');
    const env = parseFleet(exampleFleet()).spec.environments[0];
    const app = helmApplication(env.clusters[0], env, { name: 'x', chart: { repoURL: 'https://charts.example.com', chart: 'x', version: '1.0.0' }, releaseName: 'x', namespace: 'x', syncWave: 0, values: {} });
    expect((app.metadata as { finalizers: string[] }).finalizers).toEqual([facts.argoCd.cascadingDeletionFinalizer]);
  });
});
