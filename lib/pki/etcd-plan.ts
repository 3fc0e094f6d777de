/**
 * The TLS plan of an etcd cluster: which certificates exist, with which subjects, SANs, key
 * usages and validity. Pure data: the Pulumi stack issues them with @pulumi/tls and the
 * integration test with openssl, so both follow one plan. Key usage names are @pulumi/tls's
 * `allowedUses` vocabulary.
 *
 * A cluster with a separate events etcd issues both etcd clusters' certificates from ONE CA
 * (plan the events members with the same CA and client certificates): the apiserver has a single
 * etcd client TLS config for `--etcd-servers` and `--etcd-servers-overrides`.
 */

/** Where certificates live on an etcd member (external topology). */
export const ETCD_PKI_DIR = '/etc/etcd/pki';
/** Where the apiserver's etcd client certificate lives on control-plane machines (kubeadm's path). */
export const APISERVER_ETCD_CLIENT_DIR = '/etc/kubernetes/pki';
/** kubeadm's etcd PKI on control-plane machines (stacked topology: CA, member and healthcheck-client certificates). */
export const KUBEADM_ETCD_PKI_DIR = `${APISERVER_ETCD_CLIENT_DIR}/etcd`;

export type KeyUsage = 'digital_signature' | 'key_encipherment' | 'cert_signing' | 'crl_signing' | 'server_auth' | 'client_auth';

export interface EtcdMemberRef {
  readonly name: string;
  readonly ip: string;
}

export interface CertificatePlan {
  /** Stable identifier, e.g. `ca`, `server-etcd-0`, `peer-etcd-0`, `apiserver-etcd-client`. */
  readonly id: string;
  readonly commonName: string;
  readonly organization?: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly isCa: boolean;
  /** Key usages and extended key usages together (@pulumi/tls `allowedUses`). */
  readonly allowedUses: readonly KeyUsage[];
  readonly validityHours: number;
  /** Key algorithm. @default ECDSA P256 */
  readonly key: { readonly algorithm: 'ECDSA'; readonly curve: 'P256' };
  /** File names relative to the holder's PKI directory. */
  readonly certFile: string;
  readonly keyFile: string;
  /** Member this certificate belongs to (server and peer certificates). */
  readonly member?: string;
}

export interface EtcdTlsPlan {
  readonly ca: CertificatePlan;
  /** One server and one peer certificate per member, in member order. */
  readonly members: readonly { readonly member: EtcdMemberRef; readonly server: CertificatePlan; readonly peer: CertificatePlan }[];
  readonly apiserverClient: CertificatePlan;
  readonly healthcheckClient: CertificatePlan;
}

export interface EtcdTlsPlanOptions {
  /** Prefix of subjects, e.g. the cluster name. */
  readonly clusterName: string;
  /** @default 87600 (10 years) */
  readonly caValidityHours?: number;
  /** @default 8760 (1 year; kubeadm's leaf validity) */
  readonly leafValidityHours?: number;
}

const KEY = { algorithm: 'ECDSA', curve: 'P256' } as const;

/** The TLS plan for the given members; throws when a member name repeats. */
export function etcdTlsPlan(members: readonly EtcdMemberRef[], opts: EtcdTlsPlanOptions): EtcdTlsPlan {
  // Names identify certificates; IPs may repeat (members on one host with distinct ports, as in tests).
  const repeated = [...new Set(members.map((m) => m.name).filter((n, i, all) => all.indexOf(n) !== i))];
  if (repeated.length) throw new Error(`etcd TLS plan: member names repeat: ${repeated.join(', ')}`);
  const leaf = opts.leafValidityHours ?? 8760;
  const memberCert = (m: EtcdMemberRef, kind: 'server' | 'peer'): CertificatePlan => ({
    id: `${kind}-${m.name}`,
    commonName: m.name,
    dnsNames: [m.name, 'localhost'],
    ipAddresses: [m.ip, '127.0.0.1'],
    isCa: false,
    // Peers dial each other, so peer certificates are both server and client; kubeadm does the
    // same for the server certificate (etcd's gateway/grpc-proxy use it as a client).
    allowedUses: ['digital_signature', 'key_encipherment', 'server_auth', 'client_auth'],
    validityHours: leaf,
    key: KEY,
    certFile: `${kind}.crt`,
    keyFile: `${kind}.key`,
    member: m.name,
  });
  const client = (id: string, commonName: string): CertificatePlan => ({
    id,
    commonName,
    dnsNames: [],
    ipAddresses: [],
    isCa: false,
    allowedUses: ['digital_signature', 'key_encipherment', 'client_auth'],
    validityHours: leaf,
    key: KEY,
    certFile: `${id}.crt`,
    keyFile: `${id}.key`,
  });
  return {
    ca: {
      id: 'ca',
      commonName: `${opts.clusterName}-etcd-ca`,
      organization: 'kprod',
      dnsNames: [],
      ipAddresses: [],
      isCa: true,
      allowedUses: ['digital_signature', 'key_encipherment', 'cert_signing', 'crl_signing'],
      validityHours: opts.caValidityHours ?? 87600,
      key: KEY,
      certFile: 'ca.crt',
      keyFile: 'ca.key',
    },
    members: members.map((m) => ({ member: m, server: memberCert(m, 'server'), peer: memberCert(m, 'peer') })),
    apiserverClient: client('apiserver-etcd-client', 'kube-apiserver-etcd-client'),
    healthcheckClient: client('healthcheck-client', 'kube-etcd-healthcheck-client'),
  };
}
