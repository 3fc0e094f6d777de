import * as pulumi from '@pulumi/pulumi';
import type { ClusterSpec } from '../../lib/spec';
import type { EtcdPki } from '../pki/etcd-pki';
import type { EtcdBackupUploadCredentials } from '../config';
import type { SshAccess } from '../ssh';
import { ClusterNetwork } from './cluster-network';
import { EndpointVip } from './endpoint-vip';
import { EtcdMembers } from './etcd-members';
import { ClusterSecurityGroups } from './security-groups';
import { ClusterServerGroups } from './server-groups';

export interface OpenStackClusterInfraArgs {
  readonly cluster: ClusterSpec;
  /** etcd certificates (required when the cluster has external or events etcd). */
  readonly etcdPki?: EtcdPki;
  /** SSH access to copy etcd certificates onto the members. @default none (manual copy) */
  readonly ssh?: SshAccess;
  /** S3 keys for the external etcd members' off-host snapshot upload. @default none */
  readonly etcdBackupUpload?: EtcdBackupUploadCredentials;
}

/**
 * Everything Cluster API's OpenStack provider expects to exist for one cluster: node network,
 * security groups, server groups, the reserved VIP port (keepalived-haproxy and kube-vip modes)
 * and the external etcd VMs.
 *
 * `endpoint.mode: loadbalancer` creates no Octavia load balancer here: CAPO creates and owns it
 * from `OpenStackCluster.spec.apiServerLoadBalancer` (so it follows the cluster's lifecycle and
 * its members follow the control-plane machines); two owners of one LB would fight.
 */
export class OpenStackClusterInfra extends pulumi.ComponentResource {
  public readonly network: ClusterNetwork;
  public readonly securityGroups: ClusterSecurityGroups;
  public readonly serverGroups: ClusterServerGroups;
  public readonly vip?: EndpointVip;
  public readonly etcd?: EtcdMembers;
  public readonly etcdEvents?: EtcdMembers;
  /** What clients dial: `https://<host>:<port>` (host empty until CAPO fills it in loadbalancer mode). */
  public readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: OpenStackClusterInfraArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:openstack:ClusterInfra', name, {}, opts);
    const { cluster } = args;
    if (cluster.infrastructure.provider !== 'openstack') throw new Error(`OpenStackClusterInfra: cluster ${cluster.name} uses ${cluster.infrastructure.provider}`);
    const child = { parent: this };
    this.network = new ClusterNetwork(`${name}-net`, { cluster }, child);
    this.securityGroups = new ClusterSecurityGroups(`${name}-sg`, { cluster }, child);
    this.serverGroups = new ClusterServerGroups(`${name}-servergroups`, { cluster }, child);
    const ep = cluster.controlPlane.endpoint;
    const cpGroup = this.securityGroups.groups['control-plane']!;
    if (ep.mode !== 'loadbalancer')
      this.vip = new EndpointVip(`${name}-vip`, { cluster, networkId: this.network.networkId, subnetId: this.network.controlPlaneSubnetId, securityGroupId: cpGroup.id }, child);

    const etcd = cluster.controlPlane.etcd;
    const etcdMembers = (which: 'main' | 'events', serverGroup: 'etcd' | 'etcd-events') => {
      if (!args.etcdPki) throw new Error(`OpenStackClusterInfra: cluster ${cluster.name} has external etcd but no etcdPki was given`);
      return new EtcdMembers(
        `${name}-${which === 'main' ? 'etcd' : 'etcd-events'}`,
        {
          cluster,
          which,
          networkId: this.network.networkId,
          subnetId: this.network.subnetId,
          securityGroupId: this.securityGroups.groups.etcd!.id,
          serverGroupId: this.serverGroups.groups[serverGroup]!.id,
          certs: args.etcdPki.members,
          caCertPem: args.etcdPki.ca.certPem,
          ssh: args.ssh,
          ...(which === 'main' && args.etcdBackupUpload ? { backupUpload: args.etcdBackupUpload } : {}),
        },
        // Members need the subnet (fixed IPs) before their ports exist.
        { parent: this, dependsOn: [this.network] },
      );
    };
    if (etcd.topology === 'external' && etcd.external) this.etcd = etcdMembers('main', 'etcd');
    if (etcd.events) this.etcdEvents = etcdMembers('events', 'etcd-events');
    this.endpoint = pulumi.output(`https://${ep.host}:${ep.port}`);
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
