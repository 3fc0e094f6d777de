import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { renderEncryptionConfiguration } from '../../lib/render/encryption-config';
import type { ClusterSpec } from '../../lib/spec';
import { DEFAULT_LIFETIMES, selfSignedCa, type CertificateLifetimes, type IssuedCert } from './certs';

export interface ClusterPkiArgs {
  readonly cluster: ClusterSpec;
  /** Issue the cluster CA here instead of letting Cluster API generate it (stack config `kprod:ownClusterCa`). @default false */
  readonly ownClusterCa?: boolean;
  /** @default DEFAULT_LIFETIMES */
  readonly lifetimes?: CertificateLifetimes;
  /**
   * Name of the encryption key; changing it (stack config `kprod:encryptionKeyName`) generates a
   * new key. @default "kprod-1"
   */
  readonly encryptionKeyName?: string;
}

/**
 * Cluster-wide secrets Pulumi owns: the cluster CA (only when asked; RSA 2048 like kubeadm's,
 * since Cluster API and every kubeadm version read it) and the encryption-at-rest key with its
 * rendered EncryptionConfiguration.
 */
export class ClusterPki extends pulumi.ComponentResource {
  public readonly clusterCa?: IssuedCert;
  /** The rendered EncryptionConfiguration (secret), or undefined when encryption at rest is off. */
  public readonly encryptionConfig?: pulumi.Output<string>;

  constructor(name: string, args: ClusterPkiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:pki:ClusterPki', name, {}, opts);
    const { cluster } = args;
    const lifetimes = args.lifetimes ?? DEFAULT_LIFETIMES;
    if (args.ownClusterCa)
      this.clusterCa = selfSignedCa(
        `${name}-cluster-ca`,
        { commonName: 'kubernetes', organization: `kprod ${cluster.environment}/${cluster.name}`, allowedUses: ['digital_signature', 'key_encipherment', 'cert_signing'] },
        lifetimes,
        this,
        'RSA',
      );
    if (cluster.controlPlane.encryptionAtRest.enabled) {
      const keyName = args.encryptionKeyName ?? 'kprod-1';
      // 32 random bytes: the key size of aescbc, aesgcm and secretbox. The key name is a keeper,
      // so a new name means a new key.
      const key = new random.RandomBytes(`${name}-encryption-key`, { length: 32, keepers: { name: keyName } }, { parent: this, additionalSecretOutputs: ['base64', 'hex'] });
      this.encryptionConfig = pulumi.secret(key.base64.apply((secret) => renderEncryptionConfiguration(cluster, [{ name: keyName, secret }])));
    }
    this.registerOutputs({});
  }
}
