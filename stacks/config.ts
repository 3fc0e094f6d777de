/**
 * Stack configuration: everything the stack reads from `Pulumi.<stack>.yaml` (plain settings)
 * and `pulumi config set --secret` (keys, credentials), in one typed object.
 */
import * as pulumi from '@pulumi/pulumi';
import { loadSpecFile, type FleetSpec } from '../lib/spec';
import { parseHosts, type StaticHost } from './baremetal/inventory';
import { DEFAULT_LIFETIMES, type CertificateLifetimes } from './pki/certs';
import type { ManagementClusterArgs } from './openstack/management-cluster';
import type { GitCredentials } from './bootstrap/argocd';
import { DEFAULT_VERSIONS, type BootstrapVersions } from './bootstrap/versions';
import type { SshAccess } from './ssh';

/** Default spec module: the compiled example fleet (`npm run build`). */
export const DEFAULT_SPEC = './build/examples/fleet.js';

export interface StackSettings {
  /** The validated fleet (`kprod:spec`). */
  readonly fleet: FleetSpec;
  /** Environment this stack provisions (`kprod:environment`). @default the stack name */
  readonly environment: string;
  /** SSH access (`kprod:sshUser`, secret `kprod:sshPrivateKey`). @default none: no SSH steps */
  readonly ssh?: SshAccess;
  /** Static inventory (`kprod:hosts`). @default [] */
  readonly hosts: readonly StaticHost[];
  /** Own the cluster CA (`kprod:ownClusterCa`). @default false */
  readonly ownClusterCa: boolean;
  /** Certificate validity and renewal (`kprod:pki`). @default DEFAULT_LIFETIMES */
  readonly lifetimes: CertificateLifetimes;
  /** Name of the current encryption key (`kprod:encryptionKeyName`); a new name generates a new key. @default "kprod-1" */
  readonly encryptionKeyName: string;
  /** clouds.yaml for CAPO (secret `kprod:cloudsYaml`) and the OpenStack API CA bundle (secret `kprod:cloudCaCert`). @default none */
  readonly cloudsYaml?: pulumi.Output<string>;
  readonly cloudCaCert?: pulumi.Output<string>;
  /** OCCM's cloud.conf (INI) for every OpenStack cluster's `kube-system/cloud-config` (secret `kprod:occmCloudConf`). @default none */
  readonly occmCloudConf?: pulumi.Output<string>;
  /** kubeconfig of the management cluster (secret `kprod:managementKubeconfig`). @default none: nothing is written into Kubernetes */
  readonly managementKubeconfig?: pulumi.Output<string>;
  /** VMs for the management cluster (`kprod:management`). @default none */
  readonly management?: Omit<ManagementClusterArgs, 'environment'>;
  /** Create Ironic flavors for the SKUs' host classes (`kprod:ironicFlavors`). @default false */
  readonly ironicFlavors: boolean;
  /** Install Cluster API and Argo CD (`kprod:bootstrap`). @default true */
  readonly bootstrap: boolean;
  /** Clusters to register with Argo CD from their Cluster API kubeconfig (`kprod:registerClusters`). @default [] */
  readonly registerClusters: readonly string[];
  /** Pinned versions (`kprod:versions`, partial). @default DEFAULT_VERSIONS */
  readonly versions: BootstrapVersions;
  /** GitOps repository credentials (`kprod:gitUsername`, secrets `kprod:gitPassword` or `kprod:gitSshPrivateKey`). @default none (public repository) */
  readonly gitCredentials?: GitCredentials;
  /**
   * S3 keys external etcd members upload their snapshots with (secrets `kprod:etcdBackupUploadAccessKeyId`
   * and `kprod:etcdBackupUploadSecretAccessKey`), for clusters with `controlPlane.etcd.backup.upload`.
   * @default none
   */
  readonly etcdBackupUpload?: EtcdBackupUploadCredentials;
}

/** S3 keys of the external etcd backup upload; only ever Pulumi secrets. */
export interface EtcdBackupUploadCredentials {
  readonly accessKeyId: pulumi.Output<string>;
  readonly secretAccessKey: pulumi.Output<string>;
}

/** Reads the stack configuration of the current stack (namespace `kprod`). */
export function readStackSettings(config = new pulumi.Config('kprod')): StackSettings {
  const specFile = config.get('spec') ?? DEFAULT_SPEC;
  const { spec, warnings } = loadSpecFile(specFile);
  for (const w of warnings) pulumi.log.warn(`${w.path}: ${w.message}`);
  const environment = config.get('environment') ?? pulumi.getStack();
  if (!spec.environments.some((e) => e.name === environment))
    throw new Error(`kprod:environment: "${environment}" is not an environment of ${specFile}; have ${spec.environments.map((e) => e.name).join(', ')}`);
  const privateKey = config.getSecret('sshPrivateKey');
  const gitPassword = config.getSecret('gitPassword');
  const gitSshKey = config.getSecret('gitSshPrivateKey');
  const uploadKeyId = config.getSecret('etcdBackupUploadAccessKeyId');
  const uploadSecret = config.getSecret('etcdBackupUploadSecretAccessKey');
  return {
    fleet: spec,
    environment,
    ssh: privateKey ? { user: config.get('sshUser') ?? 'ubuntu', privateKey, port: config.getNumber('sshPort') ?? 22 } : undefined,
    hosts: parseHosts(config.getObject('hosts')),
    ownClusterCa: config.getBoolean('ownClusterCa') ?? false,
    lifetimes: { ...DEFAULT_LIFETIMES, ...config.getObject<Partial<CertificateLifetimes>>('pki') },
    encryptionKeyName: config.get('encryptionKeyName') ?? 'kprod-1',
    cloudsYaml: config.getSecret('cloudsYaml'),
    cloudCaCert: config.getSecret('cloudCaCert'),
    occmCloudConf: config.getSecret('occmCloudConf'),
    managementKubeconfig: config.getSecret('managementKubeconfig'),
    management: config.getObject<Omit<ManagementClusterArgs, 'environment'>>('management'),
    ironicFlavors: config.getBoolean('ironicFlavors') ?? false,
    bootstrap: config.getBoolean('bootstrap') ?? true,
    registerClusters: config.getObject<string[]>('registerClusters') ?? [],
    versions: { ...DEFAULT_VERSIONS, ...config.getObject<Partial<BootstrapVersions>>('versions') },
    gitCredentials: gitPassword || gitSshKey ? { username: config.get('gitUsername'), password: gitPassword, sshPrivateKey: gitSshKey } : undefined,
    etcdBackupUpload: uploadKeyId && uploadSecret ? { accessKeyId: uploadKeyId, secretAccessKey: uploadSecret } : undefined,
  };
}
