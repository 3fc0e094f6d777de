import * as openstack from '@pulumi/openstack';
import * as pulumi from '@pulumi/pulumi';

/** Stack config `kprod:management`: VMs for the management cluster. */
export interface ManagementClusterArgs {
  /** Environment (names: `kprod-<env>-management`). */
  readonly environment: string;
  /** Node subnet of the management cluster. */
  readonly cidr: string;
  readonly flavor: string;
  readonly imageName: string;
  /** Nova key pair. @default none */
  readonly sshKeyName?: string;
  /** Number of machines (all control plane + worker). @default 3 */
  readonly count?: number;
  /** External network for the router. @default none */
  readonly externalNetworkId?: string;
  /** CIDRs allowed to reach the apiserver (6443) and SSH (22), e.g. the operators' VPN. @default [cidr] */
  readonly adminCidrs?: readonly string[];
  /** Availability zones, round-robin. @default none */
  readonly availabilityZones?: readonly string[];
  /** DNS resolvers of the subnet. @default [] */
  readonly dnsNameservers?: readonly string[];
}

/**
 * Network and VMs of the management cluster (Cluster API, Argo CD). Kubernetes on these VMs is
 * installed like a static inventory (`kprod:hosts` with `cluster: management`, see docs/stacks.md)
 * or by any other installer; the stack then talks to it through `kprod:managementKubeconfig`.
 */
export class ManagementCluster extends pulumi.ComponentResource {
  public readonly addresses: pulumi.Output<string[]>;
  public readonly instances: readonly openstack.compute.Instance[];

  constructor(name: string, args: ManagementClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:openstack:ManagementCluster', name, {}, opts);
    const child = { parent: this };
    const base = `kprod-${args.environment}-management`;
    const network = new openstack.networking.Network(`${name}-network`, { name: base }, child);
    const subnet = new openstack.networking.Subnet(
      `${name}-subnet`,
      { name: `${base}-nodes`, networkId: network.id, cidr: args.cidr, ipVersion: 4, dnsNameservers: [...(args.dnsNameservers ?? [])] },
      child,
    );
    if (args.externalNetworkId) {
      const router = new openstack.networking.Router(`${name}-router`, { name: base, externalNetworkId: args.externalNetworkId }, child);
      new openstack.networking.RouterInterface(`${name}-router-interface`, { routerId: router.id, subnetId: subnet.id }, child);
    }
    const sg = new openstack.networking.SecGroup(`${name}-sg`, { name: base, description: 'kprod management cluster machines' }, child);
    const rule = (id: string, r: Omit<openstack.networking.SecGroupRuleArgs, 'securityGroupId' | 'direction' | 'ethertype'>) =>
      new openstack.networking.SecGroupRule(`${name}-${id}`, { securityGroupId: sg.id, direction: 'ingress', ethertype: 'IPv4', ...r }, { parent: sg });
    (args.adminCidrs ?? [args.cidr]).forEach((cidr, i) => {
      rule(`api-${i}`, { protocol: 'tcp', portRangeMin: 6443, portRangeMax: 6443, remoteIpPrefix: cidr, description: 'kube-apiserver from admins' });
      rule(`ssh-${i}`, { protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: cidr, description: 'ssh from admins' });
    });
    // A small all-in-one cluster: its machines talk to each other on any port (etcd, kubelet, CNI).
    rule('internal-tcp', { protocol: 'tcp', portRangeMin: 1, portRangeMax: 65535, remoteGroupId: sg.id, description: 'between management machines' });
    rule('internal-udp', { protocol: 'udp', portRangeMin: 1, portRangeMax: 65535, remoteGroupId: sg.id, description: 'between management machines' });
    rule('internal-ipip', { protocol: '4', remoteGroupId: sg.id, description: 'IP-in-IP between management machines' });
    const group = new openstack.compute.ServerGroup(`${name}-servergroup`, { name: base, policies: ['soft-anti-affinity'] }, child);
    const zones = args.availabilityZones ?? [];
    this.instances = Array.from({ length: args.count ?? 3 }, (_, i) => {
      const port = new openstack.networking.Port(`${name}-${i}-port`, { name: `${base}-${i}`, networkId: network.id, fixedIps: [{ subnetId: subnet.id }], securityGroupIds: [sg.id] }, child);
      return new openstack.compute.Instance(
        `${name}-${i}`,
        {
          name: `${base}-${i}`,
          flavorName: args.flavor,
          imageName: args.imageName,
          ...(args.sshKeyName ? { keyPair: args.sshKeyName } : {}),
          ...(zones.length ? { availabilityZone: zones[i % zones.length] } : {}),
          networks: [{ port: port.id }],
          schedulerHints: [{ group: group.id }],
        },
        child,
      );
    });
    this.addresses = pulumi.all(this.instances.map((vm) => vm.accessIpV4));
    this.registerOutputs({ addresses: this.addresses });
  }
}
