/**
 * Backup and defragmentation of an external etcd member (VMs outside Kubernetes, so systemd
 * timers instead of the CronJobs stacked etcd gets):
 * - etcd-backup.timer → etcd-backup.service: `etcdctl snapshot save` of the local member into the
 *   backup directory, keeping the newest `retain` snapshots.
 * - etcd-defrag.timer → etcd-defrag.service: `etcdctl defrag` of the local member only; members
 *   wait `index × DEFRAG_STAGGER_SECONDS` so that they never defragment at the same time.
 * Both talk to https://127.0.0.1:2379 with the member's own server certificate (it carries
 * client_auth, see lib/pki/etcd-plan); only paths are rendered, never key material.
 */
import { posix } from 'node:path';
import { ETCD_PKI_DIR } from '../pki/etcd-plan';
import { cronToOnCalendar } from './cron-calendar';
import { ETCD_CLIENT_PORT } from './etcd';
import { backupSuccessMetricLines } from './etcd-host-metrics';
import type { HostFile } from './types';

export const SYSTEMD_DIR = '/etc/systemd/system';
export const ETCD_BACKUP_SCRIPT_PATH = '/usr/local/lib/kprod/etcd-backup.sh';
/** etcdctl's default 5 s command timeout is too short for snapshotting or defragmenting a large backend. */
const LONG_COMMAND_TIMEOUT = '10m';
/** Seconds between the defragmentation of consecutive members. @default 900 */
export const DEFRAG_STAGGER_SECONDS = 900;
/** Snapshot directory when the options name none. */
const DEFAULT_BACKUP_DIR = '/var/lib/etcd-backup';

/**
 * curl config file holding `user = "<access key id>:<secret access key>"`, written by the Pulumi
 * stack over SSH like the certificates (never in user data, never in dist/); read with `curl -K` so
 * the keys never appear on a command line.
 */
export const ETCD_BACKUP_UPLOAD_CREDENTIALS = '/etc/etcd/backup-upload.curlrc';

/** Where snapshots go off-host: the same target as stacked etcd's `controlPlane.etcd.backup.upload`. */
export interface EtcdBackupUpload {
  /** S3 endpoint URL, e.g. https://s3.example.com (path-style requests). */
  readonly endpoint: string;
  readonly bucket: string;
  /** Key prefix, e.g. "prod/eu-west-1/". */
  readonly prefix: string;
  /** SigV4 signing region. */
  readonly region: string;
  /** @default ETCD_BACKUP_UPLOAD_CREDENTIALS */
  readonly credentialsFile?: string;
  /** @default "curl" */
  readonly curl?: string;
}

/** The curl config file content for S3 credentials (quotes and backslashes escaped as curl reads them). */
export function renderUploadCredentials(accessKeyId: string, secretAccessKey: string): string {
  const quoted = `${accessKeyId}:${secretAccessKey}`.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return `# kprod: S3 credentials of the etcd backup upload (read by curl -K)\nuser = "${quoted}"\n`;
}

export interface EtcdMaintenanceOptions {
  readonly memberName: string;
  /** Position of the member in its group (staggers the defragmentation). */
  readonly memberIndex: number;
  /** Snapshots; undefined disables them. */
  readonly backup?: {
    /** Cron schedule (UTC), converted to OnCalendar. */
    readonly schedule: string;
    readonly retain: number;
    /** @default "/var/lib/etcd-backup" */
    readonly dir?: string;
    /** File the success time is written to, for node_exporter's textfile collector (etcd-host-metrics.ts). @default none */
    readonly successMetricFile?: string;
    /** Off-host copy of every snapshot to an S3-compatible bucket (credentials: ETCD_BACKUP_UPLOAD_CREDENTIALS on the host). @default none */
    readonly upload?: EtcdBackupUpload;
  };
  /** Defragmentation; undefined disables it. */
  readonly defrag?: { readonly schedule: string };
  /** @default 2379 */
  readonly clientPort?: number;
  /** @default "/etc/etcd/pki" */
  readonly pkiDir?: string;
  /** @default "/usr/bin/etcdctl" */
  readonly etcdctl?: string;
  /** Spec path of the schedules, for error messages. @default "controlPlane.etcd" */
  readonly specPath?: string;
}

/** etcdctl flags reaching the local member with its own certificate. */
export function localEtcdctlFlags(opts: Pick<EtcdMaintenanceOptions, 'clientPort' | 'pkiDir'>): string[] {
  const pki = opts.pkiDir ?? ETCD_PKI_DIR;
  return [
    `--endpoints=https://127.0.0.1:${opts.clientPort ?? ETCD_CLIENT_PORT}`,
    `--cacert=${pki}/ca.crt`,
    `--cert=${pki}/server.crt`,
    `--key=${pki}/server.key`,
  ];
}

function onCalendar(schedule: string, path: string): string {
  const res = cronToOnCalendar(schedule);
  if ('error' in res) throw new Error(`${path}: ${res.error}; external etcd members run it as a systemd timer`);
  return res.onCalendar;
}

/** The backup script: snapshot to a temporary name, rename when complete, prune the oldest. */
export function renderEtcdBackupScript(opts: EtcdMaintenanceOptions & { readonly backup: NonNullable<EtcdMaintenanceOptions['backup']> }): string {
  const dir = opts.backup.dir ?? DEFAULT_BACKUP_DIR;
  return [
    '#!/bin/sh',
    `# Rendered by kprod: snapshot of etcd member ${opts.memberName}, newest ${opts.backup.retain} kept.`,
    'set -eu',
    `dir='${dir}'`,
    'stamp=$(date -u +%Y%m%dT%H%M%SZ)',
    `part="$dir/.${opts.memberName}-$stamp.db.part"`,
    // A failed snapshot must not leave a file that looks complete or evicts a good one.
    'trap \'rm -f "$part"\' EXIT',
    `${opts.etcdctl ?? 'etcdctl'} ${localEtcdctlFlags(opts).join(' ')} --command-timeout=${LONG_COMMAND_TIMEOUT} snapshot save "$part"`,
    `mv "$part" "$dir/${opts.memberName}-$stamp.db"`,
    ...(opts.backup.successMetricFile ? backupSuccessMetricLines(opts.memberName, opts.backup.successMetricFile) : []),
    // Names sort by time; everything after the newest `retain` goes.
    `ls -1 "$dir" | grep -E '^${opts.memberName}-[0-9]{8}T[0-9]{6}Z\\.db$' | sort -r | tail -n +${opts.backup.retain + 1} | while read -r old; do rm -f "$dir/$old"; done`,
    ...uploadLines(opts.memberName, opts.backup.upload),
    '',
  ].join('\n');
}

/**
 * Off-host copy of the new snapshot: a SigV4-signed PUT with curl (no extra package on the VM).
 * Runs after the local snapshot is complete, so a failed upload fails the unit without losing it.
 */
function uploadLines(memberName: string, upload: EtcdBackupUpload | undefined): string[] {
  if (!upload) return [];
  const base = `${upload.endpoint.replace(/\/+$/, '')}/${upload.bucket}/${upload.prefix}`;
  const credentials = upload.credentialsFile ?? ETCD_BACKUP_UPLOAD_CREDENTIALS;
  return [
    `test -r ${credentials} || { echo "no upload credentials at ${credentials}" >&2; exit 1; }`,
    `${upload.curl ?? 'curl'} --fail --silent --show-error --retry 3 -K ${credentials} --aws-sigv4 'aws:amz:${upload.region}:s3' -T "$dir/${memberName}-$stamp.db" '${base}'"${memberName}-$stamp.db"`,
    `echo "uploaded ${memberName}-$stamp.db to ${base}"`,
  ];
}

const hardening = (writable?: string) => [
  'NoNewPrivileges=yes',
  'PrivateTmp=yes',
  'ProtectSystem=strict',
  'ProtectHome=yes',
  ...(writable ? [`ReadWritePaths=${writable}`] : []),
];

/** A oneshot service run as etcd beside the local etcd.service: `exec` lines, then the hardening. */
function oneshotService(description: string, exec: readonly string[], writable?: string): string {
  return [
    '[Unit]',
    `Description=${description} (rendered by kprod)`,
    'Requires=etcd.service',
    'After=etcd.service',
    '',
    '[Service]',
    'Type=oneshot',
    'User=etcd',
    'Group=etcd',
    ...exec,
    ...hardening(writable),
    '',
  ].join('\n');
}

/** etcd-backup.service */
export function renderEtcdBackupService(opts: EtcdMaintenanceOptions & { readonly backup: NonNullable<EtcdMaintenanceOptions['backup']> }): string {
  const metricDir = opts.backup.successMetricFile && posix.dirname(opts.backup.successMetricFile);
  const writable = [opts.backup.dir ?? DEFAULT_BACKUP_DIR, ...(metricDir ? [metricDir] : [])].join(' ');
  return oneshotService(`etcd snapshot of member ${opts.memberName}`, [`ExecStart=/bin/sh ${ETCD_BACKUP_SCRIPT_PATH}`], writable);
}

/** etcd-defrag.service: the local member only (no `--cluster`), after its stagger delay. */
export function renderEtcdDefragService(opts: EtcdMaintenanceOptions): string {
  const etcdctl = `${opts.etcdctl ?? '/usr/bin/etcdctl'} ${localEtcdctlFlags(opts).join(' ')}`;
  const delay = opts.memberIndex * DEFRAG_STAGGER_SECONDS;
  return oneshotService(`etcd defragmentation of member ${opts.memberName}`, [
    ...(delay > 0 ? [`ExecStartPre=/bin/sleep ${delay}`] : []),
    // Never defragment a member that is not healthy (it may be the one keeping quorum).
    `ExecStartPre=${etcdctl} endpoint health`,
    `ExecStart=${etcdctl} --command-timeout=${LONG_COMMAND_TIMEOUT} defrag`,
  ]);
}

/** A timer for `<unit>.service`. */
export function renderTimer(description: string, calendar: string): string {
  return [
    '[Unit]',
    `Description=${description} (rendered by kprod)`,
    '',
    '[Timer]',
    `OnCalendar=${calendar}`,
    // Run a missed backup/defrag after the VM was down at the scheduled time.
    'Persistent=true',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}

export interface EtcdMaintenance {
  readonly files: HostFile[];
  /** Timers to enable (`systemctl enable --now`). */
  readonly timers: string[];
  /** Directories to create: path, owner, mode. */
  readonly directories: { readonly path: string; readonly owner: string; readonly mode: string }[];
}

/** Files, timers and directories of the member's maintenance. Throws (with the spec path) on an unconvertible schedule. */
export function etcdMaintenance(opts: EtcdMaintenanceOptions): EtcdMaintenance {
  const path = opts.specPath ?? 'controlPlane.etcd';
  const files: HostFile[] = [];
  const timers: string[] = [];
  const directories: EtcdMaintenance['directories'][number][] = [];
  const unit = (name: string, content: string): HostFile => ({ path: `${SYSTEMD_DIR}/${name}`, content, owner: 'root:root', permissions: '0644' });
  if (opts.backup) {
    const backup = { ...opts, backup: opts.backup };
    files.push(
      { path: ETCD_BACKUP_SCRIPT_PATH, content: renderEtcdBackupScript(backup), owner: 'root:root', permissions: '0755' },
      unit('etcd-backup.service', renderEtcdBackupService(backup)),
      unit('etcd-backup.timer', renderTimer(`etcd snapshot of member ${opts.memberName}`, onCalendar(opts.backup.schedule, `${path}.backup.schedule`))),
    );
    timers.push('etcd-backup.timer');
    directories.push({ path: opts.backup.dir ?? DEFAULT_BACKUP_DIR, owner: 'etcd:etcd', mode: '0700' });
    // Readable by node_exporter (user prometheus), writable by the backup (user etcd).
    if (opts.backup.successMetricFile) directories.push({ path: posix.dirname(opts.backup.successMetricFile), owner: 'etcd:etcd', mode: '0755' });
  }
  if (opts.defrag) {
    files.push(
      unit('etcd-defrag.service', renderEtcdDefragService(opts)),
      unit('etcd-defrag.timer', renderTimer(`etcd defragmentation of member ${opts.memberName}`, onCalendar(opts.defrag.schedule, `${path}.defrag.schedule`))),
    );
    timers.push('etcd-defrag.timer');
  }
  return { files, timers, directories };
}
