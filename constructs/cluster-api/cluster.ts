import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CLUSTER_API_VERSION,
  METAL3_API_VERSION,
  OPENSTACK_API_VERSION,
  type CapiCluster,
  type Metal3Cluster,
  type OpenStackCluster,
} from '../../lib/api';
import { names } from '../../lib/naming';
import type { ClusterScopedProps } from '../context';
import { INFRA_GROUP } from './machine-template';

/** Label on the Cluster object naming the kprod cluster (ClusterResourceSets select on it). */
export const CLUSTER_NAME_LABEL = 'kprod.io/cluster';

export type WorkloadClusterProps = ClusterScopedProps;

/**
 * The Cluster API `Cluster` and its infrastructure cluster (OpenStackCluster or Metal3Cluster),
 * in the cluster's namespace on the management cluster.
 */
export class WorkloadCluster extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadClusterProps) {
    super(scope, id);
    const { ctx } = props;
    const { cluster } = ctx;
    const ep = cluster.controlPlane.endpoint;
    const namespace = ctx.capiNamespace;
    const infraKind = cluster.infrastructure.provider === 'openstack' ? 'OpenStackCluster' : 'Metal3Cluster';
    // With a VIP the endpoint is known up front; with an Octavia LB CAPO fills it in.
    const endpoint = ep.mode === 'loadbalancer' ? undefined : { host: ep.host, port: ep.port };

    new ApiObject(this, 'namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { 'kprod.io/environment': cluster.environment, 'kprod.io/cluster': cluster.name } },
    });

    const capiCluster: CapiCluster = {
      apiVersion: CLUSTER_API_VERSION,
      kind: 'Cluster',
      metadata: { name: cluster.name, namespace, labels: { 'kprod.io/environment': cluster.environment, 'kprod.io/fleet': cluster.fleet, [CLUSTER_NAME_LABEL]: cluster.name } },
      spec: {
        clusterNetwork: {
          pods: { cidrBlocks: [cluster.network.podCidr] },
          services: { cidrBlocks: [cluster.network.serviceCidr] },
          serviceDomain: cluster.network.dnsDomain,
        },
        ...(endpoint ? { controlPlaneEndpoint: endpoint } : {}),
        controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: names.controlPlane(cluster) },
        infrastructureRef: { apiGroup: INFRA_GROUP, kind: infraKind, name: cluster.name },
      },
    };
    new ApiObject(this, 'cluster', capiCluster);

    if (cluster.infrastructure.provider === 'openstack') {
      const infra = cluster.infrastructure;
      const vipMode = ep.mode !== 'loadbalancer';
      const openStackCluster: OpenStackCluster = {
        apiVersion: OPENSTACK_API_VERSION,
        kind: 'OpenStackCluster',
        metadata: { name: cluster.name, namespace },
        spec: {
          identityRef: { type: 'Secret', name: infra.identitySecretName ?? names.secrets.cloudConfig(cluster), cloudName: infra.cloudName },
          // The Pulumi stack creates network, subnet, router and security groups; CAPO only uses them.
          network: { filter: { name: names.network(cluster) } },
          // Only the node subnet, also with network.controlPlaneCidr: CAPO takes at most one IPv4 and
          // one IPv6 subnet here (its default for ports without fixedIPs). Every kprod port names its
          // subnet in fixedIPs, and with a VIP CAPO uses apiServerFixedIP as is (no subnet lookup).
          subnets: [{ filter: { name: names.subnet(cluster) } }],
          ...(infra.externalNetworkId ? { externalNetwork: { id: infra.externalNetworkId } } : { disableExternalNetwork: true }),
          controlPlaneAvailabilityZones: [...cluster.failureDomains],
          ...(vipMode
            ? {
                // keepalived/kube-vip hold the VIP on a port the stack reserved; no Octavia, no floating IP.
                disableAPIServerFloatingIP: true,
                apiServerFixedIP: ep.vip,
                apiServerPort: ep.port,
              }
            : {
                apiServerLoadBalancer: {
                  enabled: true,
                  provider: infra.loadBalancerProvider,
                  ...(ep.public ? {} : { allowedCIDRs: [cluster.network.nodeCidr, ...(cluster.network.controlPlaneCidr ? [cluster.network.controlPlaneCidr] : [])] }),
                },
                disableAPIServerFloatingIP: !ep.public,
                apiServerPort: ep.port,
              }),
          tags: [`kprod-environment-${cluster.environment}`, `kprod-cluster-${cluster.name}`],
        },
      };
      new ApiObject(this, 'openstackcluster', openStackCluster);
    } else {
      const metal3Cluster: Metal3Cluster = {
        apiVersion: METAL3_API_VERSION,
        kind: 'Metal3Cluster',
        metadata: { name: cluster.name, namespace },
        spec: {
          controlPlaneEndpoint: { host: ep.host, port: ep.port },
          cloudProviderEnabled: false,
        },
      };
      new ApiObject(this, 'metal3cluster', metal3Cluster);
    }
  }
}
