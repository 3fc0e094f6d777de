import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { addAddons } from '../../constructs/addons';
import { dashboardAddon, HEADLAMP } from '../../lib/addons/dashboard';
import { helmAddonOptions } from '../../lib/addons/helm-application';
import { helmApplication } from '../../lib/platform/helm-application';
import { monitoringHelmApplication } from '../../lib/observability/monitoring-application';
import { parseFleet, SpecError } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';
import { synthObjects } from '../helpers/synth';

const CERT_MANAGER = {
  name: 'cert-manager',
  repoURL: 'https://charts.jetstack.io',
  chart: 'cert-manager',
  version: '1.18.2',
  namespace: 'cert-manager',
  values: { crds: { enabled: true } },
  syncWave: -3,
};

/** The example fleet with add-ons set on the prod cluster. */
function withAddons(addons: Record<string, unknown>): any {
  const input = exampleFleet();
  Object.assign(input.environments[0].clusters[0].addons, addons);
  return input;
}

/** The issues parseFleet reports for `input`, as "path: message" lines. */
function specErrors(input: unknown): string[] {
  try {
    parseFleet(input);
  } catch (e) {
    if (e instanceof SpecError) return e.issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

const HELM = 'environments[0].clusters[0].addons.helm';

describe('addons.helm validation', () => {
  it('accepts a pinned chart and defaults the release name and values', () => {
    const addon = parseFleet(withAddons({ helm: [{ ...CERT_MANAGER, values: undefined, syncWave: undefined }] })).spec.environments[0].clusters[0].addons.helm[0];
    expect(addon).toMatchObject({ name: 'cert-manager', version: '1.18.2', values: {}, syncWave: 0 });
    expect(addon.releaseName).toBeUndefined();
  });

  it.each(['^1.18.0', '~1.18', '1.x', '*', '>=1.0.0', 'latest', '1.18'])('rejects the version range %j', (version) => {
    expect(specErrors(withAddons({ helm: [{ ...CERT_MANAGER, version }] }))).toEqual([expect.stringMatching(new RegExp(`^${escape(HELM)}\\[0\\]\\.version: must be an exact chart version`))]);
  });

  it('reports duplicate names, built-in names and plain-http repositories together, each with its path', () => {
    const errors = specErrors(
      withAddons({
        helm: [CERT_MANAGER, { ...CERT_MANAGER, namespace: 'other' }, { ...CERT_MANAGER, name: 'monitoring' }, { ...CERT_MANAGER, name: 'addon-x' }, { ...CERT_MANAGER, name: 'x', repoURL: 'http://charts.example.com' }],
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        `${HELM}[1].name: duplicate add-on name: also used at addons.helm[0]`,
        expect.stringMatching(new RegExp(`^${escape(HELM)}\\[2\\]\\.name: is the name of a built-in add-on`)),
        expect.stringMatching(new RegExp(`^${escape(HELM)}\\[3\\]\\.name: starts with "addon-"`)),
        expect.stringMatching(new RegExp(`^${escape(HELM)}\\[4\\]\\.repoURL: must be an https://`)),
      ]),
    );
    expect(errors).toHaveLength(4);
  });

  it('pins monitoring.chartVersion and dashboard.chartVersion the same way', () => {
    const errors = specErrors(withAddons({ monitoring: { chartVersion: '^70' }, dashboard: { enabled: true, viewerGroups: ['ops'], chartVersion: '7.x' } }));
    expect(errors).toEqual([
      expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.addons\.monitoring\.chartVersion: must be an exact chart version/),
      expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.addons\.dashboard\.chartVersion: must be an exact chart version/),
    ]);
  });

  it('needs a viewer group for an enabled dashboard and refuses values that would give Headlamp its own privileges', () => {
    expect(specErrors(withAddons({ dashboard: { enabled: true } }))).toEqual([expect.stringMatching(/addons\.dashboard\.viewerGroups: an enabled dashboard needs at least one viewer group/)]);
    expect(specErrors(withAddons({ dashboard: { enabled: true, viewerGroups: ['ops'], values: { clusterRoleBinding: { create: true } } } }))).toEqual([
      expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.addons\.dashboard\.values\.clusterRoleBinding\.create: the dashboard is read-only with per-user sign-in; Headlamp.s service account gets no ClusterRoleBinding/),
    ]);
    expect(specErrors(withAddons({ dashboard: { enabled: true, viewerGroups: ['ops'], values: { config: { unsafeUseServiceAccountToken: true } } } }))).toEqual([
      expect.stringMatching(/addons\.dashboard\.values\.config\.unsafeUseServiceAccountToken: the dashboard is read-only/),
    ]);
  });
});

function escape(text: string): string {
  return text.replace(/[.[\]]/g, (c) => `\\${c}`);
}

describe('helmApplication', () => {
  const { spec } = parseFleet(withAddons({ helm: [CERT_MANAGER] }));
  const env = spec.environments[0];
  const cluster = env.clusters[0];
  const app = helmApplication(cluster, env, helmAddonOptions(cluster.addons.helm[0])) as any;

  it('is a valid Argo CD Application of the pinned chart with the given values', () => {
    expect(() => new Application(app).validate()).not.toThrow();
    expect(app.metadata).toMatchObject({ name: 'eu-west-1-cert-manager', namespace: env.gitops.argocdNamespace, annotations: { 'argocd.argoproj.io/sync-wave': '-3' } });
    expect(app.spec.source).toEqual({
      repoURL: 'https://charts.jetstack.io',
      chart: 'cert-manager',
      targetRevision: '1.18.2',
      helm: { releaseName: 'cert-manager', valuesObject: { crds: { enabled: true } } },
    });
  });

  it('targets the registered workload cluster and syncs automatically as the environment says', () => {
    expect(app.spec.destination).toEqual({ name: 'prod-eu-west-1', namespace: 'cert-manager' });
    expect(app.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['CreateNamespace=true', 'ServerSideApply=true']));
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    const noPrune = parseFleet(
      (() => {
        const input = withAddons({ helm: [CERT_MANAGER] });
        input.environments[0].gitops.prune = false;
        return input;
      })(),
    ).spec.environments[0];
    expect((helmApplication(noPrune.clusters[0], noPrune, helmAddonOptions(noPrune.clusters[0].addons.helm[0])) as any).spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: true });
  });

  it('builds the kube-prometheus-stack Application as an instance of the same form', () => {
    const monitoring = monitoringHelmApplication(cluster, env) as any;
    expect(Object.keys(monitoring.spec).sort()).toEqual(Object.keys(app.spec).sort());
    // Same sync policy, plus a privileged namespace for node-exporter's host access.
    const { managedNamespaceMetadata, ...policy } = monitoring.spec.syncPolicy;
    expect(policy).toEqual(app.spec.syncPolicy);
    expect(managedNamespaceMetadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(app.spec.syncPolicy.managedNamespaceMetadata).toBeUndefined();
    expect(monitoring.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
  });
});

describe('addAddons on the example fleet', () => {
  const capability = [addAddons];

  it('adds no Dashboard by default, only the monitoring Application', () => {
    const objects = synthObjects(exampleFleet(), capability);
    const apps = objects.filter((o) => o.obj.kind === 'Application').map((o) => o.obj.metadata.name);
    expect(apps).toEqual(expect.arrayContaining(['eu-west-1-monitoring', 'dc1-monitoring']));
    expect(apps.filter((n) => n.includes('dashboard'))).toEqual([]);
    expect(objects.filter((o) => o.file.includes('/addons/dashboard/'))).toEqual([]);
  });

  describe('with the Dashboard and a user add-on', () => {
    const objects = synthObjects(withAddons({ helm: [CERT_MANAGER], dashboard: { enabled: true, viewerGroups: ['platform-viewers'] } }), capability);
    const apps = objects.filter((o) => o.obj.kind === 'Application').map((o) => o.obj);
    const rbac = objects.filter((o) => o.file.startsWith('prod/eu-west-1/addons/dashboard/')).map((o) => o.obj);

    it('writes one Application per Helm add-on into the environment argocd/ folder', () => {
      const helm = objects.filter((o) => o.file.startsWith('prod/argocd/') && o.obj.kind === 'Application' && o.obj.spec.source?.chart);
      expect(helm.map((o) => o.obj.metadata.name).sort()).toEqual(['eu-west-1-cert-manager', 'eu-west-1-dashboard', 'eu-west-1-monitoring']);
      // The Dashboard's RBAC folder gets its own folder Application.
      expect(apps.map((a) => a.metadata.name)).toContain('eu-west-1-addon-dashboard');
      for (const app of apps) expect(() => new Application(app).validate()).not.toThrow();
    });

    it('installs the pinned Headlamp chart without its default cluster-admin binding', () => {
      const dashboard = apps.find((a) => a.metadata.name === 'eu-west-1-dashboard');
      expect(dashboard.spec.source).toMatchObject({ repoURL: 'https://kubernetes-sigs.github.io/headlamp/', chart: 'headlamp', targetRevision: HEADLAMP.version });
      expect(dashboard.spec.source.targetRevision).toBe('0.45.0');
      expect(dashboard.spec.destination).toEqual({ name: 'prod-eu-west-1', namespace: 'headlamp' });
      const values = dashboard.spec.source.helm.valuesObject;
      expect(values.clusterRoleBinding).toEqual({ create: false });
      expect(values.config).toMatchObject({ inClusterContextName: 'eu-west-1', unsafeUseServiceAccountToken: false });
      expect(JSON.stringify(values)).not.toMatch(/cluster-admin/);
    });

    it('binds the viewer groups (with the OIDC prefix) to a read-only ClusterRole without Secrets', () => {
      expect(rbac.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding']);
      const role = rbac.find((o) => o.kind === 'ClusterRole');
      const binding = rbac.find((o) => o.kind === 'ClusterRoleBinding');
      expect(() => new ClusterRole(role).validate()).not.toThrow();
      expect(() => new ClusterRoleBinding(binding).validate()).not.toThrow();
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name });
      expect(binding.subjects).toEqual([{ kind: 'Group', name: 'oidc:platform-viewers', apiGroup: 'rbac.authorization.k8s.io' }]);
      for (const rule of role.rules) {
        expect(rule.verbs.filter((v: string) => !['get', 'list', 'watch'].includes(v))).toEqual([]);
        expect(rule.resources).not.toContain('secrets');
        expect(rule.resources).not.toContain('*');
        expect(rule.apiGroups).not.toContain('*');
      }
      expect(role.rules.flatMap((r: any) => r.resources)).toEqual(expect.arrayContaining(['pods', 'deployments', 'nodes', 'events']));
    });

    it('grants cluster-admin nowhere', () => {
      const refs = objects.filter((o) => o.obj.roleRef).map((o) => o.obj.roleRef.name);
      expect(refs.length).toBeGreaterThan(0);
      expect(refs).not.toContain('cluster-admin');
    });

    it('leaves the staging cluster without a Dashboard', () => {
      expect(dashboardAddon(parseFleet(exampleFleet()).spec.environments[1].clusters[0])).toBeUndefined();
      expect(objects.filter((o) => o.file.startsWith('staging/dc1/addons/dashboard/'))).toEqual([]);
    });
  });
});
