/**
 * A small RBAC authorizer over plain manifests, to state tenancy promises as questions
 * ("can this user delete rolebindings in payments-prod?") answered from the generated objects.
 * It follows the apiserver's RBAC rules for resource requests: a ClusterRoleBinding grants its
 * ClusterRole everywhere, a RoleBinding grants its Role or ClusterRole in its own namespace only,
 * `*` matches any group, resource or verb, and aggregated ClusterRoles collect the rules of the
 * ClusterRoles their `matchLabels` selectors pick. Deliberately conservative where it simplifies:
 * a rule limited by `resourceNames` counts as granting (so "cannot" answers stay sound).
 */
import type { Manifest } from './manifest';

/** Who asks: a user and the groups the authenticator puts it in. */
export interface Identity {
  readonly user: string;
  readonly groups: readonly string[];
}

/** What is asked about: `resource` may name a subresource (`pods/exec`). */
export interface ResourceRequest {
  readonly verb: string;
  /** API group; "" is the core group. */
  readonly group: string;
  readonly resource: string;
  /** Namespace of the object; undefined for cluster-scoped resources and "all namespaces" requests. */
  readonly namespace?: string;
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
}

interface RoleRef {
  kind: 'Role' | 'ClusterRole';
  name: string;
}

interface BindingSubject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

const matches = (list: readonly string[] | undefined, value: string) => !!list && (list.includes('*') || list.includes(value));

/** `*` matches every resource, `*​/scale` every resource's scale subresource, `pods/*` every pod subresource. */
function resourceMatches(list: readonly string[] | undefined, resource: string): boolean {
  if (!list) return false;
  if (matches(list, resource)) return true;
  const [main, sub] = resource.split('/');
  return sub !== undefined && (list.includes(`${main}/*`) || list.includes(`*/${sub}`));
}

function ruleAllows(rule: Rule, req: ResourceRequest): boolean {
  return matches(rule.verbs, req.verb) && matches(rule.apiGroups, req.group) && resourceMatches(rule.resources, req.resource);
}

function subjectMatches(s: BindingSubject, who: Identity): boolean {
  if (s.kind === 'User') return s.name === who.user;
  if (s.kind === 'Group') return who.groups.includes(s.name);
  return who.user === `system:serviceaccount:${s.namespace}:${s.name}`;
}

/** The RBAC objects of a set of manifests, queryable. */
export class RbacModel {
  private readonly objects: readonly Manifest[];

  constructor(manifests: readonly Manifest[]) {
    this.objects = manifests.filter((m) => m.apiVersion === 'rbac.authorization.k8s.io/v1');
  }

  private clusterRoleRules(name: string, seen = new Set<string>()): Rule[] {
    if (seen.has(name)) return [];
    seen.add(name);
    const role = this.objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === name);
    if (!role) return [];
    const own = (role.rules as Rule[] | undefined) ?? [];
    const aggregation = role.aggregationRule as { clusterRoleSelectors?: Array<{ matchLabels?: Record<string, string> }> } | undefined;
    if (!aggregation?.clusterRoleSelectors) return own;
    const picked = this.objects.filter(
      (o) =>
        o.kind === 'ClusterRole' &&
        aggregation.clusterRoleSelectors!.some((sel) => Object.entries(sel.matchLabels ?? {}).every(([k, v]) => o.metadata.labels?.[k] === v)),
    );
    return [...own, ...picked.flatMap((o) => this.clusterRoleRules(o.metadata.name, seen))];
  }

  private roleRules(ref: RoleRef, namespace: string | undefined): Rule[] {
    if (ref.kind === 'ClusterRole') return this.clusterRoleRules(ref.name);
    const role = this.objects.find((o) => o.kind === 'Role' && o.metadata.name === ref.name && o.metadata.namespace === namespace);
    return (role?.rules as Rule[] | undefined) ?? [];
  }

  /** Rules that apply to `who` for requests in `namespace` (undefined: cluster-scoped). */
  rulesFor(who: Identity, namespace: string | undefined): Rule[] {
    const rules: Rule[] = [];
    for (const b of this.objects) {
      if (b.kind !== 'ClusterRoleBinding' && b.kind !== 'RoleBinding') continue;
      const subjects = (b.subjects as BindingSubject[] | undefined) ?? [];
      if (!subjects.some((s) => subjectMatches(s, who))) continue;
      // A RoleBinding only counts inside its own namespace.
      if (b.kind === 'RoleBinding' && b.metadata.namespace !== namespace) continue;
      rules.push(...this.roleRules(b.roleRef as RoleRef, b.metadata.namespace));
    }
    return rules;
  }

  /** Whether RBAC allows the request. */
  can(who: Identity, req: ResourceRequest): boolean {
    return this.rulesFor(who, req.namespace).some((rule) => ruleAllows(rule, req));
  }

  /** The verbs of `verbs` that RBAC allows on a resource. */
  allowedVerbs(who: Identity, req: Omit<ResourceRequest, 'verb'>, verbs: readonly string[] = ALL_VERBS): string[] {
    return verbs.filter((verb) => this.can(who, { ...req, verb }));
  }
}

/** Every verb the apiserver authorizes on resources, the special ones included. */
export const ALL_VERBS: readonly string[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', 'approve', 'sign', 'use'];
