import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import type { ClusterSpec } from '../../lib/spec';
import { KUBERNETES_MATRIX } from '../../lib/versions/matrix';
import { IMAGES, imageRef } from '../../lib/versions/pins';
import { parseKubernetesVersion } from '../../lib/versions/supported';
import { componentLabels } from '../../lib/component-labels';
import type { ClusterContext, ClusterScopedProps } from '../context';
import { controlPlaneCronJob, ETCD_PKI_MOUNT, ETCD_PKI_VOLUME, etcdctlArgs, HARDENED_CONTAINER, HOST_IP_ENV } from './etcdctl-pod';

export const ETCD_BACKUP_NAMESPACE = 'etcd-backup';
export const ETCD_BACKUP_FOLDER = 'etcd-backup';

/** kubeadm's etcd image per Kubernetes minor (kubeadm `SupportedEtcdVersion`); etcdctl of the same release takes the snapshots. */
export const ETCD_IMAGE_TAGS: Readonly<Record<string, string>> = Object.fromEntries(
  KUBERNETES_MATRIX.flatMap((m) => (m.etcd ? [[m.minor, m.etcd.tag]] : [])),
);

/** Small image with a shell for naming and pruning snapshots (the etcd image is distroless). */
export const BACKUP_SHELL_IMAGE = imageRef(IMAGES.busybox);

/** AWS CLI v2 for the optional S3-compatible upload (any endpoint via --endpoint-url). */
export const UPLOAD_IMAGE = imageRef(IMAGES.awsCli);

/**
 * Shell of the upload container: copies this host's newest snapshot to
 * `s3://$BUCKET/$PREFIX<file>`; credentials come from the environment (Secret reference).
 */
export const UPLOAD_SCRIPT = [
  'set -eu',
  'f=$(ls -1 /backup/etcd-snapshot-${NODE_NAME}-*.db | sort | tail -n 1)',
  'aws s3 cp --only-show-errors --endpoint-url "$S3_ENDPOINT" "$f" "s3://${BUCKET}/${PREFIX}$(basename "$f")"',
  'echo "uploaded $(basename "$f") to s3://${BUCKET}/${PREFIX}"',
].join('\n');

/** `registry.k8s.io/etcd:<tag>` for the cluster's Kubernetes minor. */
export function etcdImage(kubernetesVersion: string): string {
  const v = parseKubernetesVersion(kubernetesVersion);
  const tag = v && ETCD_IMAGE_TAGS[`${v.major}.${v.minor}`];
  if (!tag) throw new Error(`no etcd image known for Kubernetes ${kubernetesVersion}; known minors: ${Object.keys(ETCD_IMAGE_TAGS).join(', ')}`);
  return `registry.k8s.io/etcd:${tag}`;
}

/** Whether the cluster gets the in-cluster backup CronJob: stacked etcd with backups enabled (external etcd members are backed up on their VMs). */
export function needsEtcdBackup(cluster: ClusterSpec): boolean {
  return cluster.controlPlane.etcd.topology === 'stacked' && cluster.controlPlane.etcd.backup.enabled;
}

/**
 * Shell run in the busybox container: gives the snapshot a sortable UTC name, moves it into place
 * atomically and keeps the newest `RETAIN` snapshots of this host.
 */
export const STORE_SCRIPT = [
  'set -eu',
  'ts=$(date -u +%Y%m%dT%H%M%SZ)',
  'f="/backup/etcd-snapshot-${NODE_NAME}-${ts}.db"',
  'cp /work/snapshot.db "$f.part"',
  'mv "$f.part" "$f"',
  'ls -1 /backup/etcd-snapshot-*.db | sort -r | tail -n +$((RETAIN + 1)) | xargs -r rm -f --',
  'echo "saved $f"',
].join('\n');

export type EtcdBackupProps = ClusterScopedProps;

/**
 * An hourly (by default) `etcdctl snapshot save` on a control-plane node of a stacked-etcd cluster,
 * into `etcd.backup.hostPath` on that node, keeping `etcd.backup.retain` snapshots per node.
 * Runs in its own namespace labelled privileged for Pod Security (hostPath needs it); the pod runs
 * as root (the etcd client key is root-only) but with no capabilities, no privilege escalation
 * and a read-only root filesystem, and reaches etcd on the node IP without host networking.
 */
export class EtcdBackup extends Construct {
  readonly cronJob: ApiObject;

  constructor(scope: Construct, id: string, props: EtcdBackupProps) {
    super(scope, id);
    const { cluster } = props.ctx;
    const backup = cluster.controlPlane.etcd.backup;
    const labels = componentLabels('etcd-backup');
    const containerSecurity = HARDENED_CONTAINER;

    const ns = new Namespace({
      metadata: {
        name: ETCD_BACKUP_NAMESPACE,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': 'privileged',
          'pod-security.kubernetes.io/warn': 'baseline',
          'pod-security.kubernetes.io/audit': 'baseline',
        },
      },
    });
    ns.validate();
    new ApiObject(this, 'namespace', ns.toJSON());

    const upload = backup.upload;
    const store: IContainer = {
      name: 'store',
      image: BACKUP_SHELL_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', STORE_SCRIPT],
      env: [
        { name: 'RETAIN', value: String(backup.retain) },
        { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      ],
      volumeMounts: [
        { name: 'work', mountPath: '/work', readOnly: true },
        { name: 'backup', mountPath: '/backup' },
      ],
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
      securityContext: containerSecurity,
    };
    const secretEnv = (name: string) => ({ name, valueFrom: { secretKeyRef: { name: upload!.credentialsSecret, key: name } } });
    const uploader: IContainer | undefined = upload && {
      name: 'upload',
      image: UPLOAD_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', UPLOAD_SCRIPT],
      env: [
        { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'S3_ENDPOINT', value: upload.endpoint },
        { name: 'BUCKET', value: upload.bucket },
        { name: 'PREFIX', value: upload.prefix ?? `${cluster.environment}/${cluster.name}/` },
        secretEnv('AWS_ACCESS_KEY_ID'),
        secretEnv('AWS_SECRET_ACCESS_KEY'),
        { name: 'AWS_EC2_METADATA_DISABLED', value: 'true' },
        { name: 'HOME', value: '/tmp' },
      ],
      volumeMounts: [
        { name: 'backup', mountPath: '/backup', readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
      ],
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      securityContext: containerSecurity,
    };

    this.cronJob = controlPlaneCronJob(this, {
      name: 'etcd-backup',
      namespace: ETCD_BACKUP_NAMESPACE,
      schedule: backup.schedule,
      startingDeadlineSeconds: 600,
      backoffLimit: 2,
      activeDeadlineSeconds: 1800,
      pod: {
        initContainers: [
          {
            name: 'snapshot',
            image: etcdImage(cluster.kubernetesVersion),
            imagePullPolicy: 'IfNotPresent',
            command: ['etcdctl'],
            args: etcdctlArgs('300s', 'snapshot', 'save', '/work/snapshot.db'),
            env: [HOST_IP_ENV],
            volumeMounts: [ETCD_PKI_MOUNT, { name: 'work', mountPath: '/work' }],
            resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '512Mi' } },
            securityContext: containerSecurity,
          },
          ...(uploader ? [store] : []),
        ],
        // With an upload target the snapshot is stored first (init) and then uploaded.
        containers: [uploader ?? store],
        volumes: [
          ETCD_PKI_VOLUME,
          { name: 'backup', hostPath: { path: backup.hostPath, type: 'DirectoryOrCreate' } },
          { name: 'work', emptyDir: { sizeLimit: cluster.controlPlane.etcd.quotaBackendBytes } },
          ...(uploader ? [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }] : []),
        ],
      },
    });
  }
}

/** Adds the backup to the cluster's `addons/etcd-backup/` folder when the cluster needs it; returns it, or undefined. */
export function addEtcdBackup(ctx: ClusterContext): EtcdBackup | undefined {
  if (!needsEtcdBackup(ctx.cluster)) return undefined;
  const b = new EtcdBackup(ctx.addonChart(ETCD_BACKUP_FOLDER, { namespace: ETCD_BACKUP_NAMESPACE }), 'etcd-backup', { ctx });
  const backup = ctx.cluster.controlPlane.etcd.backup;
  ctx.addSummary(
    `etcd backup: "${backup.schedule}" to ${backup.hostPath} on control-plane nodes, ${backup.retain} kept per node${backup.upload ? `, uploaded to s3://${backup.upload.bucket} at ${backup.upload.endpoint}` : ''}`,
  );
  return b;
}
