import type { ClusterSpec } from './spec';

/**
 * Names shared by the synthesized objects and the Pulumi stacks, so that what one creates the
 * other finds. Everything is derived from environment and cluster name.
 */
export const names = {
  /** Namespace on the management cluster holding the cluster's Cluster API objects and Secrets. */
  capiNamespace: (c: Pick<ClusterSpec, 'environment' | 'name'>) => `${c.environment}-${c.name}`,
  /** Argo CD destination name of the workload cluster. */
  argocdCluster: (c: Pick<ClusterSpec, 'environment' | 'name'>) => `${c.environment}-${c.name}`,
  /** OpenStack network and subnet the pulumi stack creates for the cluster's nodes. */
  network: (c: Pick<ClusterSpec, 'environment' | 'name'>) => `kprod-${c.environment}-${c.name}`,
  subnet: (c: Pick<ClusterSpec, 'environment' | 'name'>) => `kprod-${c.environment}-${c.name}-nodes`,
  /** Subnet on `network.controlPlaneCidr` (VIP and pinned control-plane addresses), on the same network. */
  controlPlaneSubnet: (c: Pick<ClusterSpec, 'environment' | 'name'>) => `kprod-${c.environment}-${c.name}-control-plane`,
  /** Security groups (created by the Pulumi stack, referenced by the machine templates). */
  securityGroup: (c: Pick<ClusterSpec, 'environment' | 'name'>, role: 'control-plane' | 'worker' | 'etcd') =>
    `kprod-${c.environment}-${c.name}-${role}`,
  /** Anti-affinity server groups (created by the Pulumi stack). */
  serverGroup: (c: Pick<ClusterSpec, 'environment' | 'name'>, role: 'control-plane' | 'etcd' | 'etcd-events') =>
    `kprod-${c.environment}-${c.name}-${role}`,
  /** Port reserving the endpoint VIP. */
  vipPort: (c: Pick<ClusterSpec, 'environment' | 'name'>) => `kprod-${c.environment}-${c.name}-vip`,
  /** Secrets the Pulumi stack writes into the capi namespace. */
  secrets: {
    cloudConfig: (c: Pick<ClusterSpec, 'name'>) => `${c.name}-cloud-config`,
    encryption: (c: Pick<ClusterSpec, 'name'>) => `${c.name}-encryption`,
    ca: (c: Pick<ClusterSpec, 'name'>) => `${c.name}-ca`,
    etcdCa: (c: Pick<ClusterSpec, 'name'>) => `${c.name}-etcd`,
    apiserverEtcdClient: (c: Pick<ClusterSpec, 'name'>) => `${c.name}-apiserver-etcd-client`,
    /** ClusterResourceSet Secret wrapping OCCM's `kube-system/cloud-config` for the workload cluster. */
    occmCloudConfig: (c: Pick<ClusterSpec, 'name'>) => `${c.name}-occm-cloud-config`,
  },
  controlPlane: (c: Pick<ClusterSpec, 'name'>) => `${c.name}-control-plane`,
  /** Metal3: IPPool handing out the pinned control-plane addresses, and the Metal3DataTemplate using it. */
  controlPlaneIpPool: (c: Pick<ClusterSpec, 'name'>) => `${c.name}-control-plane`,
  controlPlaneDataTemplate: (c: Pick<ClusterSpec, 'name'>) => `${c.name}-control-plane`,
} as const;
