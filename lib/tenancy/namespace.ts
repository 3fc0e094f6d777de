import { parseKubernetesVersion } from '../versions/supported';
import type { ClusterSpec, TenantSpec } from '../spec';
import {
  DEFAULT_TOLERATIONS_ANNOTATION,
  FLEET_LABEL,
  isIsolated,
  NODE_SELECTOR_ANNOTATION,
  TENANT_LABEL,
  tenantNodeSelector,
  tenantToleration,
  TOLERATIONS_WHITELIST_ANNOTATION,
  tolerationsWhitelist,
  anyTenantIsolated,
} from './isolation';
import { SYNC_WAVE_ANNOTATION, type Manifest } from './manifest';

const PSA = 'pod-security.kubernetes.io';

/**
 * Pod Security Admission labels: `enforce` at the namespace's level, `audit` and `warn` always at
 * `restricted` so that owners of baseline/privileged namespaces see what the strict profile would
 * reject. Versions are pinned to the cluster's minor so a Kubernetes upgrade never tightens the
 * policy silently; the pin moves with `kubernetesVersion`.
 */
export function podSecurityLabels(level: TenantSpec['podSecurity'], kubernetesVersion: string): Record<string, string> {
  const v = parseKubernetesVersion(kubernetesVersion);
  const version = v ? `v${v.major}.${v.minor}` : 'latest';
  return {
    [`${PSA}/enforce`]: level,
    [`${PSA}/enforce-version`]: version,
    [`${PSA}/audit`]: 'restricted',
    [`${PSA}/audit-version`]: version,
    [`${PSA}/warn`]: 'restricted',
    [`${PSA}/warn-version`]: version,
  };
}

/**
 * Annotations read by PodNodeSelector and PodTolerationRestriction. Only rendered when the cluster
 * has an isolated tenant (the plugins are enabled then); every tenant namespace then gets a
 * whitelist so that no tenant can tolerate another tenant's dedicated pools.
 */
export function isolationAnnotations(cluster: Pick<ClusterSpec, 'tenants'>, tenant: Pick<TenantSpec, 'name' | 'nodePools'>): Record<string, string> {
  if (!anyTenantIsolated(cluster)) return {};
  return {
    ...(isIsolated(tenant)
      ? {
          [NODE_SELECTOR_ANNOTATION]: tenantNodeSelector(tenant.name),
          [DEFAULT_TOLERATIONS_ANNOTATION]: JSON.stringify([tenantToleration(tenant.name)]),
        }
      : {}),
    [TOLERATIONS_WHITELIST_ANNOTATION]: JSON.stringify(tolerationsWhitelist(tenant)),
  };
}

/** The Namespace of one tenant namespace, applied before everything that lives in it (sync wave -1). */
export function tenantNamespace(cluster: ClusterSpec, tenant: TenantSpec, namespace: TenantSpec['namespaces'][number]): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespace.name,
      labels: {
        [TENANT_LABEL]: tenant.name,
        [FLEET_LABEL]: cluster.fleet,
        ...podSecurityLabels(namespace.podSecurity ?? tenant.podSecurity, cluster.kubernetesVersion),
      },
      annotations: { [SYNC_WAVE_ANNOTATION]: '-1', ...isolationAnnotations(cluster, tenant) },
    },
  };
}
