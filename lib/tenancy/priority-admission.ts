/**
 * PriorityClasses only where a quota names them: the ResourceQuota admission plugin's
 * `limitedResources` (apiserver.config.k8s.io/v1 ResourceQuotaConfiguration) marks pods of kprod's
 * PriorityClasses as limited, so the apiserver admits such a pod only in a namespace with a quota
 * whose PriorityClass scope covers its class. Tenant namespaces carry a `priority-<class>` quota for
 * every class: the tenant's tier quota, or `pods: 0` for a class it was not given.
 *
 * `priorityAdmission` answers the question the apiserver would, from the rendered objects alone, so
 * tests can state the promise ("payments-staging cannot run a pod at high") by construction.
 */
import type { ClusterSpec } from '../spec';
import type { AdmissionPlugin } from './admission';
import type { Manifest } from './manifest';

/** A scope requirement as ResourceQuota `scopeSelector.matchExpressions` and `matchScopes` spell it. */
export interface ScopeRequirement {
  readonly scopeName: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

/** The ResourceQuota plugin with PriorityClass-limited pods, or none when the cluster turns it off or has no classes. */
export function priorityQuotaAdmissionPlugin(cluster: Pick<ClusterSpec, 'priorityClasses' | 'tenancy'>): AdmissionPlugin | undefined {
  if (!cluster.tenancy.priorityClassesNeedQuota || cluster.priorityClasses.length === 0) return undefined;
  const values = cluster.priorityClasses.map((pc) => pc.name);
  return {
    name: 'ResourceQuota',
    configuration: {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'ResourceQuotaConfiguration',
      limitedResources: [{ resource: 'pods', matchScopes: [{ scopeName: 'PriorityClass', operator: 'In', values }] }],
    },
  };
}

function scopeMatches(req: ScopeRequirement, priorityClassName: string): boolean {
  if (req.scopeName !== 'PriorityClass') return false;
  switch (req.operator) {
    case 'In':
      return (req.values ?? []).includes(priorityClassName);
    case 'NotIn':
      return !(req.values ?? []).includes(priorityClassName);
    case 'Exists':
      return priorityClassName !== '';
    case 'DoesNotExist':
      return priorityClassName === '';
  }
}

/** Why a pod with `priorityClassName` in `namespace` would be refused, or undefined when admitted. */
export interface AdmissionAnswer {
  readonly admitted: boolean;
  readonly reason: string;
}

/**
 * What the ResourceQuota admission plugin answers for one new pod of `priorityClassName` (with
 * requests, not BestEffort, no deadline) in `namespace`, given the plugin's configuration and the
 * namespace's ResourceQuotas among `manifests`. Follows the plugin: a pod matched by a limited
 * resource's `matchScopes` needs a quota whose scope selector matches it ("covering"); each quota
 * that matches the pod must have room for one more pod (`pods` > 0 when set).
 */
export function priorityAdmission(
  configuration: Record<string, unknown> | undefined,
  manifests: readonly Manifest[],
  namespace: string,
  priorityClassName: string,
): AdmissionAnswer {
  const limited = ((configuration?.limitedResources as Array<{ resource: string; matchScopes?: ScopeRequirement[] }> | undefined) ?? []).filter(
    (l) => l.resource === 'pods',
  );
  const limitedScopes = limited.flatMap((l) => (l.matchScopes ?? []).filter((s) => scopeMatches(s, priorityClassName)));
  const quotas = manifests.filter((m) => m.kind === 'ResourceQuota' && m.metadata.namespace === namespace);
  const matching = quotas.filter((q) => {
    const spec = q.spec as { scopes?: string[]; scopeSelector?: { matchExpressions?: ScopeRequirement[] } };
    const exprs = spec.scopeSelector?.matchExpressions ?? [];
    // The pod is not BestEffort and not Terminating: quotas with those scopes never match it.
    const scopesOk = (spec.scopes ?? []).every((s) => s === 'NotBestEffort' || s === 'NotTerminating');
    return scopesOk && exprs.every((e) => (e.scopeName === 'PriorityClass' ? scopeMatches(e, priorityClassName) : true));
  });
  const covering = matching.filter((q) => ((q.spec as { scopeSelector?: { matchExpressions?: ScopeRequirement[] } }).scopeSelector?.matchExpressions ?? []).some((e) => e.scopeName === 'PriorityClass'));
  if (limitedScopes.length && covering.length === 0) return { admitted: false, reason: `insufficient quota to match these scopes: PriorityClass ${priorityClassName}` };
  const full = matching.find((q) => (q.spec as { hard?: Record<string, string> }).hard?.pods === '0');
  if (full) return { admitted: false, reason: `exceeded quota: ${full.metadata.name}, requested: pods=1, limited: pods=0` };
  return { admitted: true, reason: covering.length ? `covered by ${covering.map((q) => q.metadata.name).join(', ')}` : 'not a limited priority class' };
}
