import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { componentLabels } from '../../lib/component-labels';
import { KUBEADM_ETCD_PKI_DIR } from '../../lib/pki/etcd-plan';
import { ETCD_CLIENT_PORT } from '../../lib/render/etcd';

/**
 * What the etcd jobs on control-plane nodes (backup, defrag) share: where they run, how they reach
 * the local etcd member and with which client certificate, and the container hardening.
 */

/**
 * etcdctl connection flags: the member on this node's IP (no host networking needed) with
 * kubeadm's healthcheck client certificate, then the command itself.
 */
export function etcdctlArgs(timeout: string, ...command: string[]): string[] {
  return [
    `--endpoints=https://$(HOST_IP):${ETCD_CLIENT_PORT}`,
    `--cacert=${KUBEADM_ETCD_PKI_DIR}/ca.crt`,
    `--cert=${KUBEADM_ETCD_PKI_DIR}/healthcheck-client.crt`,
    `--key=${KUBEADM_ETCD_PKI_DIR}/healthcheck-client.key`,
    `--command-timeout=${timeout}`,
    ...command,
  ];
}

/** The node's IP, for `etcdctlArgs`' endpoint. */
export const HOST_IP_ENV = { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } };

/** Read-only mount and hostPath volume of the etcd PKI. */
export const ETCD_PKI_MOUNT = { name: 'etcd-pki', mountPath: KUBEADM_ETCD_PKI_DIR, readOnly: true };
export const ETCD_PKI_VOLUME = { name: 'etcd-pki', hostPath: { path: KUBEADM_ETCD_PKI_DIR, type: 'Directory' as const } };

/** No capabilities, no privilege escalation, read-only root filesystem. */
export const HARDENED_CONTAINER = {
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

/**
 * Pod-level settings of a one-shot job on a control-plane node: runs as root only because the
 * etcd client key is root-only; no service-account token, no service links.
 */
export const CONTROL_PLANE_JOB_POD: Pick<IPodSpec, 'restartPolicy' | 'automountServiceAccountToken' | 'enableServiceLinks' | 'nodeSelector' | 'tolerations' | 'securityContext'> = {
  restartPolicy: 'Never',
  automountServiceAccountToken: false,
  enableServiceLinks: false,
  nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
  tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
  securityContext: { runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } },
};

/** What differs between the control-plane etcd CronJobs (backup, defrag). */
export interface ControlPlaneCronJobProps {
  /** CronJob name, also its component label. */
  readonly name: string;
  readonly namespace: string;
  readonly schedule: string;
  /** How late a missed run may still start. */
  readonly startingDeadlineSeconds: number;
  /** Retries of a failed run. */
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  /** The pod's containers and volumes; placement and pod security are CONTROL_PLANE_JOB_POD's. */
  readonly pod: Pick<IPodSpec, 'initContainers' | 'containers' | 'volumes'>;
}

/**
 * A validated CronJob on a control-plane node: UTC schedule, never two runs at once, three runs of
 * each outcome kept, finished Jobs removed after a day.
 */
export function controlPlaneCronJob(scope: Construct, props: ControlPlaneCronJobProps): ApiObject {
  const labels = componentLabels(props.name);
  const job = new CronJob({
    metadata: { name: props.name, namespace: props.namespace, labels },
    spec: {
      schedule: props.schedule,
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: props.startingDeadlineSeconds,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: props.backoffLimit,
          activeDeadlineSeconds: props.activeDeadlineSeconds,
          ttlSecondsAfterFinished: 86400,
          template: { metadata: { labels }, spec: { ...CONTROL_PLANE_JOB_POD, ...props.pod } },
        },
      },
    },
  });
  job.validate();
  return new ApiObject(scope, 'cronjob', job.toJSON());
}
