/**
 * The kubeadm configuration of a cluster's control plane, as the `spec.kubeadmConfigSpec` of a
 * Cluster API v1beta2 KubeadmControlPlane (field names of controlplane.cluster.x-k8s.io/v1beta2,
 * which mirror kubeadm v1beta4: extraArgs are lists of {name, value}). Pure data, no secrets:
 * the encryption key and etcd client keys are only referenced.
 */
import { stringify } from 'yaml';
import type {
  KubeadmClusterConfiguration,
  KubeadmConfigSpec,
  KubeadmEtcd,
  KubeadmHostPathMount,
  KubeadmNodeRegistration,
} from '../api';
import { names } from '../naming';
import { KUBEADM_ETCD_PKI_DIR } from '../pki/etcd-plan';
import { congestionSettings, controlPlaneSize } from '../sizing/control-plane';
import type { ClusterSpec } from '../spec';
import { minorDistance } from '../versions/skew';
import { ADMISSION_CONFIG_DIR, ADMISSION_CONFIG_PATH, enabledAdmissionPluginNames, renderAdmissionConfiguration, type AdmissionOptions } from './admission-config';
import { AUDIT_LOG_DIR, AUDIT_LOG_PATH, AUDIT_POLICY_PATH, renderAuditPolicy } from './audit-policy';
import { ENCRYPTION_CONFIG_DIR, ENCRYPTION_CONFIG_PATH, ENCRYPTION_SECRET_KEY } from './encryption-config';
import { endpointHostFiles, endpointPostKubeadmCommands, endpointPreKubeadmCommands } from './endpoint-files';
import { metricsProxyHostFiles } from './metrics-proxy';
import { ETCD_DATA_DIR, etcdClientUrls, stackedEtcdExtraArgs } from './etcd';
import { hostSettings } from './host-settings';
import { KUBEADM_PATCHES_DIR, kubeletHostFiles } from './kubelet';
import { renderSchedulerConfiguration, SCHEDULER_CONFIG_DIR, SCHEDULER_CONFIG_PATH } from './scheduler-config';
import type { ExtraArg, HostFile } from './types';
import { STRONG_TLS_CIPHER_SUITES } from './tls';

/** PKI paths kubeadm uses on control-plane machines. */
export const PKI = {
  ca: '/etc/kubernetes/pki/ca.crt',
  etcdCa: `${KUBEADM_ETCD_PKI_DIR}/ca.crt`,
  apiserverEtcdClientCert: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
  apiserverEtcdClientKey: '/etc/kubernetes/pki/apiserver-etcd-client.key',
} as const;

/** Kubeconfig of the audit webhook backend (from a Secret), beside the audit policy. */
export const AUDIT_WEBHOOK_CONFIG_PATH = '/etc/kubernetes/audit-webhook-kubeconfig.yaml';
export const AUTHENTICATION_CONFIG_DIR = '/etc/kubernetes/authentication';
export const AUTHENTICATION_CONFIG_PATH = `${AUTHENTICATION_CONFIG_DIR}/authentication-config.yaml`;

/**
 * Files Cluster API writes before running kubeadm: `/run/kubeadm/kubeadm.yaml` on the machine that
 * runs `kubeadm init`, `/run/kubeadm/kubeadm-join-config.yaml` on the ones that join. A
 * KubeadmControlPlane has one preKubeadmCommands list for both, so phase-specific commands test these.
 */
export const KUBEADM_INIT_CONFIG = '/run/kubeadm/kubeadm.yaml';
export const KUBEADM_JOIN_CONFIG = '/run/kubeadm/kubeadm-join-config.yaml';

/** The shared strong TLS 1.2 suites (lib/render/tls.ts). */
export const APISERVER_TLS_CIPHER_SUITES = STRONG_TLS_CIPHER_SUITES;

/** Leader election of controller-manager and scheduler (upstream defaults, set explicitly so they are visible and reviewed). */
export const LEADER_ELECTION = { leaseDuration: '15s', renewDeadline: '10s', retryPeriod: '2s' } as const;

/** Options of the kubeadm rendering. */
export interface KubeadmOptions extends AdmissionOptions {
  /**
   * Verify kubelet serving certificates against the cluster CA (`--kubelet-certificate-authority`, CIS 1.2.5).
   * Needs kubelets with `serverTLSBootstrap: true` AND an approver of `kubernetes.io/kubelet-serving`
   * CSRs in the cluster (kube-controller-manager does not approve them); without one, logs/exec fail.
   * @default true
   */
  readonly verifyKubeletServingCerts?: boolean;
  /**
   * `--terminated-pod-gc-threshold` of kube-controller-manager (CIS 1.3.1).
   * @default 1000
   */
  readonly terminatedPodGcThreshold?: number;
  /**
   * kube-apiserver `--request-timeout`.
   * @default "60s"
   */
  readonly requestTimeout?: string;
}

/** A `files[]` entry of the KubeadmControlPlane: inline content, or content read from a Secret in the capi namespace. */
export type KubeadmFile = HostFile | (Omit<HostFile, 'content'> & { readonly contentFrom: { readonly secret: { readonly name: string; readonly key: string } } });

const arg = (name: string, value: string | number | boolean): ExtraArg => ({ name, value: String(value) });

/**
 * Anonymous requests limited to the health endpoints through AuthenticationConfiguration
 * (KEP-4633: beta and on by default in 1.32, GA in 1.34). kubelet's probes of kube-apiserver
 * (httpGet /livez, /readyz) carry no credentials, so `--anonymous-auth=false` alone would fail them.
 */
export function usesAuthenticationConfig(cluster: Pick<ClusterSpec, 'kubernetesVersion'>): boolean {
  return minorDistance('1.32.0', cluster.kubernetesVersion) >= 0;
}

/**
 * The kube-apiserver AuthenticationConfiguration (1.32+): anonymous only for /livez, /readyz and
 * /healthz (CIS 1.2.1), plus the OIDC issuer as a JWT authenticator (`--oidc-*` flags cannot be
 * combined with `--authentication-config`). apiserver.config.k8s.io/v1 from 1.34, v1beta1 before.
 */
export function authenticationConfiguration(cluster: Pick<ClusterSpec, 'kubernetesVersion' | 'controlPlane'>): Record<string, unknown> {
  const oidc = cluster.controlPlane.oidc;
  const apiVersion = minorDistance('1.34.0', cluster.kubernetesVersion) >= 0 ? 'apiserver.config.k8s.io/v1' : 'apiserver.config.k8s.io/v1beta1';
  return {
    apiVersion,
    kind: 'AuthenticationConfiguration',
    anonymous: { enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }] },
    ...(oidc
      ? {
          jwt: [
            {
              issuer: { url: oidc.issuerUrl, audiences: [oidc.clientId] },
              claimMappings: {
                username: { claim: oidc.usernameClaim, prefix: oidc.usernamePrefix },
                groups: { claim: oidc.groupsClaim, prefix: oidc.groupsPrefix },
              },
            },
          ],
        }
      : {}),
  };
}

/** kube-apiserver arguments: CIS Kubernetes Benchmark section 1.2 plus sizing, OIDC and the events etcd. */
export function apiServerArgs(cluster: ClusterSpec, options: KubeadmOptions = {}): ExtraArg[] {
  const cp = cluster.controlPlane;
  const size = controlPlaneSize(cluster);
  const args: ExtraArg[] = [];
  if (usesAuthenticationConfig(cluster)) {
    args.push(arg('authentication-config', AUTHENTICATION_CONFIG_PATH));
  } else if (cp.oidc) {
    // 1.31: anonymous-auth stays at its default (true) because the liveness probes need it; RBAC
    // grants system:unauthenticated only the health and version endpoints (system:public-info-viewer).
    args.push(
      arg('oidc-issuer-url', cp.oidc.issuerUrl),
      arg('oidc-client-id', cp.oidc.clientId),
      arg('oidc-username-claim', cp.oidc.usernameClaim),
      arg('oidc-username-prefix', cp.oidc.usernamePrefix),
      arg('oidc-groups-claim', cp.oidc.groupsClaim),
      arg('oidc-groups-prefix', cp.oidc.groupsPrefix),
    );
  }
  args.push(
    arg('authorization-mode', 'Node,RBAC'),
    arg('enable-admission-plugins', enabledAdmissionPluginNames(cluster, options).join(',')),
    arg('admission-control-config-file', ADMISSION_CONFIG_PATH),
    arg('profiling', false),
    arg('service-account-lookup', true),
    // CIS 1.2.30: projected tokens keep their requested lifetime (the legacy 1-year extension is off).
    arg('service-account-extend-token-expiration', false),
    arg('request-timeout', options.requestTimeout ?? '60s'),
    arg('tls-min-version', 'VersionTLS12'),
    arg('tls-cipher-suites', APISERVER_TLS_CIPHER_SUITES.join(',')),
    arg('max-requests-inflight', size.maxRequestsInflight),
    arg('max-mutating-requests-inflight', size.maxMutatingRequestsInflight),
  );
  if (options.verifyKubeletServingCerts ?? true) args.push(arg('kubelet-certificate-authority', PKI.ca));
  if (cp.audit.enabled)
    args.push(
      arg('audit-policy-file', AUDIT_POLICY_PATH),
      arg('audit-log-path', AUDIT_LOG_PATH),
      arg('audit-log-maxage', cp.audit.maxAgeDays),
      arg('audit-log-maxbackup', cp.audit.maxBackup),
      arg('audit-log-maxsize', cp.audit.maxSizeMB),
    );
  const webhook = cp.audit.enabled ? cp.audit.webhook : undefined;
  if (webhook)
    args.push(
      arg('audit-webhook-config-file', AUDIT_WEBHOOK_CONFIG_PATH),
      arg('audit-webhook-mode', 'batch'),
      arg('audit-webhook-batch-max-size', webhook.batchMaxSize),
      arg('audit-webhook-batch-max-wait', webhook.batchMaxWait),
      arg('audit-webhook-batch-buffer-size', webhook.batchBufferSize),
      arg('audit-webhook-initial-backoff', webhook.initialBackoff),
    );
  if (cp.encryptionAtRest.enabled) args.push(arg('encryption-provider-config', ENCRYPTION_CONFIG_PATH));
  // Events in their own etcd cluster; the apiserver uses the same etcd client certificate for it,
  // so the events members must trust the same etcd CA.
  if (cp.etcd.events) args.push(arg('etcd-servers-overrides', `/events#${etcdClientUrls(cp.etcd.events.members).join(';')}`));
  return args;
}

/**
 * `overrides` (the spec's `controlPlane.<component>.extraArgs`) merged over `defaults`: an override
 * replaces the default of the same name in place; new names follow in the overrides' order.
 */
export function mergeExtraArgs(defaults: readonly ExtraArg[], overrides: Readonly<Record<string, string>> = {}): ExtraArg[] {
  const merged = defaults.map((a) => (a.name in overrides ? { name: a.name, value: overrides[a.name] } : a));
  const known = new Set(defaults.map((a) => a.name));
  for (const [name, value] of Object.entries(overrides)) if (!known.has(name)) merged.push({ name, value });
  return merged;
}

/**
 * kube-controller-manager arguments (CIS section 1.3) and its client and node-lifecycle settings
 * sized from the cluster's maximum node count (lib/sizing/control-plane CONGESTION_TIERS).
 * RotateKubeletServerCertificate is on by default upstream and not set.
 */
export function controllerManagerArgs(cluster: ClusterSpec, options: KubeadmOptions = {}): ExtraArg[] {
  const sized = congestionSettings(cluster).controllerManager;
  return [
    arg('profiling', false),
    arg('terminated-pod-gc-threshold', options.terminatedPodGcThreshold ?? 1000),
    arg('use-service-account-credentials', true),
    arg('bind-address', '127.0.0.1'),
    arg('kube-api-qps', sized.kubeApiQps),
    arg('kube-api-burst', sized.kubeApiBurst),
    arg('node-monitor-grace-period', sized.nodeMonitorGracePeriod),
    arg('large-cluster-size-threshold', sized.largeClusterSizeThreshold),
    arg('unhealthy-zone-threshold', sized.unhealthyZoneThreshold),
    ...leaderElectionArgs(),
  ];
}

/**
 * kube-scheduler arguments (CIS section 1.4) and `--config` (lib/render/scheduler-config: spread
 * defaults, client rate limits; profiling is off there too, because --config makes kube-scheduler
 * ignore the deprecated --profiling flag).
 */
export function schedulerArgs(cluster: ClusterSpec): ExtraArg[] {
  void cluster;
  return [arg('profiling', false), arg('bind-address', '127.0.0.1'), arg('config', SCHEDULER_CONFIG_PATH), ...leaderElectionArgs()];
}

function leaderElectionArgs(): ExtraArg[] {
  return [
    arg('leader-elect', true),
    arg('leader-elect-lease-duration', LEADER_ELECTION.leaseDuration),
    arg('leader-elect-renew-deadline', LEADER_ELECTION.renewDeadline),
    arg('leader-elect-retry-period', LEADER_ELECTION.retryPeriod),
  ];
}

/** kubeadm local-etcd arguments of the stacked topology (tuning and TLS flags of the etcd renderer). */
export function localEtcdArgs(cluster: ClusterSpec): ExtraArg[] {
  return stackedEtcdExtraArgs(cluster.controlPlane.etcd);
}

/** `clusterConfiguration.etcd`: kubeadm-managed local etcd, or the external members with the client certificate Cluster API places. */
export function etcdConfiguration(cluster: ClusterSpec, etcdArgs: (c: ClusterSpec) => ExtraArg[] = localEtcdArgs): KubeadmEtcd {
  const etcd = cluster.controlPlane.etcd;
  if (etcd.topology === 'external') {
    if (!etcd.external) throw new Error(`cluster ${cluster.name}: etcd.topology is external but etcd.external is not set`);
    // Cluster API copies Secrets <cluster>-etcd (CA certificate) and <cluster>-apiserver-etcd-client
    // (tls.crt/tls.key) from the capi namespace to these paths; the Pulumi stack creates both.
    return {
      external: {
        endpoints: etcdClientUrls(etcd.external.members),
        caFile: PKI.etcdCa,
        certFile: PKI.apiserverEtcdClientCert,
        keyFile: PKI.apiserverEtcdClientKey,
      },
    };
  }
  return { local: { dataDir: ETCD_DATA_DIR, extraArgs: etcdArgs(cluster) } };
}

/** Host directories and files mounted into the kube-apiserver static pod. */
export function apiServerExtraVolumes(cluster: ClusterSpec): KubeadmHostPathMount[] {
  const cp = cluster.controlPlane;
  const volumes: KubeadmHostPathMount[] = [
    { name: 'admission-config', hostPath: ADMISSION_CONFIG_DIR, mountPath: ADMISSION_CONFIG_DIR, readOnly: true, pathType: 'DirectoryOrCreate' },
  ];
  if (usesAuthenticationConfig(cluster))
    volumes.push({ name: 'authentication-config', hostPath: AUTHENTICATION_CONFIG_DIR, mountPath: AUTHENTICATION_CONFIG_DIR, readOnly: true, pathType: 'DirectoryOrCreate' });
  if (cp.audit.enabled)
    volumes.push(
      { name: 'audit-policy', hostPath: AUDIT_POLICY_PATH, mountPath: AUDIT_POLICY_PATH, readOnly: true, pathType: 'File' },
      { name: 'audit-log', hostPath: AUDIT_LOG_DIR, mountPath: AUDIT_LOG_DIR, readOnly: false, pathType: 'DirectoryOrCreate' },
    );
  if (cp.audit.enabled && cp.audit.webhook)
    volumes.push({ name: 'audit-webhook', hostPath: AUDIT_WEBHOOK_CONFIG_PATH, mountPath: AUDIT_WEBHOOK_CONFIG_PATH, readOnly: true, pathType: 'File' });
  if (cp.encryptionAtRest.enabled)
    volumes.push({ name: 'encryption-config', hostPath: ENCRYPTION_CONFIG_DIR, mountPath: ENCRYPTION_CONFIG_DIR, readOnly: true, pathType: 'DirectoryOrCreate' });
  const kms = cp.encryptionAtRest.enabled && cp.encryptionAtRest.provider === 'kms' ? cp.encryptionAtRest.kms : undefined;
  if (kms) {
    // The apiserver dials the KMS v2 plugin's unix socket: mount the socket's directory.
    const socketDir = kms.endpoint.replace(/^unix:\/\//, '').replace(/\/[^/]*$/, '') || '/';
    volumes.push({ name: 'kms-socket', hostPath: socketDir, mountPath: socketDir, readOnly: false, pathType: 'DirectoryOrCreate' });
  }
  return volumes;
}

/** Every name and address clients may dial: endpoint VIP and DNS names, extra SANs, loopback. Unique, in that order. */
export function apiServerCertSANs(cluster: ClusterSpec): string[] {
  const cp = cluster.controlPlane;
  const sans = [...(cp.endpoint.vip ? [cp.endpoint.vip] : []), ...cp.endpoint.dnsNames, ...cp.certSANs, 'localhost', '127.0.0.1'];
  return [...new Set(sans)];
}

/** `kubeadmConfigSpec.clusterConfiguration` (controlPlaneEndpoint and networking live on the Cluster object). */
export function clusterConfiguration(cluster: ClusterSpec, options: KubeadmOptions = {}, etcdArgs?: (c: ClusterSpec) => ExtraArg[]): KubeadmClusterConfiguration {
  return {
    apiServer: {
      certSANs: apiServerCertSANs(cluster),
      extraArgs: mergeExtraArgs(apiServerArgs(cluster, options), cluster.controlPlane.apiServer.extraArgs),
      extraVolumes: apiServerExtraVolumes(cluster),
    },
    controllerManager: { extraArgs: mergeExtraArgs(controllerManagerArgs(cluster, options), cluster.controlPlane.controllerManager.extraArgs) },
    scheduler: {
      extraArgs: mergeExtraArgs(schedulerArgs(cluster), cluster.controlPlane.scheduler.extraArgs),
      extraVolumes: [{ name: 'scheduler-config', hostPath: SCHEDULER_CONFIG_DIR, mountPath: SCHEDULER_CONFIG_DIR, readOnly: true, pathType: 'DirectoryOrCreate' }],
    },
    etcd: etcdConfiguration(cluster, etcdArgs),
  };
}

/** Host files of control-plane machines carrying kprod's apiserver configuration (no secrets). */
export function controlPlaneConfigFiles(cluster: ClusterSpec, options: KubeadmOptions = {}): KubeadmFile[] {
  const cp = cluster.controlPlane;
  const files: KubeadmFile[] = [
    { path: ADMISSION_CONFIG_PATH, content: renderAdmissionConfiguration(cluster, options), permissions: '0600', owner: 'root:root' },
    { path: SCHEDULER_CONFIG_PATH, content: renderSchedulerConfiguration(cluster), permissions: '0600', owner: 'root:root' },
  ];
  if (usesAuthenticationConfig(cluster))
    files.push({ path: AUTHENTICATION_CONFIG_PATH, content: stringify(authenticationConfiguration(cluster)), permissions: '0600', owner: 'root:root' });
  if (cp.audit.enabled) files.push({ path: AUDIT_POLICY_PATH, content: renderAuditPolicy(), permissions: '0600', owner: 'root:root' });
  if (cp.audit.enabled && cp.audit.webhook)
    // The webhook kubeconfig may hold credentials: only referenced, Cluster API reads the Secret.
    files.push({
      path: AUDIT_WEBHOOK_CONFIG_PATH,
      contentFrom: { secret: { name: cp.audit.webhook.kubeconfigSecret ?? `${cluster.name}-audit-webhook`, key: cp.audit.webhook.kubeconfigKey } },
      permissions: '0600',
      owner: 'root:root',
    });
  if (cp.encryptionAtRest.enabled)
    files.push({
      path: ENCRYPTION_CONFIG_PATH,
      contentFrom: { secret: { name: names.secrets.encryption(cluster), key: ENCRYPTION_SECRET_KEY } },
      permissions: '0600',
      owner: 'root:root',
    });
  return files;
}

/** Every `files[]` entry of the KubeadmControlPlane: endpoint (H1), kubelet (H3), host settings, apiserver configuration. */
export function controlPlaneFiles(cluster: ClusterSpec, options: KubeadmOptions = {}): KubeadmFile[] {
  const files: KubeadmFile[] = [
    ...endpointHostFiles(cluster),
    // Loopback-bound controller-manager/scheduler/etcd metrics reachable for Prometheus (monitor).
    ...metricsProxyHostFiles(cluster),
    ...kubeletHostFiles(cluster),
    ...hostSettings(cluster).files,
    ...controlPlaneConfigFiles(cluster, options),
  ];
  const seen = new Map<string, number>();
  files.forEach((f, i) => {
    if (seen.has(f.path)) throw new Error(`cluster ${cluster.name}: two control-plane files at ${f.path} (entries ${seen.get(f.path)} and ${i})`);
    seen.set(f.path, i);
  });
  return files;
}

/** Runs `command` only on the machine doing `phase` (see KUBEADM_INIT_CONFIG). */
export function onlyOn(phase: 'init' | 'join', command: string): string {
  return `if [ -f ${phase === 'init' ? KUBEADM_INIT_CONFIG : KUBEADM_JOIN_CONFIG} ]; then ${command}; fi`;
}

/**
 * Merges per-phase commands into the single list of a KubeadmControlPlane: commands both phases
 * share run unconditionally (in the init order), the rest only on the machine of their phase.
 */
export function mergePhaseCommands(init: readonly string[], join: readonly string[]): string[] {
  const both = init.filter((c) => join.includes(c));
  return [
    ...both,
    ...init.filter((c) => !both.includes(c)).map((c) => onlyOn('init', c)),
    ...join.filter((c) => !both.includes(c)).map((c) => onlyOn('join', c)),
  ];
}

/** preKubeadmCommands: host settings first, then the endpoint's commands of each phase. */
export function controlPlanePreKubeadmCommands(cluster: ClusterSpec): string[] {
  return [
    ...hostSettings(cluster).preKubeadmCommands,
    ...mergePhaseCommands(endpointPreKubeadmCommands(cluster, 'init'), endpointPreKubeadmCommands(cluster, 'join')),
  ];
}

/** postKubeadmCommands: the endpoint's commands of each phase (kube-vip switches back to admin.conf after init). */
export function controlPlanePostKubeadmCommands(cluster: ClusterSpec): string[] {
  return mergePhaseCommands(endpointPostKubeadmCommands(cluster, 'init'), endpointPostKubeadmCommands(cluster, 'join'));
}

/** nodeRegistration of control-plane machines: provider-specific kubelet flags (cloud-provider external on OpenStack). */
export function controlPlaneNodeRegistration(cluster: ClusterSpec): KubeadmNodeRegistration {
  if (cluster.infrastructure.provider === 'openstack')
    return {
      name: '{{ local_hostname }}',
      kubeletExtraArgs: [arg('cloud-provider', 'external'), arg('provider-id', 'openstack:///{{ instance_id }}')],
    };
  return { name: '{{ local_hostname }}' };
}

/** The whole `spec.kubeadmConfigSpec` of the cluster's KubeadmControlPlane. */
export function kubeadmConfigSpec(cluster: ClusterSpec, options: KubeadmOptions = {}, etcdArgs?: (c: ClusterSpec) => ExtraArg[]): KubeadmConfigSpec {
  const nodeRegistration = controlPlaneNodeRegistration(cluster);
  const patches = { directory: KUBEADM_PATCHES_DIR };
  const post = controlPlanePostKubeadmCommands(cluster);
  return {
    clusterConfiguration: clusterConfiguration(cluster, options, etcdArgs),
    initConfiguration: { nodeRegistration, patches },
    joinConfiguration: { nodeRegistration, patches },
    files: controlPlaneFiles(cluster, options),
    preKubeadmCommands: controlPlanePreKubeadmCommands(cluster),
    ...(post.length ? { postKubeadmCommands: post } : {}),
    ...etcdDiskSetup(cluster),
  };
}

/** Device of the first additional Cinder volume on an OpenStack (virtio) machine: the etcd SSD of stacked control planes. */
export const ETCD_VOLUME_DEVICE = '/dev/vdb';
const ETCD_VOLUME_LABEL = 'etcd_disk';

/** Formats and mounts the dedicated etcd volume at /var/lib/etcd (stacked etcd on OpenStack only; Metal3 hosts use their local disks). */
export function etcdDiskSetup(cluster: ClusterSpec): Pick<KubeadmConfigSpec, 'diskSetup' | 'mounts'> {
  if (cluster.controlPlane.etcd.topology !== 'stacked' || cluster.infrastructure.provider !== 'openstack') return {};
  return {
    diskSetup: {
      partitions: [{ device: ETCD_VOLUME_DEVICE, layout: true, overwrite: false, tableType: 'gpt' }],
      filesystems: [{ device: `${ETCD_VOLUME_DEVICE}1`, filesystem: 'ext4', label: ETCD_VOLUME_LABEL, overwrite: false }],
    },
    mounts: [[`LABEL=${ETCD_VOLUME_LABEL}`, ETCD_DATA_DIR]],
  };
}
