import { Construct } from 'constructs';
import { NodeProblemDetector } from '../health/node-problem-detector';
import type { ClusterContext } from '../context';
import { Logging } from './logging';
import { MetricsServer } from './metrics-server';
import { MonitoringRules } from './monitoring-rules';

export interface ObservabilityProps {
  /** The cluster being built. */
  readonly ctx: ClusterContext;
  /**
   * Write the MachineHealthCheck alert into the management folder (see {@link MonitoringRules}).
   * @default false
   */
  readonly managementRules?: boolean;
  /**
   * Build Fluent Bit here; the capability set builds it as its own capability (`logging`) so
   * that it can be replaced by id.
   * @default true
   */
  readonly logging?: boolean;
}

/**
 * Node health and observability add-ons of one cluster: node-problem-detector, Fluent Bit,
 * metrics-server and kprod's PrometheusRules. kube-prometheus-stack itself is an Argo CD
 * Application from `monitoringHelmApplication()`, placed by the caller in `dist/<env>/argocd/`.
 */
export class Observability extends Construct {
  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { ctx } = props;
    new NodeProblemDetector(this, 'node-problem-detector', { ctx });
    if (props.logging !== false) new Logging(this, 'logging', { ctx });
    new MetricsServer(this, 'metrics-server', { ctx });
    new MonitoringRules(this, 'monitoring-rules', { ctx, managementRules: props.managementRules });
  }
}

export { Logging, MetricsServer, MonitoringRules, NodeProblemDetector };
