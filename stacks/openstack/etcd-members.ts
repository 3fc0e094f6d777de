import * as command from '@pulumi/command';
import * as openstack from '@pulumi/openstack';
import * as pulumi from '@pulumi/pulumi';
import { ETCD_PKI_DIR } from '../../lib/pki/etcd-plan';
import { ETCD_DATA_DIR, etcdClientUrls } from '../../lib/render/etcd';
import { externalEtcdUpload, externalEtcdUserData } from '../../lib/render/etcd-cloud-init';
import { ETCD_BACKUP_UPLOAD_CREDENTIALS, renderUploadCredentials } from '../../lib/render/etcd-maintenance';
import type { EtcdBackupUploadCredentials } from '../config';
import type { ClusterSpec } from '../../lib/spec';
import type { EtcdMemberCerts } from '../pki/etcd-pki';
import { installFilesCommand, type RemoteFile } from '../remote-files';
import { connection, type SshAccess } from '../ssh';

/**
 * The data volume is attached after the VM booted (VolumeAttach needs the instance), so the
 * cloud-init disk_setup/mounts modules may have run before /dev/vdb existed. Before the
 * certificates arrive: wait (bounded) for the device, and if /var/lib/etcd is not a mount yet,
 * re-run those two cloud-init modules from the same user data.
 */
export function dataVolumeReadyScript(device = '/dev/vdb', dataDir = ETCD_DATA_DIR): string {
  return [
    'set -eu',
    `for i in $(seq 1 60); do [ -b ${device} ] && break; sleep 5; done`,
    `[ -b ${device} ] || { echo "${device} did not appear" >&2; exit 1; }`,
    `if ! mountpoint -q ${dataDir}; then cloud-init single --name cc_disk_setup --frequency always && cloud-init single --name cc_mounts --frequency always && mount -a && chown -R etcd:etcd ${dataDir} && chmod 0700 ${dataDir}; fi`,
    `mountpoint -q ${dataDir}`,
  ].join('\n');
}

export interface EtcdMembersArgs {
  readonly cluster: ClusterSpec;
  /** `main` (controlPlane.etcd.external) or `events` (controlPlane.etcd.events). */
  readonly which: 'main' | 'events';
  readonly networkId: pulumi.Input<string>;
  readonly subnetId: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly serverGroupId: pulumi.Input<string>;
  /** Certificates by member name (from `EtcdPki`), copied to /etc/etcd/pki over SSH. */
  readonly certs: Readonly<Record<string, EtcdMemberCerts>>;
  /** etcd CA certificate (public part). */
  readonly caCertPem: pulumi.Input<string>;
  /** SSH access for the certificate copy; omitted means the certificates are not copied (documented manual step). */
  readonly ssh?: SshAccess;
  /** Glance image. @default the cluster's `infrastructure.imageName` */
  readonly imageName?: string;
  /**
   * S3 keys for `controlPlane.etcd.backup.upload` (main etcd only), copied over SSH with the
   * certificates to ETCD_BACKUP_UPLOAD_CREDENTIALS (mode 0600, owner etcd). @default none
   */
  readonly backupUpload?: EtcdBackupUploadCredentials;
}

/**
 * External etcd members as VMs: a port with the member's fixed IP in the etcd security group, a
 * VM in the anti-affinity server group spread over the failure domains, an SSD data volume
 * (cloud-init formats and mounts it at /var/lib/etcd) and the TLS material copied over SSH
 * (never in user data, which Nova serves to anything on the VM).
 */
export class EtcdMembers extends pulumi.ComponentResource {
  /** The members, in the order of the spec's `members`. */
  public readonly members: readonly EtcdMemberResources[];
  /** Client URLs of the members (what the apiserver's `etcd.external.endpoints` lists). */
  public readonly clientUrls: readonly string[];

  constructor(name: string, args: EtcdMembersArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:openstack:EtcdMembers', name, {}, opts);
    const { cluster, which } = args;
    const infra = cluster.infrastructure;
    if (infra.provider !== 'openstack') throw new Error(`EtcdMembers: cluster ${cluster.name} is not on OpenStack`);
    const group = which === 'main' ? cluster.controlPlane.etcd.external : cluster.controlPlane.etcd.events;
    if (!group) throw new Error(`clusters.${cluster.name}.controlPlane.etcd.${which === 'main' ? 'external' : 'events'}: not set`);
    const zones = cluster.failureDomains;
    // Without the keys the members still take local snapshots; each upload fails visibly (unit failed, "no upload credentials").
    if (which === 'main' && externalEtcdUpload(cluster) && !args.backupUpload)
      void pulumi.log.warn(
        `clusters.${cluster.name}.controlPlane.etcd.backup.upload: external etcd members need the S3 keys as Pulumi secrets (pulumi config set --secret kprod:etcdBackupUploadAccessKeyId …, kprod:etcdBackupUploadSecretAccessKey …); until then their uploads fail`,
        this,
      );

    this.members = group.members.map((member, i) => {
      const id = `${name}-${member.name}`;
      const child = { parent: this };
      const zone = zones[i % zones.length];
      const vmName = `kprod-${cluster.environment}-${cluster.name}-${member.name}`;
      const port = new openstack.networking.Port(
        `${id}-port`,
        { name: vmName, networkId: args.networkId, fixedIps: [{ subnetId: args.subnetId, ipAddress: member.ip }], securityGroupIds: [args.securityGroupId] },
        child,
      );
      const volume = new openstack.blockstorage.Volume(
        `${id}-data`,
        { name: `${vmName}-data`, size: group.volumeSizeGiB, volumeType: group.volumeType, availabilityZone: zone, description: `etcd data of ${member.name}` },
        child,
      );
      const instance = new openstack.compute.Instance(
        `${id}-vm`,
        {
          name: vmName,
          flavorName: group.flavor,
          imageName: args.imageName ?? infra.imageName,
          ...(infra.sshKeyName ? { keyPair: infra.sshKeyName } : {}),
          availabilityZone: zone,
          networks: [{ port: port.id }],
          schedulerHints: [{ group: args.serverGroupId }],
          userData: externalEtcdUserData(cluster, which, member.name),
          metadata: { 'kprod.io/environment': cluster.environment, 'kprod.io/cluster': cluster.name, 'kprod.io/role': `etcd-${which}` },
        },
        // Changed user data would replace the VM, and Pulumi could replace every member at once and
        // lose quorum. cloud-init runs at first boot only anyway: roll members one at a time on purpose
        // (`pulumi up --replace <urn>`), never as a side effect of a rendering change.
        { ...child, ignoreChanges: ['userData'] },
      );
      const attachment = new openstack.compute.VolumeAttach(`${id}-data-attach`, { instanceId: instance.id, volumeId: volume.id }, child);
      const certCopy = args.ssh ? this.copyCerts(id, member, args, [attachment]) : undefined;
      return { name: member.name, ip: member.ip, port, instance, volume, attachment, certCopy };
    });
    this.clientUrls = etcdClientUrls(group.members);
    this.registerOutputs({ clientUrls: this.clientUrls });
  }

  private copyCerts(id: string, member: { name: string; ip: string }, args: EtcdMembersArgs, dependsOn: pulumi.Resource[]): command.remote.Command {
    const certs = args.certs[member.name];
    if (!certs) throw new Error(`etcd member ${member.name}: no certificates issued`);
    const upload = args.which === 'main' && externalEtcdUpload(args.cluster) ? args.backupUpload : undefined;
    const files = pulumi
      .all([args.caCertPem, certs.serverCertPem, certs.serverKeyPem, certs.peerCertPem, certs.peerKeyPem, upload?.accessKeyId ?? '', upload?.secretAccessKey ?? ''])
      .apply(([ca, serverCrt, serverKey, peerCrt, peerKey, keyId, secret]): RemoteFile[] => [
        { path: `${ETCD_PKI_DIR}/ca.crt`, content: ca, mode: '0644', owner: 'etcd:etcd' },
        { path: `${ETCD_PKI_DIR}/server.crt`, content: serverCrt, mode: '0644', owner: 'etcd:etcd' },
        { path: `${ETCD_PKI_DIR}/server.key`, content: serverKey, mode: '0600', owner: 'etcd:etcd' },
        { path: `${ETCD_PKI_DIR}/peer.crt`, content: peerCrt, mode: '0644', owner: 'etcd:etcd' },
        { path: `${ETCD_PKI_DIR}/peer.key`, content: peerKey, mode: '0600', owner: 'etcd:etcd' },
        // Off-host backup keys travel like the private keys: over SSH, never in user data.
        ...(upload ? [{ path: ETCD_BACKUP_UPLOAD_CREDENTIALS, content: renderUploadCredentials(keyId, secret), mode: '0600', owner: 'etcd:etcd' }] : []),
      ]);
    return installFilesCommand(
      `${id}-certs`,
      {
        connection: connection(args.ssh!, member.ip),
        // cloud-init creates the etcd user and the PKI directory; wait for it before writing.
        create: 'cloud-init status --wait >/dev/null; sudo sh -s',
        before: `${dataVolumeReadyScript()}\n`,
        files,
      },
      { parent: this, dependsOn },
    );
  }
}

/** One external etcd VM and what belongs to it. */
export interface EtcdMemberResources {
  /** Member name: the etcd `--name`; the VM is `kprod-<environment>-<cluster>-<name>`. */
  readonly name: string;
  /** Fixed IP of the member's port, in its peer and client URLs. */
  readonly ip: string;
  /** Port in the etcd security group. */
  readonly port: openstack.networking.Port;
  /** The VM, in the anti-affinity server group. */
  readonly instance: openstack.compute.Instance;
  /** SSD data volume mounted at /var/lib/etcd. */
  readonly volume: openstack.blockstorage.Volume;
  /** Attachment of the data volume to the VM. */
  readonly attachment: openstack.compute.VolumeAttach;
  /** SSH copy of the member's TLS material. @default none without `args.ssh` */
  readonly certCopy?: command.remote.Command;
}
