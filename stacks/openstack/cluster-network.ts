import * as openstack from '@pulumi/openstack';
import * as pulumi from '@pulumi/pulumi';
import { names } from '../../lib/naming';
import type { ClusterSpec } from '../../lib/spec';

export interface ClusterNetworkArgs {
  /** The cluster whose node network this is (names come from `lib/naming`). */
  readonly cluster: ClusterSpec;
  /** External network for the router; omitted means no router (isolated network). @default the spec's `infrastructure.externalNetworkId` */
  readonly externalNetworkId?: string;
}

/** Node network of one cluster: network, subnet on `network.nodeCidr`, router to the external network when there is one. */
export class ClusterNetwork extends pulumi.ComponentResource {
  public readonly network: openstack.networking.Network;
  public readonly subnet: openstack.networking.Subnet;
  public readonly router?: openstack.networking.Router;
  public readonly networkId: pulumi.Output<string>;
  public readonly subnetId: pulumi.Output<string>;

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
    if (external) {
      this.router = new openstack.networking.Router(`${name}-router`, { name: names.network(cluster), externalNetworkId: external }, child);
      new openstack.networking.RouterInterface(`${name}-router-interface`, { routerId: this.router.id, subnetId: this.subnet.id }, child);
    }
    this.networkId = this.network.id;
    this.subnetId = this.subnet.id;
    this.registerOutputs({ networkId: this.networkId, subnetId: this.subnetId });
  }
}
