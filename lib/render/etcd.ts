/**
 * etcd settings from the spec: tuning (timeouts from the network RTT, quota, compaction,
 * snapshots), the kubeadm local-etcd `extraArgs` of the stacked topology, and the config file
 * of an external member. TLS everywhere, client and peer certificates required (CIS 2.1-2.6).
 *
 * Timeouts follow etcd's tuning guide: the heartbeat should be about the round-trip time between
 * members (kprod takes 1.5×RTT, never below etcd's 100 ms default) and the election timeout at
 * least 10× the heartbeat. etcd caps the election timeout at 50 s.
 */
import { yamlText } from './yaml-text';
import { toBytes } from '../sizing/quantity';
import type { ClusterSpec } from '../spec';
import { ETCD_PKI_DIR, type EtcdMemberRef } from '../pki/etcd-plan';
import type { ExtraArg } from './types';
import { STRONG_TLS_CIPHER_SUITES } from './tls';

type EtcdSpec = ClusterSpec['controlPlane']['etcd'];

/** The shared strong TLS 1.2 suites (lib/render/tls.ts). */
export const ETCD_CIPHER_SUITES = STRONG_TLS_CIPHER_SUITES;

export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;
export const ETCD_METRICS_PORT = 2381;
export const ETCD_DATA_DIR = '/var/lib/etcd';
export const ETCD_CONFIG_PATH = '/etc/etcd/etcd.conf.yml';
const MIN_HEARTBEAT_MS = 100;
const MAX_HEARTBEAT_MS = 5000;
const MAX_ELECTION_MS = 50000;

export interface EtcdTuning {
  readonly heartbeatIntervalMs: number;
  readonly electionTimeoutMs: number;
  readonly quotaBackendBytes: number;
  readonly autoCompactionMode: 'periodic' | 'revision';
  readonly autoCompactionRetention: string;
  readonly snapshotCount: number;
}

/** Heartbeat and election timeout for a member-to-member round-trip time. */
export function etcdTimeouts(networkRttMs: number): { heartbeatIntervalMs: number; electionTimeoutMs: number } {
  const heartbeatIntervalMs = Math.min(MAX_HEARTBEAT_MS, Math.max(MIN_HEARTBEAT_MS, Math.round(networkRttMs * 1.5)));
  return { heartbeatIntervalMs, electionTimeoutMs: Math.min(MAX_ELECTION_MS, heartbeatIntervalMs * 10) };
}

/** The tuning values of the spec's etcd settings. */
export function etcdTuning(etcd: EtcdSpec): EtcdTuning {
  return {
    ...etcdTimeouts(etcd.networkRttMs),
    quotaBackendBytes: toBytes(etcd.quotaBackendBytes),
    autoCompactionMode: etcd.autoCompaction.mode,
    autoCompactionRetention: etcd.autoCompaction.retention,
    snapshotCount: etcd.snapshotCount,
  };
}

function tuningFlags(t: EtcdTuning): [string, string][] {
  return [
    ['heartbeat-interval', String(t.heartbeatIntervalMs)],
    ['election-timeout', String(t.electionTimeoutMs)],
    ['quota-backend-bytes', String(t.quotaBackendBytes)],
    ['auto-compaction-mode', t.autoCompactionMode],
    ['auto-compaction-retention', t.autoCompactionRetention],
    ['snapshot-count', String(t.snapshotCount)],
  ];
}

/**
 * kubeadm `etcd.local.extraArgs` (list form) for the stacked topology. kubeadm already wires the
 * certificates; the CIS flags are repeated so that the intent is explicit and checkable in dist/.
 */
export function stackedEtcdExtraArgs(etcd: EtcdSpec): ExtraArg[] {
  return [
    ...tuningFlags(etcdTuning(etcd)),
    ['client-cert-auth', 'true'],
    ['peer-client-cert-auth', 'true'],
    ['auto-tls', 'false'],
    ['peer-auto-tls', 'false'],
    ['cipher-suites', ETCD_CIPHER_SUITES.join(',')],
  ].map(([name, value]) => ({ name, value }));
}

/** A member with the ports it uses (the defaults are the IANA ports). */
export interface EtcdMemberEndpoint extends EtcdMemberRef {
  /** @default 2379 */
  readonly clientPort?: number;
  /** @default 2380 */
  readonly peerPort?: number;
}

export interface EtcdMemberConfigOptions {
  /** Name of the member this config is for (one of `members`). */
  readonly name: string;
  readonly members: readonly EtcdMemberEndpoint[];
  readonly tuning: EtcdTuning;
  /** Unique per etcd cluster, e.g. `<cluster>-etcd`. */
  readonly clusterToken: string;
  /** `new` when bootstrapping, `existing` when a member joins a running cluster. @default "new" */
  readonly initialClusterState?: 'new' | 'existing';
  /** @default "/var/lib/etcd" */
  readonly dataDir?: string;
  /** Directory holding ca.crt, server.crt/key, peer.crt/key (see lib/pki/etcd-plan). @default "/etc/etcd/pki" */
  readonly pkiDir?: string;
  /**
   * Plain-HTTP metrics listener on 127.0.0.1 and the member's own address (Prometheus in the
   * workload cluster scrapes it there; the security group opens it to the worker nodes only);
   * null disables. Plain HTTP on purpose: etcd serves only /metrics and /health on this URL, never
   * the KV API, while https would make Prometheus hold a certificate of the etcd CA, and every
   * such certificate is also a full etcd client on the client port (client-cert-auth trusts the CA).
   * @default 2381
   */
  readonly metricsPort?: number | null;
}

const clientUrl = (m: EtcdMemberEndpoint) => `https://${m.ip}:${m.clientPort ?? ETCD_CLIENT_PORT}`;
const metricsUrl = (ip: string, port: number) => `http://${ip}:${port}`;
const peerUrl = (m: EtcdMemberEndpoint) => `https://${m.ip}:${m.peerPort ?? ETCD_PEER_PORT}`;

/** A `*-transport-security` section: the `cert` key pair, client certificates required and checked against the etcd CA. */
const transportSecurity = (pki: string, cert: 'server' | 'peer') => ({
  'cert-file': `${pki}/${cert}.crt`,
  'key-file': `${pki}/${cert}.key`,
  'client-cert-auth': true,
  'trusted-ca-file': `${pki}/ca.crt`,
  'auto-tls': false,
});

/** Client URLs of the members (for `--etcd-servers` of the apiserver / kubeadm `etcd.external.endpoints`). */
export function etcdClientUrls(members: readonly EtcdMemberEndpoint[]): string[] {
  return members.map(clientUrl);
}

/** The member's etcd config file (etcd `--config-file` YAML; keys as etcd 3.4/3.5 read them). */
export function renderEtcdMemberConfig(opts: EtcdMemberConfigOptions): string {
  const self = opts.members.find((m) => m.name === opts.name);
  if (!self) throw new Error(`etcd config: member "${opts.name}" is not among members (${opts.members.map((m) => m.name).join(', ')})`);
  const pki = opts.pkiDir ?? ETCD_PKI_DIR;
  const localClient = `https://127.0.0.1:${self.clientPort ?? ETCD_CLIENT_PORT}`;
  const metricsPort = opts.metricsPort === undefined ? ETCD_METRICS_PORT : opts.metricsPort;
  const t = opts.tuning;
  const config = {
    name: self.name,
    'data-dir': opts.dataDir ?? ETCD_DATA_DIR,
    'listen-peer-urls': peerUrl(self),
    'listen-client-urls': [...new Set([clientUrl(self), localClient])].join(','),
    'initial-advertise-peer-urls': peerUrl(self),
    'advertise-client-urls': clientUrl(self),
    ...(metricsPort === null ? {} : { 'listen-metrics-urls': [...new Set([metricsUrl(self.ip, metricsPort), metricsUrl('127.0.0.1', metricsPort)])].join(',') }),
    'initial-cluster': opts.members.map((m) => `${m.name}=${peerUrl(m)}`).join(','),
    'initial-cluster-state': opts.initialClusterState ?? 'new',
    'initial-cluster-token': opts.clusterToken,
    'heartbeat-interval': t.heartbeatIntervalMs,
    'election-timeout': t.electionTimeoutMs,
    'snapshot-count': t.snapshotCount,
    'quota-backend-bytes': t.quotaBackendBytes,
    'auto-compaction-mode': t.autoCompactionMode,
    'auto-compaction-retention': t.autoCompactionRetention,
    'client-transport-security': transportSecurity(pki, 'server'),
    'peer-transport-security': transportSecurity(pki, 'peer'),
    'cipher-suites': [...ETCD_CIPHER_SUITES],
    logger: 'zap',
    'log-outputs': ['stderr'],
  };
  return `# Rendered by kprod: etcd member ${self.name}.\n${yamlText(config, { lineWidth: 0 })}`;
}

