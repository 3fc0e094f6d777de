import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ClusterSpec } from '../../lib/spec';
import type { ClusterContext, ClusterScopedProps } from '../context';
import { ETCD_BACKUP_FOLDER, ETCD_BACKUP_NAMESPACE, etcdImage } from './backup';
import { controlPlaneCronJob, ETCD_PKI_MOUNT, ETCD_PKI_VOLUME, etcdctlArgs, HARDENED_CONTAINER, HOST_IP_ENV } from './etcdctl-pod';


/** Whether the cluster gets the defrag CronJob: stacked etcd with `etcd.defrag.enabled` (external members are kprod-managed VMs outside the cluster). */
export function needsEtcdDefrag(cluster: ClusterSpec): boolean {
  return cluster.controlPlane.etcd.topology === 'stacked' && cluster.controlPlane.etcd.defrag.enabled;
}

/**
 * etcdctl arguments of the defrag run. `--cluster` makes etcdctl read the member list and defragment
 * the members one after the other (each call blocks until that member is done), so at most one
 * member at a time pauses while it rewrites its database; quorum is never at stake.
 */
export function defragArgs(): string[] {
  return etcdctlArgs('600s', 'defrag', '--cluster');
}

/**
 * Weekly (by default) `etcdctl defrag --cluster` from a control-plane node of a stacked-etcd cluster:
 * returns the space compaction freed to the filesystem and keeps the database under its quota.
 * Beside the backup in the `etcd-backup` namespace; same hardening (root only for the etcd client key).
 */
export class EtcdDefrag extends Construct {
  /** The defrag CronJob, for a capability or a patch to reach. */
  readonly cronJob: ApiObject;

  constructor(scope: Construct, id: string, { ctx: { cluster } }: ClusterScopedProps) {
    super(scope, id);
    this.cronJob = controlPlaneCronJob(this, {
      name: 'etcd-defrag',
      namespace: ETCD_BACKUP_NAMESPACE,
      schedule: cluster.controlPlane.etcd.defrag.schedule,
      startingDeadlineSeconds: 3600,
      // A failed run is not retried at once: the next week's run (or an operator) does it.
      backoffLimit: 0,
      activeDeadlineSeconds: 3600,
      pod: {
        containers: [
          {
            name: 'defrag',
            image: etcdImage(cluster.kubernetesVersion),
            imagePullPolicy: 'IfNotPresent',
            command: ['etcdctl'],
            args: defragArgs(),
            env: [HOST_IP_ENV],
            volumeMounts: [ETCD_PKI_MOUNT],
            resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
            securityContext: HARDENED_CONTAINER,
          },
        ],
        volumes: [ETCD_PKI_VOLUME],
      },
    });
  }
}

/** Adds the defrag CronJob to the cluster's `addons/etcd-backup/` folder when the cluster needs it. */
export function addEtcdDefrag(ctx: ClusterContext): EtcdDefrag | undefined {
  if (!needsEtcdDefrag(ctx.cluster)) return undefined;
  const d = new EtcdDefrag(ctx.addonChart(ETCD_BACKUP_FOLDER, { namespace: ETCD_BACKUP_NAMESPACE }), 'etcd-defrag', { ctx });
  ctx.addSummary(`etcd defrag: "${ctx.cluster.controlPlane.etcd.defrag.schedule}" (UTC), one member at a time`);
  return d;
}
