import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { TenantSpec } from '../../lib/spec';
import { tenantBundle } from '../../lib/tenancy/bundle';
import type { ClusterContext } from '../context';
import { addManifests } from './objects';

export interface TenantBundleProps {
  readonly ctx: ClusterContext;
  readonly tenant: TenantSpec;
}

/**
 * Everything one tenant gets, per namespace: the Namespace (Pod Security labels, isolation
 * annotations, sync wave -1), RoleBindings of owners and viewers to the shared ClusterRoles,
 * ResourceQuotas (compute and extended resources, object counts, one per PriorityClass of the
 * cluster, pod scopes), a LimitRange and NetworkPolicies (default deny, DNS, own namespaces, the
 * spec's allowances); once per tenant its API Priority and Fairness level and FlowSchema.
 */
export class TenantBundle extends Construct {
  /** The rendered objects, in order. */
  readonly objects: readonly ApiObject[];
  constructor(scope: Construct, id: string, props: TenantBundleProps) {
    super(scope, id);
    this.objects = addManifests(this, tenantBundle(props.ctx.cluster, props.tenant));
  }
}
