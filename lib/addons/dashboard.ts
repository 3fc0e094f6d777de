/**
 * Kubernetes Dashboard as a read-only add-on. The chart (7.x) signs users in with their own
 * bearer token, so what they see is what their RBAC allows: kprod binds its viewer groups to a
 * read-only ClusterRole and creates no other binding (no cluster-admin, no skip-login).
 */
import type { ClusterSpec } from '../spec';
import { clusterRole, subjectsOf, type PolicyRule } from '../tenancy/rbac';
import type { Manifest } from '../tenancy/manifest';
import type { HelmAddon } from './helm-application';
import { mergeValues } from './values';

export const KUBERNETES_DASHBOARD = {
  repoURL: 'https://kubernetes.github.io/dashboard/',
  chart: 'kubernetes-dashboard',
  /** Pinned chart version; `addons.dashboard.chartVersion` overrides it. */
  version: '7.13.0',
  releaseName: 'kubernetes-dashboard',
  namespace: 'kubernetes-dashboard',
} as const;

/** The read-only ClusterRole (and its ClusterRoleBinding) the viewer groups get. */
export const DASHBOARD_VIEWER_ROLE = 'kprod:dashboard-viewer';

const READ = ['get', 'list', 'watch'];

/**
 * What the Dashboard shows, read-only. Secrets are left out on purpose (a viewer could read
 * every token in the cluster); no rule names a write verb, `*`, escalate, bind or impersonate.
 */
export function dashboardViewerRules(): PolicyRule[] {
  return [
    {
      apiGroups: [''],
      resources: [
        'pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'persistentvolumes', 'nodes',
        'namespaces', 'events', 'serviceaccounts', 'replicationcontrollers', 'resourcequotas', 'limitranges',
      ],
      verbs: READ,
    },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], verbs: READ },
    { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses', 'networkpolicies'], verbs: READ },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
    { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: READ },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'], verbs: READ },
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
    { apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: READ },
  ];
}

/** The Dashboard as an instance of the generic Helm add-on; undefined unless enabled. */
export function dashboardAddon(cluster: ClusterSpec): HelmAddon | undefined {
  const dashboard = cluster.addons.dashboard;
  if (!dashboard.enabled) return undefined;
  const defaults = { app: { settings: { global: { clusterName: cluster.name } } }, metricsScraper: { enabled: true } };
  return {
    name: 'dashboard',
    repoURL: KUBERNETES_DASHBOARD.repoURL,
    chart: KUBERNETES_DASHBOARD.chart,
    version: dashboard.chartVersion ?? KUBERNETES_DASHBOARD.version,
    namespace: KUBERNETES_DASHBOARD.namespace,
    releaseName: KUBERNETES_DASHBOARD.releaseName,
    values: mergeValues(defaults, dashboard.values as Record<string, unknown>),
    syncWave: 0,
  };
}

/** The viewer ClusterRole and its binding to `addons.dashboard.viewerGroups` (with the OIDC groups prefix). */
export function dashboardViewerObjects(cluster: ClusterSpec): Manifest[] {
  const subjects = subjectsOf(cluster, { groups: [...cluster.addons.dashboard.viewerGroups], users: [] });
  return [
    clusterRole(DASHBOARD_VIEWER_ROLE, dashboardViewerRules()),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: DASHBOARD_VIEWER_ROLE, labels: { 'app.kubernetes.io/managed-by': 'kprod' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: DASHBOARD_VIEWER_ROLE },
      subjects,
    },
  ];
}
