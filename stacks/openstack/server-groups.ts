import * as openstack from '@pulumi/openstack';
import * as pulumi from '@pulumi/pulumi';
import { names } from '../../lib/naming';
import type { ClusterSpec } from '../../lib/spec';

/**
 * Nova placement policies.
 * Control plane: soft anti-affinity, because KubeadmControlPlane rolls out by surging one extra
 * machine; hard anti-affinity would need replicas+1 hypervisors for every upgrade.
 * etcd members: hard anti-affinity; their count is fixed and two members on one hypervisor mean
 * one host failure loses quorum.
 */
export const SERVER_GROUP_POLICY = { 'control-plane': 'soft-anti-affinity', etcd: 'anti-affinity', 'etcd-events': 'anti-affinity' } as const;

export type ServerGroupRole = keyof typeof SERVER_GROUP_POLICY;

export interface ClusterServerGroupsArgs {
  readonly cluster: ClusterSpec;
}

/** Server groups for control-plane machines and, with external etcd, for the etcd (and events etcd) members. */
export class ClusterServerGroups extends pulumi.ComponentResource {
  public readonly groups: Readonly<Partial<Record<ServerGroupRole, openstack.compute.ServerGroup>>>;

  constructor(name: string, args: ClusterServerGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:openstack:ClusterServerGroups', name, {}, opts);
    const { cluster } = args;
    const etcd = cluster.controlPlane.etcd;
    const roles: ServerGroupRole[] = ['control-plane'];
    if (etcd.topology === 'external' && etcd.external) roles.push('etcd');
    if (etcd.events) roles.push('etcd-events');
    const groups: Partial<Record<ServerGroupRole, openstack.compute.ServerGroup>> = {};
    for (const role of roles)
      groups[role] = new openstack.compute.ServerGroup(
        `${name}-${role}`,
        { name: names.serverGroup(cluster, role), policies: [SERVER_GROUP_POLICY[role]] },
        { parent: this },
      );
    this.groups = groups;
    this.registerOutputs({});
  }
}
