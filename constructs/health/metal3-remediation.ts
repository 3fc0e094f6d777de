import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { METAL3_API_VERSION } from '../../lib/api';
import type { ClusterContext } from '../context';

/**
 * A MachineHealthCheck `remediation.templateRef` (Cluster API v1beta2: a full `apiVersion`, not
 * `apiGroup`, because the MachineHealthCheck controller instantiates the template itself).
 */
export interface RemediationTemplateRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

export interface Metal3RemediationOptions {
  /** Object name. */
  readonly name: string;
  /**
   * Reboots tried before giving up on the host. Then CAPM3 hands the Machine back to its owner
   * (MachineSet or KubeadmControlPlane), which deletes it, and a new Machine reprovisions a host.
   * @default 1
   */
  readonly retryLimit?: number;
  /**
   * Seconds to wait for the node to come back after a reboot before the next try (CRD minimum 100).
   * @default 600 (bare-metal POST plus a full boot often takes 5-8 minutes)
   */
  readonly timeoutSeconds?: number;
}

/** The Metal3RemediationTemplate `spec` for the options (reboot first, then reprovision). */
export function metal3RemediationSpec(options: Omit<Metal3RemediationOptions, 'name'> = {}) {
  const retryLimit = options.retryLimit ?? 1;
  const timeoutSeconds = options.timeoutSeconds ?? 600;
  if (!Number.isInteger(retryLimit) || retryLimit < 1) throw new Error(`Metal3 remediation retryLimit must be an integer ≥ 1, got ${retryLimit}`);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 100)
    throw new Error(`Metal3 remediation timeoutSeconds must be an integer ≥ 100, got ${timeoutSeconds}`);
  // "Reboot" is the only strategy CAPM3 offers; reprovisioning follows from Cluster API once the reboots fail.
  return { template: { spec: { strategy: { type: 'Reboot' as const, retryLimit, timeoutSeconds } } } };
}

/**
 * A Metal3RemediationTemplate (infrastructure.cluster.x-k8s.io/v1beta2) in the cluster's Cluster API
 * namespace; returns the reference a MachineHealthCheck puts in `remediation.templateRef`.
 */
export function metal3RemediationTemplate(scope: Construct, ctx: ClusterContext, options: Metal3RemediationOptions): RemediationTemplateRef {
  new ApiObject(scope, `${options.name}-remediation`, {
    apiVersion: METAL3_API_VERSION,
    kind: 'Metal3RemediationTemplate',
    metadata: { name: options.name, namespace: ctx.capiNamespace, labels: { 'cluster.x-k8s.io/cluster-name': ctx.cluster.name } },
    spec: metal3RemediationSpec(options),
  });
  return { apiVersion: METAL3_API_VERSION, kind: 'Metal3RemediationTemplate', name: options.name };
}
