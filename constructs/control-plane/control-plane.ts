import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { KubeadmControlPlane } from '../../lib/api';
import { names } from '../../lib/naming';
import { kubeadmConfigSpec, type KubeadmOptions } from '../../lib/render/kubeadm';
import type { ExtraArg } from '../../lib/render/types';
import type { ClusterSpec } from '../../lib/spec';
import { describeCisResult } from '../../lib/cis/evaluate';
import { cisWeakenings, clusterCisResult, describeCisWeakening } from '../../lib/cis/overrides';
import { describeUpgradePlan, upgradePlan } from '../../lib/versions/upgrade-plan';
import { withV } from '../../lib/versions/supported';
import { machineTemplate, type ObjectRef } from '../cluster-api/machine-template';
import type { ClusterContext } from '../context';
import { controlPlaneMachine, type ControlPlaneMachine } from './sizing';

export const KCP_API_VERSION = 'controlplane.cluster.x-k8s.io/v1beta2';

export interface ControlPlaneProps {
  readonly ctx: ClusterContext;
  /** Rendering options (kubelet serving certificate verification, EventRateLimit, ...). @default {} (all defaults of KubeadmOptions) */
  readonly kubeadm?: KubeadmOptions;
  /**
   * Extra arguments of the stacked (local) etcd. Pass the etcd renderer's function here.
   * @default localEtcdArgs (the etcd renderer's stackedEtcdExtraArgs)
   */
  readonly localEtcdArgs?: (cluster: ClusterSpec) => ExtraArg[];
  /**
   * Renew control-plane machines when their certificates expire within this many days (minimum 7).
   * @default 21
   */
  readonly certificatesExpiryDays?: number;
  /**
   * Seconds a control-plane node may take to drain before Cluster API deletes it anyway.
   * @default 300
   */
  readonly nodeDrainTimeoutSeconds?: number;
}

/**
 * The KubeadmControlPlane of a cluster (`<cluster>-control-plane` in the capi namespace) and its
 * infrastructure machine template, in the management chart. The Cluster object refers to it by name.
 */
export class ControlPlane extends Construct {
  /** Reference for `Cluster.spec.controlPlaneRef`. */
  readonly ref: ObjectRef;
  /** The control-plane machine template. */
  readonly machineTemplateRef: ObjectRef;
  /** Chosen size, flavor or host class. */
  readonly machine: ControlPlaneMachine;
  readonly object: ApiObject;

  constructor(scope: Construct, id: string, props: ControlPlaneProps) {
    super(scope, id);
    const { ctx } = props;
    const { cluster } = ctx;
    const cp = cluster.controlPlane;
    const name = names.controlPlane(cluster);
    this.machine = controlPlaneMachine(ctx.fleet, cluster);
    this.machineTemplateRef = machineTemplate(this, ctx, {
      name,
      role: 'control-plane',
      ...(this.machine.sku ? { sku: this.machine.sku } : {}),
      ...(this.machine.flavor ? { flavor: this.machine.flavor } : {}),
      ...(this.machine.hostClass ? { hostClass: this.machine.hostClass } : {}),
      ...(cp.etcd.topology === 'stacked' ? { etcdVolumeGiB: cp.etcd.dataVolumeSizeGiB } : {}),
    });

    const kcp: KubeadmControlPlane = {
      apiVersion: KCP_API_VERSION,
      kind: 'KubeadmControlPlane',
      metadata: { name, namespace: ctx.capiNamespace, labels: { 'cluster.x-k8s.io/cluster-name': cluster.name } },
      spec: {
        replicas: cp.replicas,
        version: withV(cluster.kubernetesVersion),
        machineTemplate: {
          spec: {
            infrastructureRef: { ...this.machineTemplateRef },
            deletion: { nodeDrainTimeoutSeconds: props.nodeDrainTimeoutSeconds ?? 300, nodeVolumeDetachTimeoutSeconds: 300 },
          },
        },
        kubeadmConfigSpec: kubeadmConfigSpec(cluster, props.kubeadm, props.localEtcdArgs),
        rollout: {
          before: { certificatesExpiryDays: props.certificatesExpiryDays ?? 21 },
          // maxSurge 1 (default): the new member joins before the old one is removed, so etcd never
          // runs short; 0 (controlPlane.rollout.maxSurge) for infrastructure without spare capacity.
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: cp.rollout.maxSurge } },
        },
        // Remediate a failed control-plane machine at most 3 times in a row, 5 minutes apart.
        remediation: { maxRetry: 3, retryPeriodSeconds: 300, minHealthyPeriodSeconds: 3600 },
      },
    };
    this.object = new ApiObject(this, 'kubeadmcontrolplane', kcp);
    this.ref = { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name };

    const m = this.machine;
    ctx.addSummary(
      `control plane: ${cp.replicas} x ${m.flavor ?? m.hostClass}${m.skuName ? ` (SKU ${m.skuName})` : ''}, sized for ${m.size.nodes} nodes (${m.size.cpu} CPU / ${m.size.memoryGiB}Gi), etcd ${cp.etcd.topology}${cp.etcd.events ? ' + events etcd' : ''}`,
    );
    ctx.addSummary(describeCisResult(clusterCisResult(cluster, props.kubeadm)));
    for (const w of cisWeakenings(cluster, props.kubeadm)) ctx.addSummary(describeCisWeakening(w));
    const plan = upgradePlan(cluster);
    if (plan) for (const line of describeUpgradePlan(plan)) ctx.addSummary(line);
  }
}
