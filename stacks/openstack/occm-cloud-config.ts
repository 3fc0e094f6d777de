/**
 * OCCM's cloud config for an OpenStack workload cluster, delivered by Cluster API: the Secret
 * `kube-system/cloud-config` (key `cloud.conf`) is rendered here and wrapped in a
 * ClusterResourceSet Secret on the management cluster; the ClusterResourceSet in `dist/`
 * (constructs/platform/occm-cloud-config.ts) names that Secret.
 */
import { stringify } from 'yaml';
import { CLOUD_CONFIG_SECRET } from '../../lib/platform/cloud-controller-manager';

/** Secret type the ClusterResourceSet controller requires of the Secrets it applies. */
export const CLUSTER_RESOURCE_SET_SECRET_TYPE = 'addons.cluster.x-k8s.io/resource-set';

/** Key of the ClusterResourceSet Secret holding the manifest. */
export const OCCM_CLOUD_CONFIG_KEY = 'cloud-config.yaml';

/** The workload cluster's `kube-system/cloud-config` Secret as YAML, holding `cloud.conf` (OCCM's INI). */
export function occmCloudConfigManifest(cloudConf: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: CLOUD_CONFIG_SECRET.name, namespace: CLOUD_CONFIG_SECRET.namespace },
    type: 'Opaque',
    stringData: { [CLOUD_CONFIG_SECRET.key]: cloudConf },
  });
}
