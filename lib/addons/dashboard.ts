/**
 * The cluster dashboard add-on (`addons.dashboard`), read-only. It installs Headlamp
 * (kubernetes-sigs/headlamp): the Kubernetes Dashboard project was archived upstream in January
 * 2026. Users sign in with their own bearer token, so what they see is what their RBAC allows:
 * kprod binds its viewer groups to a read-only ClusterRole and turns off the chart's default
 * ClusterRoleBinding of Headlamp's service account to cluster-admin (no other binding).
 */
import type { ClusterSpec } from '../spec';
import { clusterRole, subjectsOf, type PolicyRule } from '../tenancy/rbac';
import type { Manifest } from '../tenancy/manifest';
import { CHARTS } from '../versions/pins';
import type { HelmAddon } from './helm-application';
import { mergeValues } from './values';

export const HEADLAMP = {
  repoURL: CHARTS.headlamp.repoURL,
  chart: CHARTS.headlamp.chart,
  /** Pinned chart version; `addons.dashboard.chartVersion` overrides it. */
  version: CHARTS.headlamp.version,
  releaseName: 'headlamp',
  namespace: 'headlamp',
} as const;

/**
 * Values that would let Headlamp show more than the signed-in user may see: a ClusterRoleBinding
 * of its own service account (cluster-admin by default), or signing users in with that account.
 */
export function dashboardPrivilegeEscalation(values: Record<string, unknown>): string | undefined {
  const v = values as { clusterRoleBinding?: { create?: unknown }; config?: { unsafeUseServiceAccountToken?: unknown } };
  if (v.clusterRoleBinding?.create === true) return 'clusterRoleBinding.create';
  if (v.config?.unsafeUseServiceAccountToken === true) return 'config.unsafeUseServiceAccountToken';
  return undefined;
}

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

/** Headlamp as an instance of the generic Helm add-on; undefined unless enabled. */
export function dashboardAddon(cluster: ClusterSpec): HelmAddon | undefined {
  const dashboard = cluster.addons.dashboard;
  if (!dashboard.enabled) return undefined;
  const defaults = {
    // The chart binds its service account to cluster-admin by default; users bring their own token instead.
    clusterRoleBinding: { create: false },
    config: { inClusterContextName: cluster.name, unsafeUseServiceAccountToken: false },
    securityContext: { runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  };
  return {
    name: 'dashboard',
    repoURL: HEADLAMP.repoURL,
    chart: HEADLAMP.chart,
    version: dashboard.chartVersion ?? HEADLAMP.version,
    namespace: HEADLAMP.namespace,
    releaseName: HEADLAMP.releaseName,
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
