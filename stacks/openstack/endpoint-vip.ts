import * as openstack from '@pulumi/openstack';
import * as pulumi from '@pulumi/pulumi';
import { names } from '../../lib/naming';
import type { ClusterSpec } from '../../lib/spec';

export interface EndpointVipArgs {
  readonly cluster: ClusterSpec;
  readonly networkId: pulumi.Input<string>;
  /** Subnet holding the VIP: the control-plane subnet with `network.controlPlaneCidr`, else the node subnet. */
  readonly subnetId: pulumi.Input<string>;
  /** Security group of the control-plane machines (the VIP answers on them). */
  readonly securityGroupId: pulumi.Input<string>;
}

/**
 * A Neutron port that only reserves `endpoint.vip`, so that DHCP never hands the address to a
 * machine. keepalived / kube-vip move the address between control-plane ports, which list it in
 * `allowedAddressPairs` (the machine templates do that).
 */
export class EndpointVip extends pulumi.ComponentResource {
  public readonly port: openstack.networking.Port;
  /** The reserved address: the cluster endpoint. */
  public readonly address: pulumi.Output<string>;

  constructor(name: string, args: EndpointVipArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:openstack:EndpointVip', name, {}, opts);
    const vip = args.cluster.controlPlane.endpoint.vip;
    if (!vip) throw new Error(`clusters.${args.cluster.name}.controlPlane.endpoint.vip: required for mode ${args.cluster.controlPlane.endpoint.mode}`);
    this.port = new openstack.networking.Port(
      `${name}-port`,
      {
        name: names.vipPort(args.cluster),
        description: `API endpoint VIP of ${args.cluster.environment}/${args.cluster.name} (held by keepalived or kube-vip)`,
        networkId: args.networkId,
        fixedIps: [{ subnetId: args.subnetId, ipAddress: vip }],
        securityGroupIds: [args.securityGroupId],
        adminStateUp: true,
      },
      { parent: this },
    );
    this.address = this.port.allFixedIps.apply((ips) => ips[0] ?? vip);
    this.registerOutputs({ address: this.address });
  }
}
