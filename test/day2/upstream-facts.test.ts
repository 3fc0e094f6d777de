import facts from '../../upstream/day2/update-rules.json';
import { formatPath } from '../../lib/check/paths';
import { schemaIndex } from '../../lib/check/schemas';
import { openStackCluster } from '../../lib/check/webhooks/capo';
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

  describe("the OpenStackCluster webhook rule (lib/check/webhooks/capo.ts, which kprod plan's transition rule reuses)", () => {
    type Schema = { type?: string; properties?: Record<string, Schema>; items?: Schema };
    const spec = schemaIndex().crds.get('infrastructure.cluster.x-k8s.io/v1beta1|OpenStackCluster')!.schema.properties as Record<string, Schema>;
    const fields = spec.spec.properties!;
    /** Two different values a field of this schema can hold. */
    const twoValues = (s: Schema): [unknown, unknown] => {
      if (s.type === 'boolean') return [false, true];
      if (s.type === 'integer' || s.type === 'number') return [1, 2];
      if (s.type === 'array') return [[], [twoValues(s.items ?? {})[0]]];
      if (s.type === 'object') {
        const [key, child] = Object.entries(s.properties ?? { key: {} })[0];
        return [{}, { [key]: twoValues(child)[1] }];
      }
      return ['a', 'b'];
    };
    const refusals = (old: object, next: object) => openStackCluster({ spec: next }, { spec: old }).map((e) => `${formatPath(e.segs)}: ${e.message}`);
    // Managed subnets are matched by CIDR; the parents of nested entries are present on both sides.
    const subnet = { cidr: '10.6.0.0/24' };
    const parentOf = (field: string): object => (field === 'managedSubnets' ? [subnet] : {});
    const change = (path: string): [object, object] => {
      const [parent, child] = path.split(/\[\]\.|\./);
      if (!child) {
        const [a, b] = twoValues(fields[parent]);
        return [{ [parent]: a }, { [parent]: b }];
      }
      const list = path.includes('[].');
      const schema = list ? fields[parent].items! : fields[parent];
      const [a, b] = twoValues(schema.properties![child]);
      const wrap = (v: unknown) => (list ? [{ ...subnet, [child]: v }] : { [child]: v });
      return [{ [parent]: wrap(a) }, { [parent]: wrap(b) }];
    };
    const mutable = facts.capo.openStackClusterMutable;
    const settableOnce = Object.keys(facts.capo.openStackClusterSettableOnce);
    const parents = new Set(mutable.filter((p) => /\.|\[\]/.test(p)).map((p) => p.split(/[.[]/)[0]));

    it.each(mutable)('lets %s change (recorded in upstream/day2/update-rules.json)', (path) => {
      expect(fields[path.split(/[.[]/)[0]]).toBeDefined();
      expect(refusals(...change(path))).toEqual([]);
    });

    it("refuses a change of every other field of CAPO's schema, those the live status may allow included", () => {
      const immutable = Object.keys(fields).filter((f) => !mutable.includes(f) && !settableOnce.includes(f) && !parents.has(f));
      expect(immutable).toEqual(expect.arrayContaining(facts.capo.openStackClusterMutableByStatus));
      for (const parent of parents) {
        const list = fields[parent].type === 'array';
        const children = Object.keys((list ? fields[parent].items! : fields[parent]).properties!);
        for (const child of children) if (child !== 'cidr' && !mutable.includes(`${parent}${list ? '[]' : ''}.${child}`)) immutable.push(`${parent}${list ? '[]' : ''}.${child}`);
      }
      expect(immutable).toEqual(expect.arrayContaining(['network', 'apiServerLoadBalancer.provider', 'managedSubnets[].allocationPools']));
      for (const path of immutable) expect([path, refusals(...change(path))]).toEqual([path, ['spec: cannot be modified']]);
    });

    it('lets the endpoint, the fixed IP and the port be set once (the last two without a floating IP), not changed', () => {
      expect(settableOnce).toEqual(['controlPlaneEndpoint', 'apiServerFixedIP', 'apiServerPort']);
      const noFip = { disableAPIServerFloatingIP: true };
      expect(refusals({ controlPlaneEndpoint: { port: 6443 } }, { controlPlaneEndpoint: { host: 'api.example.com', port: 6443 } })).toEqual([]);
      expect(refusals({}, { controlPlaneEndpoint: { host: 'api.example.com', port: 6443 } })).toEqual([]);
      expect(refusals({ controlPlaneEndpoint: { host: 'a.example.com', port: 6443 } }, { controlPlaneEndpoint: { host: 'b.example.com', port: 6443 } })).toEqual(['spec: cannot be modified']);
      expect(refusals(noFip, { ...noFip, apiServerFixedIP: '10.0.0.5', apiServerPort: 6443 })).toEqual([]);
      expect(refusals({ ...noFip, apiServerFixedIP: '10.0.0.5' }, { ...noFip, apiServerFixedIP: '10.0.0.6' })).toEqual(['spec: cannot be modified']);
      expect(refusals({ ...noFip, apiServerPort: 6443 }, { ...noFip, apiServerPort: 8443 })).toEqual(['spec: cannot be modified']);
      expect(refusals({}, { apiServerFixedIP: '10.0.0.5' })).toEqual(['spec: cannot be modified']);
    });
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
