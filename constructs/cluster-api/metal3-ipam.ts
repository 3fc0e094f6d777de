/**
 * Metal3: how control-plane machines get the pinned addresses HAProxy and keepalived were
 * rendered with (keepalived-haproxy mode, see lib/render/endpoint-files.ts). An IPAM `IPPool`
 * whose range is exactly the pinned range, and a `Metal3DataTemplate` whose network data gives the
 * machine's interface an address from that pool (static, written by cloud-init from the config
 * drive) with the pool's gateway as default route. The control plane's Metal3MachineTemplate
 * references the data template; CAPM3 claims one address per machine and releases it on delete.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { METAL3_API_VERSION, type ObjectMetadata } from '../../lib/api';
import { parseCidr } from '../../lib/net/cidr';
import { controlPlaneSubnetCidr, firstHost } from '../../lib/net/control-plane-block';
import { names } from '../../lib/naming';
import { controlPlaneAddresses } from '../../lib/render/endpoint-files';
import type { ClusterContext } from '../context';
import { contentName } from './content-name';

/** Metal3 IP Address Manager API (CAPM3 installs it; its CRD is not among the shared schemas). */
export const IPAM_API_VERSION = 'ipam.metal3.io/v1alpha1';
const IPAM_GROUP = 'ipam.metal3.io';

/** `ipam.metal3.io/v1alpha1` IPPool, the fields kprod sets (upstream api/v1alpha1/ippool_types.go). */
export interface IpPool {
  apiVersion: typeof IPAM_API_VERSION;
  kind: 'IPPool';
  metadata: ObjectMetadata;
  spec: {
    clusterName: string;
    /** Prefix of the IPAddress objects the pool creates. */
    namePrefix: string;
    pools: Array<{ start: string; end: string }>;
    prefix: number;
    gateway: string;
  };
}

/** A pool reference in the Metal3DataTemplate v1beta2 form. */
interface PoolRef {
  apiGroup: string;
  kind: 'IPPool';
  name: string;
}

/** `infrastructure.cluster.x-k8s.io/v1beta2` Metal3DataTemplate, the fields kprod sets (checked against the CRD). */
export interface Metal3DataTemplate {
  apiVersion: typeof METAL3_API_VERSION;
  kind: 'Metal3DataTemplate';
  metadata: ObjectMetadata;
  spec: {
    clusterName: string;
    networkData: {
      links: { ethernets: Array<{ type: 'phy'; id: string; name: string; macAddress: { fromHostInterface: string } }> };
      networks: {
        ipv4: Array<{ id: string; link: string; fromPoolRef: PoolRef; routes: Array<{ network: string; prefix: number; gateway: { fromPoolRef: PoolRef } }> }>;
      };
    };
  };
}

/**
 * The control plane's IPPool and Metal3DataTemplate, when the cluster pins control-plane
 * addresses (Metal3 + keepalived-haproxy). Returns the data template name for the
 * Metal3MachineTemplate's `dataTemplate`, or undefined when nothing is pinned.
 *
 * The pool's gateway is the first host of the subnet (`network.controlPlaneCidr` when set, else
 * `network.nodeCidr`). The address goes on `endpoint.interface`, whose MAC CAPM3 reads from the
 * BareMetalHost's introspection data, so it must be a physical NIC name (a bond needs `links.bonds`,
 * not modelled here). The DHCP server of that segment must not hand out the pinned range.
 */
export function metal3ControlPlaneIpam(scope: Construct, ctx: ClusterContext): string | undefined {
  const { cluster } = ctx;
  if (cluster.infrastructure.provider !== 'metal3') return undefined;
  const addresses = controlPlaneAddresses(cluster);
  if (addresses.length === 0) return undefined;
  const { cidr } = controlPlaneSubnetCidr(cluster.network);
  const prefix = parseCidr(cidr)![1];
  const namespace = ctx.capiNamespace;
  const labels = { 'cluster.x-k8s.io/cluster-name': cluster.name };
  const poolName = names.controlPlaneIpPool(cluster);
  const pool: IpPool = {
    apiVersion: IPAM_API_VERSION,
    kind: 'IPPool',
    metadata: { name: poolName, namespace, labels },
    spec: {
      clusterName: cluster.name,
      namePrefix: poolName,
      pools: [{ start: addresses[0], end: addresses[addresses.length - 1] }],
      prefix,
      gateway: firstHost(cidr),
    },
  };
  new ApiObject(scope, 'control-plane-ippool', pool);

  const iface = cluster.controlPlane.endpoint.interface;
  const poolRef: PoolRef = { apiGroup: IPAM_GROUP, kind: 'IPPool', name: poolName };
  const spec: Metal3DataTemplate['spec'] = {
    clusterName: cluster.name,
    networkData: {
      links: { ethernets: [{ type: 'phy', id: iface, name: iface, macAddress: { fromHostInterface: iface } }] },
      networks: {
        ipv4: [{ id: 'control-plane', link: iface, fromPoolRef: poolRef, routes: [{ network: '0.0.0.0', prefix: 0, gateway: { fromPoolRef: poolRef } }] }],
      },
    },
  };
  // CAPM3 forbids updates of a data template's networkData / metaData: a change is a new name.
  const templateName = contentName(names.controlPlaneDataTemplate(cluster), spec);
  const dataTemplate: Metal3DataTemplate = {
    apiVersion: METAL3_API_VERSION,
    kind: 'Metal3DataTemplate',
    metadata: { name: templateName, namespace, labels },
    spec,
  };
  new ApiObject(scope, 'control-plane-metal3datatemplate', dataTemplate);
  return templateName;
}
