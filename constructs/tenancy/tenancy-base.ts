import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { tenancyBaseObjects } from '../../lib/tenancy/bundle';
import type { ClusterContext } from '../context';
import { addManifests } from './objects';

export interface TenancyBaseProps {
  readonly ctx: ClusterContext;
}

/**
 * Cluster-wide objects tenants rely on: the cluster's PriorityClasses and the shared ClusterRoles
 * `kprod:namespace-admin` / `kprod:namespace-viewer`. Put it in the `tenancy-base` add-on folder
 * (sync wave -2) so it exists before any tenant folder binds to it.
 */
export class TenancyBase extends Construct {
  /** The rendered objects, in order. */
  readonly objects: readonly ApiObject[];
  constructor(scope: Construct, id: string, props: TenancyBaseProps) {
    super(scope, id);
    this.objects = addManifests(this, tenancyBaseObjects(props.ctx.cluster));
  }
}
