// PLACEHOLDER owned by the tenancy helper: replaced with the real plugin configurations.
import type { ClusterSpec } from '../spec';

/** One admission plugin the apiserver must enable, with its configuration object (or none). */
export interface AdmissionPlugin {
  readonly name: string;
  /** The `configuration` object of the plugin in AdmissionConfiguration (apiserver.config.k8s.io/v1). */
  readonly configuration?: Record<string, unknown>;
}

/** Admission plugins the cluster's tenants need (PodNodeSelector, PodTolerationRestriction, ...). */
export function tenancyAdmissionPlugins(cluster: ClusterSpec): AdmissionPlugin[] {
  void cluster;
  return [];
}
