import * as openstack from '@pulumi/openstack';
import * as pulumi from '@pulumi/pulumi';
import { names } from '../../lib/naming';
import { controlPlaneAddresses } from '../../lib/render/endpoint-files';
import type { ClusterSpec } from '../../lib/spec';

export interface ClusterNetworkArgs {
  /** The cluster whose node network this is (names come from `lib/naming`). */
  readonly cluster: ClusterSpec;
  /** External network for the router; omitted means no external gateway. @default the spec's `infrastructure.externalNetworkId` */
  readonly externalNetworkId?: string;
}

/**
 * Node network of one cluster: network, subnet on `network.nodeCidr` and, with
 * `network.controlPlaneCidr`, a second subnet for the control plane on the same network.
 *
 * The control-plane subnet is how the control-plane machines get the addresses HAProxy and
 * keepalived were rendered with (keepalived-haproxy): CAPO shares one OpenStackMachineTemplate
 * between all control-plane machines, so no per-machine fixed IP; instead their ports ask for this
 * subnet (machine template `fixedIPs`) and its allocation pool is exactly the pinned range. In
 * kube-vip mode it keeps Neutron's default pool (the VIP port reserves the VIP).
 *
 * A router exists when there is an external network, or when there are two subnets: machines on
 * the two subnets reach each other through it (each subnet's gateway is its interface), so the
 * network works whether or not the DHCP server hands out on-link routes between subnets.
 */
export class ClusterNetwork extends pulumi.ComponentResource {
  public readonly network: openstack.networking.Network;
  public readonly subnet: openstack.networking.Subnet;
  /** The subnet on `network.controlPlaneCidr` (VIP and control-plane machines), when set. */
  public readonly controlPlaneSubnet?: openstack.networking.Subnet;
  public readonly router?: openstack.networking.Router;
  public readonly networkId: pulumi.Output<string>;
  public readonly subnetId: pulumi.Output<string>;
  /** Subnet of the VIP and the control-plane ports: the control-plane subnet when there is one, else the node subnet. */
  public readonly controlPlaneSubnetId: pulumi.Output<string>;

  constructor(name: string, args: ClusterNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:openstack:ClusterNetwork', name, {}, opts);
    const { cluster } = args;
    const infra = cluster.infrastructure;
    const dns = infra.provider === 'openstack' ? [...infra.dnsNameservers] : [];
    const external = args.externalNetworkId ?? (infra.provider === 'openstack' ? infra.externalNetworkId : undefined);
    const child = { parent: this };

    this.network = new openstack.networking.Network(`${name}-network`, { name: names.network(cluster), adminStateUp: true }, child);
    this.subnet = new openstack.networking.Subnet(
      `${name}-subnet`,
      { name: names.subnet(cluster), networkId: this.network.id, cidr: cluster.network.nodeCidr, ipVersion: 4, enableDhcp: true, dnsNameservers: dns },
      child,
    );
    const cpCidr = cluster.network.controlPlaneCidr;
    if (cpCidr) {
      const pinned = controlPlaneAddresses(cluster);
      this.controlPlaneSubnet = new openstack.networking.Subnet(
        `${name}-control-plane-subnet`,
        {
          name: names.controlPlaneSubnet(cluster),
          description: `VIP and control-plane machines of ${cluster.environment}/${cluster.name}`,
          networkId: this.network.id,
          cidr: cpCidr,
          ipVersion: 4,
          enableDhcp: true,
          dnsNameservers: dns,
          ...(pinned.length > 0 ? { allocationPools: [{ start: pinned[0], end: pinned[pinned.length - 1] }] } : {}),
        },
        child,
      );
    }
    if (external || this.controlPlaneSubnet) {
      this.router = new openstack.networking.Router(
        `${name}-router`,
        { name: names.network(cluster), ...(external ? { externalNetworkId: external } : {}) },
        child,
      );
      new openstack.networking.RouterInterface(`${name}-router-interface`, { routerId: this.router.id, subnetId: this.subnet.id }, child);
      if (this.controlPlaneSubnet)
        new openstack.networking.RouterInterface(`${name}-router-interface-control-plane`, { routerId: this.router.id, subnetId: this.controlPlaneSubnet.id }, child);
    }
    this.networkId = this.network.id;
    this.subnetId = this.subnet.id;
    this.controlPlaneSubnetId = (this.controlPlaneSubnet ?? this.subnet).id;
    this.registerOutputs({ networkId: this.networkId, subnetId: this.subnetId, controlPlaneSubnetId: this.controlPlaneSubnetId });
  }
}
