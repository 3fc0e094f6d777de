import { stringify } from 'yaml';
import type { ClusterSpec } from '../spec';

/** Where the EncryptionConfiguration lands on control-plane machines. */
export const ENCRYPTION_CONFIG_DIR = '/etc/kubernetes/encryption';
export const ENCRYPTION_CONFIG_PATH = `${ENCRYPTION_CONFIG_DIR}/encryption-config.yaml`;
/**
 * Key inside the Secret `names.secrets.encryption(cluster)` (written by the Pulumi stack in the
 * capi namespace) that holds the whole rendered EncryptionConfiguration file. The
 * KubeadmControlPlane only references it (`files[].contentFrom.secret`), so the key never enters git.
 */
export const ENCRYPTION_SECRET_KEY = 'encryption-config.yaml';

/** A named encryption key: `secret` is the base64 of 32 random bytes (aescbc, aesgcm, secretbox all take 32-byte keys). */
export interface EncryptionKey {
  readonly name: string;
  readonly secret: string;
}

/**
 * The apiserver.config.k8s.io/v1 EncryptionConfiguration for the cluster's `encryptionAtRest`.
 * The first key encrypts; later keys still decrypt (rotation: prepend the new key, roll the
 * control plane, rewrite all secrets, then drop the old key). `identity` comes last so that data
 * written before encryption was enabled stays readable.
 * Called by the Pulumi stack with keys it generates; pure and deterministic.
 */
export function encryptionConfiguration(cluster: Pick<ClusterSpec, 'controlPlane'>, keys: readonly EncryptionKey[]): Record<string, unknown> {
  const enc = cluster.controlPlane.encryptionAtRest;
  if (enc.provider === 'kms') return kmsEncryptionConfiguration(enc);
  if (!keys.length) throw new Error('encryptionConfiguration: at least one key is required');
  for (const k of keys) {
    if (Buffer.from(k.secret, 'base64').length !== 32)
      throw new Error(`encryptionConfiguration: key ${k.name} must be base64 of exactly 32 bytes`);
  }
  return {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [
      {
        resources: [...enc.resources],
        providers: [{ [enc.provider]: { keys: keys.map((k) => ({ name: k.name, secret: k.secret })) } }, { identity: {} }],
      },
    ],
  };
}

export function renderEncryptionConfiguration(cluster: Pick<ClusterSpec, 'controlPlane'>, keys: readonly EncryptionKey[]): string {
  return stringify(encryptionConfiguration(cluster, keys));
}

/**
 * KMS v2 (`provider: kms`): the data keys come from the plugin listening on `kms.endpoint` on every
 * control-plane machine, so the file carries no key material; `identity` last keeps data written
 * before encryption readable.
 */
function kmsEncryptionConfiguration(enc: ClusterSpec['controlPlane']['encryptionAtRest']): Record<string, unknown> {
  if (!enc.kms) throw new Error('encryptionConfiguration: encryptionAtRest.provider is kms but encryptionAtRest.kms is not set');
  return {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [
      {
        resources: [...enc.resources],
        providers: [{ kms: { apiVersion: 'v2', name: enc.kms.name, endpoint: enc.kms.endpoint, timeout: enc.kms.timeout } }, { identity: {} }],
      },
    ],
  };
}
