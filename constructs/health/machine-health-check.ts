import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CLUSTER_API_VERSION, type MachineHealthCheck as MachineHealthCheckObject } from '../../lib/api';
import type { ClusterContext } from '../context';
import type { RemediationTemplateRef } from './metal3-remediation';

/** A node condition that marks a machine unhealthy after `timeoutSeconds`. */
export interface UnhealthyNodeCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly timeoutSeconds: number;
}

/** The kubelet stopped reporting or reports NotReady for 5 minutes. */
export const READY_CONDITIONS: readonly UnhealthyNodeCondition[] = [
  { type: 'Ready', status: 'False', timeoutSeconds: 300 },
  { type: 'Ready', status: 'Unknown', timeoutSeconds: 300 },
];

/**
 * Permanent problems node-problem-detector reports as node conditions (status True when present).
 * A deadlocked kernel or read-only root never heals by itself: replace quickly. Restart loops get
 * longer, so a slow-but-recovering daemon is not replaced while it recovers.
 */
export const NPD_CONDITIONS: readonly UnhealthyNodeCondition[] = [
  { type: 'KernelDeadlock', status: 'True', timeoutSeconds: 120 },
  { type: 'ReadonlyFilesystem', status: 'True', timeoutSeconds: 120 },
  { type: 'KubeletUnhealthy', status: 'True', timeoutSeconds: 300 },
  { type: 'ContainerRuntimeUnhealthy', status: 'True', timeoutSeconds: 300 },
  { type: 'FrequentKubeletRestart', status: 'True', timeoutSeconds: 600 },
  { type: 'FrequentContainerdRestart', status: 'True', timeoutSeconds: 600 },
];

export interface MachineHealthCheckProps {
  readonly ctx: ClusterContext;
  /** Object name. */
  readonly name: string;
  /** Labels of the Machines to check (the cluster-name label is always added). */
  readonly matchLabels: Readonly<Record<string, string>>;
  /**
   * Remediate only while at most this many (or this share) of the matched machines are unhealthy:
   * beyond it the cause is likely shared (network, storage) and replacing machines makes it worse.
   * @default "40%"
   */
  readonly unhealthyLessThanOrEqualTo?: number | string;
  /** Remediate only while the number of unhealthy machines is in this range, e.g. "[1-3]"; wins over the above. @default none */
  readonly unhealthyInRange?: string;
  /**
   * External remediation template (Metal3: reboot first); without it the owner (MachineSet,
   * KubeadmControlPlane) replaces the machine.
   * @default none
   */
  readonly remediationTemplate?: RemediationTemplateRef;
  /**
   * A machine whose node has not joined after this long is replaced.
   * @default 1200 on OpenStack, 3600 on bare metal (inspection and provisioning take long)
   */
  readonly nodeStartupTimeoutSeconds?: number;
  /** @default READY_CONDITIONS, plus NPD_CONDITIONS when node-problem-detector is enabled */
  readonly conditions?: readonly UnhealthyNodeCondition[];
}

/** Conditions kprod checks on a cluster's machines: NPD's only when NPD runs (else they never appear). */
export function defaultUnhealthyConditions(ctx: ClusterContext): UnhealthyNodeCondition[] {
  return [...READY_CONDITIONS, ...(ctx.cluster.addons.nodeProblemDetector.enabled ? NPD_CONDITIONS : [])];
}

/** A Cluster API v1beta2 MachineHealthCheck in the cluster's namespace. */
export class MachineHealthCheck extends Construct {
  constructor(scope: Construct, id: string, props: MachineHealthCheckProps) {
    super(scope, id);
    const { ctx } = props;
    const startup = props.nodeStartupTimeoutSeconds ?? (ctx.cluster.infrastructure.provider === 'metal3' ? 3600 : 1200);
    const mhc: MachineHealthCheckObject = {
      apiVersion: CLUSTER_API_VERSION,
      kind: 'MachineHealthCheck',
      metadata: { name: props.name, namespace: ctx.capiNamespace, labels: { 'cluster.x-k8s.io/cluster-name': ctx.cluster.name } },
      spec: {
        clusterName: ctx.cluster.name,
        selector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': ctx.cluster.name, ...props.matchLabels } },
        checks: {
          nodeStartupTimeoutSeconds: startup,
          unhealthyNodeConditions: (props.conditions ?? defaultUnhealthyConditions(ctx)).map((c) => ({ ...c })),
        },
        remediation: {
          triggerIf: props.unhealthyInRange
            ? { unhealthyInRange: props.unhealthyInRange }
            : { unhealthyLessThanOrEqualTo: props.unhealthyLessThanOrEqualTo ?? '40%' },
          ...(props.remediationTemplate ? { templateRef: { ...props.remediationTemplate } } : {}),
        },
      },
    };
    new ApiObject(this, 'mhc', mhc);
  }
}

/**
 * MachineHealthCheck of the control plane. KubeadmControlPlane remediates one machine at a time and
 * never one whose loss would break etcd quorum; only a single unhealthy machine triggers it.
 */
export function controlPlaneHealthCheck(scope: Construct, ctx: ClusterContext, remediationTemplate?: RemediationTemplateRef): MachineHealthCheck {
  return new MachineHealthCheck(scope, 'control-plane-mhc', {
    ctx,
    name: `${ctx.cluster.name}-control-plane`,
    matchLabels: { 'cluster.x-k8s.io/control-plane': '' },
    unhealthyLessThanOrEqualTo: 1,
    ...(remediationTemplate ? { remediationTemplate } : {}),
  });
}
