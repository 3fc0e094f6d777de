/**
 * cloud-init user-data of an external etcd VM: format and mount the dedicated SSD volume at
 * /var/lib/etcd, install etcd, write the member config and a systemd unit, start etcd, and
 * enable the backup and defragmentation timers (lib/render/etcd-maintenance).
 *
 * Certificates are NOT in the user-data (OpenStack serves user-data to anything on the VM and
 * keeps it in the Nova API). The Pulumi stack copies them to /etc/etcd/pki (owner etcd, mode
 * 0600 for keys) over SSH; until they are there the unit's pre-start check fails and systemd
 * retries every 10 s, so the member starts as soon as its certificates arrive.
 */
import { stringify } from 'yaml';
import { ETCD_PKI_DIR } from '../pki/etcd-plan';
import type { ClusterSpec } from '../spec';
import { ETCD_CONFIG_PATH, ETCD_DATA_DIR, etcdTuning, renderEtcdMemberConfig, type EtcdMemberEndpoint, type EtcdTuning } from './etcd';
import { BACKUP_METRIC_FILE, NODE_EXPORTER_PACKAGE, NODE_EXPORTER_UNIT, nodeExporterHostFiles } from './etcd-host-metrics';
import { etcdMaintenance, type EtcdBackupUpload, type EtcdMaintenanceOptions } from './etcd-maintenance';

export const ETCD_UNIT_PATH = '/etc/systemd/system/etcd.service';

export interface EtcdCloudInitOptions {
  readonly memberName: string;
  readonly members: readonly EtcdMemberEndpoint[];
  readonly tuning: EtcdTuning;
  readonly clusterToken: string;
  /** Block device of the SSD data volume (first Cinder volume on virtio). @default "/dev/vdb" */
  readonly dataDevice?: string;
  /** Distribution package providing /usr/bin/etcd. @default "etcd-server" */
  readonly etcdPackage?: string;
  /** Distribution package providing /usr/bin/etcdctl (backup, defrag). @default "etcd-client" */
  readonly etcdctlPackage?: string;
  /** Backup and defragmentation timers. @default none */
  readonly maintenance?: Omit<EtcdMaintenanceOptions, 'memberName'>;
  /** node_exporter from the distribution package on the member address, for Prometheus (etcd-host-metrics.ts). @default false */
  readonly nodeExporter?: boolean;
}

/** The systemd unit of the member. */
export function renderEtcdUnit(memberName: string): string {
  const certs = ['ca.crt', 'server.crt', 'server.key', 'peer.crt', 'peer.key'].map((f) => `${ETCD_PKI_DIR}/${f}`).join(' ');
  return [
    '[Unit]',
    `Description=etcd member ${memberName} (rendered by kprod)`,
    'Documentation=https://etcd.io/docs/',
    'Wants=network-online.target',
    'After=network-online.target',
    `RequiresMountsFor=${ETCD_DATA_DIR}`,
    // Keep retrying while the certificates have not arrived yet.
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=notify',
    'User=etcd',
    'Group=etcd',
    // "$$" is systemd's escape for a literal "$" (systemd expands $VAR in Exec lines itself).
    `ExecStartPre=/bin/sh -c 'for f in ${certs}; do test -r "$$f" || { echo "waiting for $$f"; exit 1; }; done'`,
    `ExecStart=/usr/bin/etcd --config-file ${ETCD_CONFIG_PATH}`,
    'Restart=always',
    'RestartSec=10s',
    'LimitNOFILE=65536',
    // etcd's tuning guide: give etcd's disk I/O the highest best-effort priority.
    'IOSchedulingClass=best-effort',
    'IOSchedulingPriority=0',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

const self = (opts: EtcdCloudInitOptions) => {
  const member = opts.members.find((m) => m.name === opts.memberName);
  if (!member) throw new Error(`etcd cloud-init: member "${opts.memberName}" is not among members`);
  return member;
};

/** `#cloud-config` user-data for one external etcd member. */
export function renderEtcdCloudInit(opts: EtcdCloudInitOptions): string {
  const device = opts.dataDevice ?? '/dev/vdb';
  const config = renderEtcdMemberConfig({
    name: opts.memberName,
    members: opts.members,
    tuning: opts.tuning,
    clusterToken: opts.clusterToken,
  });
  const maintenance = opts.maintenance ? etcdMaintenance({ ...opts.maintenance, memberName: opts.memberName }) : undefined;
  const userData = {
    // Whole device, no partition table; never reformat a volume that already holds data.
    fs_setup: [{ label: 'etcd-data', filesystem: 'ext4', device, partition: 'none', overwrite: false }],
    mounts: [[device, ETCD_DATA_DIR, 'ext4', 'defaults,noatime,nofail', '0', '2']],
    package_update: true,
    packages: [
      opts.etcdPackage ?? 'etcd-server',
      opts.etcdctlPackage ?? 'etcd-client',
      ...(opts.nodeExporter ? [NODE_EXPORTER_PACKAGE] : []),
      ...(opts.maintenance?.backup?.upload ? ['curl'] : []),
    ],
    write_files: [
      { path: ETCD_CONFIG_PATH, content: config, owner: 'root:root', permissions: '0644' },
      { path: ETCD_UNIT_PATH, content: renderEtcdUnit(opts.memberName), owner: 'root:root', permissions: '0644' },
      ...(maintenance?.files ?? []),
      // Written before the package is installed, so node_exporter starts with it.
      ...(opts.nodeExporter ? nodeExporterHostFiles(self(opts).ip) : []),
    ],
    runcmd: [
      ['install', '-d', '-m', '0750', ETCD_PKI_DIR],
      ['sh', '-c', `chown etcd:etcd ${ETCD_PKI_DIR} && chown -R etcd:etcd ${ETCD_DATA_DIR} && chmod 0700 ${ETCD_DATA_DIR}`],
      ...(maintenance?.directories ?? []).map((d) => ['install', '-d', '-o', d.owner.split(':')[0], '-g', d.owner.split(':')[1], '-m', d.mode, d.path]),
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', 'etcd.service'],
      ...(maintenance?.timers.length ? [['systemctl', 'enable', '--now', ...maintenance.timers]] : []),
      ...(opts.nodeExporter ? [['systemctl', 'restart', NODE_EXPORTER_UNIT]] : []),
    ],
  };
  return `#cloud-config\n${stringify(userData, { lineWidth: 0 })}`;
}

/** The off-host target of external members: stacked etcd's `backup.upload`, same default prefix. */
export function externalEtcdUpload(cluster: ClusterSpec): EtcdBackupUpload | undefined {
  const upload = cluster.controlPlane.etcd.backup.upload;
  if (!upload) return undefined;
  return { endpoint: upload.endpoint, bucket: upload.bucket, prefix: upload.prefix ?? `${cluster.environment}/${cluster.name}/`, region: upload.region };
}

/** User-data of a member of the cluster's external etcd (`main`) or events etcd (`events`). */
export function externalEtcdUserData(cluster: ClusterSpec, which: 'main' | 'events', memberName: string): string {
  const etcd = cluster.controlPlane.etcd;
  const group = which === 'main' ? etcd.external : etcd.events;
  if (!group) throw new Error(`controlPlane.etcd.${which === 'main' ? 'external' : 'events'}: not set for cluster ${cluster.name}`);
  const memberIndex = group.members.findIndex((m) => m.name === memberName);
  return renderEtcdCloudInit({
    memberName,
    members: group.members,
    tuning: etcdTuning(etcd),
    clusterToken: `${cluster.environment}-${cluster.name}-etcd${which === 'events' ? '-events' : ''}`,
    maintenance: {
      memberIndex: Math.max(memberIndex, 0),
      // Events expire within an hour (--event-ttl), so only the main etcd is worth snapshots.
      backup:
        which === 'main' && etcd.backup.enabled
          ? {
              schedule: etcd.backup.schedule,
              retain: etcd.backup.retain,
              dir: etcd.backup.hostPath,
              successMetricFile: cluster.addons.monitoring.enabled ? BACKUP_METRIC_FILE : undefined,
              upload: externalEtcdUpload(cluster),
            }
          : undefined,
      defrag: etcd.defrag.enabled ? { schedule: etcd.defrag.schedule } : undefined,
      specPath: `${cluster.environment}/${cluster.name}: controlPlane.etcd`,
    },
    nodeExporter: cluster.addons.monitoring.enabled,
  });
}
