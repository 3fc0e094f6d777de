import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  METAL3_API_VERSION,
  OPENSTACK_API_VERSION,
  type Metal3MachineTemplate,
  type OpenStackMachineSpec,
  type OpenStackMachineTemplate,
  type OpenStackPortOpts,
} from '../../lib/api';
import { names } from '../../lib/naming';
import type { Sku } from '../../lib/spec';
import type { ClusterContext } from '../context';
import { contentName } from './content-name';
import { metal3ControlPlaneIpam } from './metal3-ipam';

/** A reference in the Cluster API v1beta2 form. */
export interface ObjectRef {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

export interface MachineTemplateProps {
  /**
   * Base of the object name, e.g. `<cluster>-control-plane` or `<cluster>-<pool>`; the object is
   * named `<name>-<hash of spec.template.spec>` (see contentName).
   */
  readonly name: string;
  /** Control-plane machines carry the VIP and sit in the control-plane server group. */
  readonly role: 'control-plane' | 'worker';
  /** Hardware of the machines; gives the OpenStack flavor or the Metal3 host class. */
  readonly sku?: Sku;
  /** OpenStack flavor overriding the SKU's. @default sku.flavor */
  readonly flavor?: string;
  /** Metal3 host class overriding the SKU's. @default sku.hostClass */
  readonly hostClass?: string;
  /** Image overriding the cluster's. @default the cluster's image */
  readonly image?: string;
  /** Size of a dedicated SSD for /var/lib/etcd (stacked etcd), in GiB. @default none */
  readonly etcdVolumeGiB?: number;
  /** Metal3: only hosts labelled `kprod.io/failure-domain=<value>`. @default any failure domain */
  readonly failureDomain?: string;
}

export const INFRA_GROUP = 'infrastructure.cluster.x-k8s.io';

/**
 * The provider-specific machine template (OpenStackMachineTemplate or Metal3MachineTemplate)
 * for a set of machines. Returns the reference KubeadmControlPlane / MachineDeployment use.
 *
 * CAPO forbids any update of an OpenStackMachineTemplate's `spec.template.spec`, and Cluster API
 * rolls machines only when the referenced template *name* changes: the name carries a hash of the
 * spec, so a changed image or flavor is a new object and a moved reference, never an update.
 */
export function machineTemplate(scope: Construct, ctx: ClusterContext, props: MachineTemplateProps): ObjectRef {
  const { cluster } = ctx;
  const infra = cluster.infrastructure;
  const metadata = { name: props.name, namespace: ctx.capiNamespace };
  if (infra.provider === 'openstack') {
    const flavor = props.flavor ?? props.sku?.flavor;
    if (!flavor) throw new Error(`machine template ${props.name}: no OpenStack flavor (set the SKU's flavor)`);
    const carriesVip = props.role === 'control-plane' && cluster.controlPlane.endpoint.mode !== 'loadbalancer' && cluster.controlPlane.endpoint.vip;
    const port: OpenStackPortOpts = {
      network: { filter: { name: names.network(cluster) } },
      securityGroups: [{ filter: { name: names.securityGroup(cluster, props.role) } }],
    };
    // keepalived / kube-vip move the VIP between control-plane ports; Neutron port security drops
    // traffic to an address the port does not own unless it is an allowed address pair.
    if (carriesVip) port.allowedAddressPairs = [{ ipAddress: cluster.controlPlane.endpoint.vip }];
    // With network.controlPlaneCidr the network has two IPv4 subnets and Neutron would pick either:
    // control-plane ports ask for the control-plane subnet (its allocation pool is exactly the
    // pinned addresses HAProxy/keepalived expect), workers for the node subnet (never a pinned one).
    if (cluster.network.controlPlaneCidr)
      port.fixedIPs = [{ subnet: { filter: { name: props.role === 'control-plane' ? names.controlPlaneSubnet(cluster) : names.subnet(cluster) } } }];
    const spec: OpenStackMachineSpec = {
      flavor,
      image: { filter: { name: props.image ?? infra.imageName } },
      ports: [port],
      ...(infra.sshKeyName ? { sshKeyName: infra.sshKeyName } : {}),
      ...(props.role === 'control-plane' ? { serverGroup: { filter: { name: names.serverGroup(cluster, 'control-plane') } } } : {}),
      ...(props.etcdVolumeGiB
        ? { additionalBlockDevices: [{ name: 'etcd', sizeGiB: props.etcdVolumeGiB, storage: { type: 'Volume', volume: { type: 'ssd' } } }] }
        : {}),
    };
    return contentNamedTemplate<OpenStackMachineTemplate>(scope, props.name, OPENSTACK_API_VERSION, 'OpenStackMachineTemplate', metadata, spec);
  }
  const hostClass = props.hostClass ?? props.sku?.hostClass;
  // keepalived-haproxy: the pinned control-plane addresses come from an IPPool through a data template.
  const dataTemplate = props.role === 'control-plane' ? metal3ControlPlaneIpam(scope, ctx) : undefined;
  const spec: Metal3MachineTemplate['spec']['template']['spec'] = {
    image: { url: props.image ?? infra.imageUrl, checksum: infra.imageChecksum, checksumType: infra.imageChecksumType, diskFormat: infra.imageFormat },
    // Only hosts of the right hardware class, and for control planes only hosts marked for it.
    hostSelector: {
      matchLabels: {
        ...(hostClass ? { 'kprod.io/host-class': hostClass } : {}),
        'kprod.io/role': props.role,
        ...(props.failureDomain ? { 'kprod.io/failure-domain': props.failureDomain } : {}),
      },
    },
    automatedCleaningMode: 'metadata',
    ...(dataTemplate ? { dataTemplate: { name: dataTemplate } } : {}),
  };
  return contentNamedTemplate<Metal3MachineTemplate>(scope, props.name, METAL3_API_VERSION, 'Metal3MachineTemplate', metadata, spec);
}

/**
 * Adds an infrastructure machine template named `<base>-<hash of its spec>` (providers refuse
 * updates of a template's spec, so a change must be a new object) and returns the reference to it.
 */
function contentNamedTemplate<T extends { kind: string; spec: { template: { spec: unknown } } }>(
  scope: Construct,
  base: string,
  apiVersion: string,
  kind: T['kind'],
  metadata: Record<string, unknown>,
  spec: T['spec']['template']['spec'],
): ObjectRef {
  const name = contentName(base, spec);
  new ApiObject(scope, `${base}-${kind.toLowerCase()}`, { apiVersion, kind, metadata: { ...metadata, name }, spec: { template: { spec } } });
  return { apiGroup: INFRA_GROUP, kind, name };
}
