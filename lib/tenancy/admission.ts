import type { ClusterSpec } from '../spec';
import { anyTenantIsolated } from './isolation';

/** One admission plugin the apiserver must enable, with its configuration object (or none). */
export interface AdmissionPlugin {
  readonly name: string;
  /** The `configuration` object of the plugin in AdmissionConfiguration (apiserver.config.k8s.io/v1). */
  readonly configuration?: Record<string, unknown>;
}

/**
 * Admission plugins the cluster's tenants need. Returns nothing unless a tenant is isolated onto
 * dedicated node pools; then:
 *
 * - `PodNodeSelector`: merges the namespace annotation `scheduler.alpha.kubernetes.io/node-selector`
 *   into every pod and rejects pods whose selector conflicts with it. Its configuration (unversioned,
 *   `podNodeSelectorPluginConfig`) holds only an empty cluster default: per-namespace whitelists would
 *   put tenant namespaces into the apiserver config (a control-plane rollout per namespace change) and
 *   forbid harmless extra selectors; the annotation alone enforces the tenant's pool.
 * - `PodTolerationRestriction` (`podtolerationrestriction.admission.k8s.io/v1alpha1`, `Configuration`):
 *   no cluster-wide default or whitelist, so system namespaces stay unrestricted; tenant namespaces carry
 *   their own `defaultTolerations` / `tolerationsWhitelist` annotations.
 *
 * PodSecurity is configured by the control plane, not here.
 */
export function tenancyAdmissionPlugins(cluster: ClusterSpec): AdmissionPlugin[] {
  if (!anyTenantIsolated(cluster)) return [];
  return [
    {
      name: 'PodNodeSelector',
      configuration: { podNodeSelectorPluginConfig: { clusterDefaultNodeSelector: '' } },
    },
    {
      name: 'PodTolerationRestriction',
      configuration: {
        apiVersion: 'podtolerationrestriction.admission.k8s.io/v1alpha1',
        kind: 'Configuration',
        default: [],
        whitelist: [],
      },
    },
  ];
}
