import { Construct } from 'constructs';
import { formatAllocatableSummary } from '../../lib/sizing/allocatable';
import { ClusterAutoscaler, clusterAutoscalerEnabled } from '../health/cluster-autoscaler';
import { controlPlaneHealthCheck, MachineHealthCheck } from '../health/machine-health-check';
import type { ClusterContext } from '../context';
import { NodePool } from './node-pool';
import { POOL_LABEL } from './placement';

export interface NodePoolsProps {
  readonly ctx: ClusterContext;
  /**
   * Add the control plane's MachineHealthCheck too.
   * @default true
   */
  readonly controlPlaneHealthCheck?: boolean;
}

/**
 * Every node pool of the cluster (MachineDeployments per failure domain, their templates and a
 * MachineHealthCheck each), the control plane's MachineHealthCheck, the cluster-autoscaler when
 * a pool autoscales, and the allocatable table in the synth summary. Goes into `ctx.managementChart`.
 */
export class NodePools extends Construct {
  readonly pools: NodePool[];

  constructor(scope: Construct, id: string, props: NodePoolsProps) {
    super(scope, id);
    const { ctx } = props;
    const { cluster } = ctx;
    this.pools = cluster.nodePools.map((pool) => {
      const np = new NodePool(this, pool.name, { ctx, pool });
      new MachineHealthCheck(this, `${pool.name}-mhc`, { ctx, name: `${cluster.name}-${pool.name}`, matchLabels: { [POOL_LABEL]: pool.name } });
      return np;
    });
    if (props.controlPlaneHealthCheck ?? true) controlPlaneHealthCheck(this, ctx);
    if (clusterAutoscalerEnabled(ctx)) new ClusterAutoscaler(this, 'cluster-autoscaler', { ctx });
    for (const line of formatAllocatableSummary(cluster)) ctx.addSummary(line);
  }
}
