import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { binding, role, serviceAccount, type Labels, type PolicyRule, type Subject } from '../lib/rbac/objects';

export interface WorkloadRbacProps {
  /** ServiceAccount name (and default role / binding name). */
  readonly name: string;
  readonly namespace: string;
  /** @default none */
  readonly labels?: Labels;
  /** automountServiceAccountToken of the ServiceAccount. @default unset (the cluster's default) */
  readonly automountToken?: boolean;
  /** A ClusterRole of its own with these rules, bound to the ServiceAccount cluster-wide. @default none */
  readonly clusterRules?: readonly PolicyRule[];
  /** Name of that ClusterRole and its binding. @default the ServiceAccount name */
  readonly clusterRoleName?: string;
  /** A Role of its own in `namespace` with these rules, bound to the ServiceAccount there. @default none */
  readonly namespaceRules?: readonly PolicyRule[];
  /** Existing ClusterRoles bound cluster-wide: binding name → ClusterRole name. @default {} */
  readonly bindClusterRoles?: Readonly<Record<string, string>>;
  /** Existing Roles of `namespace` bound to the ServiceAccount: binding name → Role name. @default {} */
  readonly bindRoles?: Readonly<Record<string, string>>;
}

/** The objects of a workload's identity, as handles. */
export interface WorkloadRbac {
  readonly serviceAccount: ApiObject;
  readonly clusterRole?: ApiObject;
  readonly role?: ApiObject;
  readonly bindings: readonly ApiObject[];
}

/**
 * A workload's ServiceAccount with what it may do: its own ClusterRole and/or Role (bound to it),
 * and bindings to roles that exist already. Construct ids are derived from the object kinds and
 * names, so several identities fit in one scope.
 */
export function workloadRbac(scope: Construct, props: WorkloadRbacProps): WorkloadRbac {
  const { name, namespace, labels } = props;
  const add = (manifest: Record<string, unknown>) => {
    const m = manifest.metadata as { name: string; namespace?: string };
    return new ApiObject(scope, `${manifest.kind}-${m.namespace ?? ''}-${m.name}`, manifest as never);
  };
  const subjects: Subject[] = [{ kind: 'ServiceAccount', name, namespace }];
  const sa = add(serviceAccount({ name, namespace, labels, automountToken: props.automountToken }));
  const bindings: ApiObject[] = [];
  let clusterRole: ApiObject | undefined;
  let nsRole: ApiObject | undefined;
  if (props.clusterRules) {
    const roleName = props.clusterRoleName ?? name;
    clusterRole = add(role({ name: roleName, labels }, props.clusterRules));
    bindings.push(add(binding({ name: roleName, labels }, { name: roleName }, subjects)));
  }
  if (props.namespaceRules) {
    nsRole = add(role({ name, namespace, labels }, props.namespaceRules));
    bindings.push(add(binding({ name, namespace, labels }, { name, kind: 'Role' }, subjects)));
  }
  for (const [bindingName, roleName] of Object.entries(props.bindClusterRoles ?? {})) bindings.push(add(binding({ name: bindingName, labels }, { name: roleName }, subjects)));
  for (const [bindingName, roleName] of Object.entries(props.bindRoles ?? {})) bindings.push(add(binding({ name: bindingName, namespace, labels }, { name: roleName, kind: 'Role' }, subjects)));
  return { serviceAccount: sa, clusterRole, role: nsRole, bindings };
}

/** A ClusterRole that nothing binds here (e.g. one aggregated into admin/edit/view). */
export function clusterRole(scope: Construct, name: string, labels: Labels | undefined, rules: readonly PolicyRule[]): ApiObject {
  return new ApiObject(scope, `ClusterRole--${name}`, role({ name, labels }, rules) as never);
}
