import { Construct } from 'constructs';
import { formatAllocatableSummary } from '../../lib/sizing/allocatable';
import { ClusterAutoscaler, clusterAutoscalerEnabled } from '../health/cluster-autoscaler';
import { controlPlaneHealthCheck, MachineHealthCheck } from '../health/machine-health-check';
import { metal3RemediationTemplate } from '../health/metal3-remediation';
import type { ClusterContext } from '../context';
import { addGpuDevicePlugins } from './gpu-device-plugin';
import { NodePool } from './node-pool';
import { POOL_LABEL } from './placement';
import { spreadSummary } from './spread-summary';

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
 * MachineHealthCheck each, on bare metal with a Metal3RemediationTemplate), the control plane's MachineHealthCheck, the cluster-autoscaler when
 * a pool autoscales, the GPU device plugin Application for NVIDIA pools, and the allocatable table in the synth summary. Goes into `ctx.managementChart`.
 */
export class NodePools extends Construct {
  readonly pools: NodePool[];

  constructor(scope: Construct, id: string, props: NodePoolsProps) {
    super(scope, id);
    const { ctx } = props;
    const { cluster } = ctx;
    // Bare metal: reboot a sick host first (cheap, keeps its disks); replace it only if that fails.
    const metal = cluster.infrastructure.provider === 'metal3';
    this.pools = cluster.nodePools.map((pool) => {
      const np = new NodePool(this, pool.name, { ctx, pool });
      const hc = pool.healthCheck;
      const name = `${cluster.name}-${pool.name}`;
      new MachineHealthCheck(this, `${pool.name}-mhc`, {
        ctx,
        name,
        matchLabels: { [POOL_LABEL]: pool.name },
        unhealthyLessThanOrEqualTo: hc.unhealthyLessThanOrEqualTo,
        ...(hc.unhealthyInRange ? { unhealthyInRange: hc.unhealthyInRange } : {}),
        ...(hc.nodeStartupTimeoutSeconds ? { nodeStartupTimeoutSeconds: hc.nodeStartupTimeoutSeconds } : {}),
        ...(metal ? { remediationTemplate: metal3RemediationTemplate(this, ctx, { name, ...hc.reboot }) } : {}),
      });
      return np;
    });
    if (props.controlPlaneHealthCheck ?? true) {
      const name = `${cluster.name}-control-plane`;
      controlPlaneHealthCheck(this, ctx, metal ? metal3RemediationTemplate(this, ctx, { name }) : undefined);
    }
    if (clusterAutoscalerEnabled(ctx)) new ClusterAutoscaler(this, 'cluster-autoscaler', { ctx });
    for (const line of formatAllocatableSummary(cluster)) ctx.addSummary(line);
    for (const line of spreadSummary(cluster, this.pools)) ctx.addSummary(line);
    addGpuDevicePlugins(ctx);
  }
}
