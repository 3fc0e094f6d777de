import * as openstack from '@pulumi/openstack';
import * as pulumi from '@pulumi/pulumi';
import { names } from '../../lib/naming';
import type { ClusterSpec } from '../../lib/spec';
import { ingressRules, machineRoles, type IngressRule, type MachineRole } from './security-rules';

export interface ClusterSecurityGroupsArgs {
  readonly cluster: ClusterSpec;
}

/**
 * One security group per machine role (`control-plane`, `worker`, and `etcd` for external etcd)
 * with exactly the ingress rules of `ingressRules()`. Neutron's default egress rules stay; the
 * default ingress rules of a new group are none.
 */
export class ClusterSecurityGroups extends pulumi.ComponentResource {
  public readonly groups: Readonly<Partial<Record<MachineRole, openstack.networking.SecGroup>>>;
  /** Security group ids by role. */
  public readonly ids: pulumi.Output<Partial<Record<MachineRole, string>>>;

  constructor(name: string, args: ClusterSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:openstack:ClusterSecurityGroups', name, {}, opts);
    const { cluster } = args;
    const groups: Partial<Record<MachineRole, openstack.networking.SecGroup>> = {};
    for (const role of machineRoles(cluster))
      groups[role] = new openstack.networking.SecGroup(
        `${name}-${role}`,
        { name: names.securityGroup(cluster, role), description: `kprod ${cluster.environment}/${cluster.name} ${role} machines` },
        { parent: this },
      );
    ingressRules(cluster).forEach((rule, i) => this.rule(name, i, rule, groups));
    this.groups = groups;
    this.ids = pulumi.output(Object.fromEntries(Object.entries(groups).map(([role, g]) => [role, g!.id]))) as pulumi.Output<Partial<Record<MachineRole, string>>>;
    this.registerOutputs({ ids: this.ids });
  }

  private rule(name: string, index: number, rule: IngressRule, groups: Partial<Record<MachineRole, openstack.networking.SecGroup>>): void {
    const target = groups[rule.group];
    if (!target) throw new Error(`security rule ${rule.description}: no ${rule.group} security group`);
    const remote =
      'group' in rule.from
        ? { remoteGroupId: groups[rule.from.group]?.id ?? missing(rule.from.group) }
        : { remoteIpPrefix: rule.from.cidr };
    new openstack.networking.SecGroupRule(
      `${name}-${rule.group}-${index}`,
      {
        securityGroupId: target.id,
        direction: 'ingress',
        ethertype: 'IPv4',
        protocol: rule.protocol,
        ...(rule.ports ? { portRangeMin: rule.ports[0], portRangeMax: rule.ports[1] } : {}),
        ...remote,
        description: rule.description,
      },
      { parent: target },
    );
  }
}

function missing(role: string): never {
  throw new Error(`security rule refers to a ${role} security group the cluster does not have`);
}
