/** kube-apiserver: its flags (CIS 1.2), the host paths mounted into its static pod, and its certificate SANs. */
import type { KubeadmHostPathMount } from '../../api';
import { controlPlaneSize } from '../../sizing/control-plane';
import type { ClusterSpec } from '../../spec';
import { ADMISSION_CONFIG_DIR, ADMISSION_CONFIG_PATH, enabledAdmissionPluginNames } from '../admission-config';
import { AUDIT_LOG_DIR, AUDIT_LOG_PATH, AUDIT_POLICY_PATH } from '../audit-policy';
import { ENCRYPTION_CONFIG_DIR, ENCRYPTION_CONFIG_PATH } from '../encryption-config';
import { etcdClientUrls } from '../etcd';
import { STRONG_TLS_CIPHER_SUITES } from '../tls';
import type { ExtraArg } from '../types';
import { AUTHENTICATION_CONFIG_DIR, AUTHENTICATION_CONFIG_PATH, usesAuthenticationConfig } from './authentication';
import { arg } from './extra-args';
import { AUDIT_WEBHOOK_CONFIG_PATH, PKI } from './host-paths';
import type { KubeadmOptions } from './options';

/** The shared strong TLS 1.2 suites (lib/render/tls.ts). */
export const APISERVER_TLS_CIPHER_SUITES = STRONG_TLS_CIPHER_SUITES;

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

/** Host directories and files mounted into the kube-apiserver static pod. */
export function apiServerExtraVolumes(cluster: Pick<ClusterSpec, 'kubernetesVersion' | 'controlPlane'>): KubeadmHostPathMount[] {
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
export function apiServerCertSANs(cluster: Pick<ClusterSpec, 'controlPlane'>): string[] {
  const cp = cluster.controlPlane;
  const sans = [...(cp.endpoint.vip ? [cp.endpoint.vip] : []), ...cp.endpoint.dnsNames, ...cp.certSANs, 'localhost', '127.0.0.1'];
  return [...new Set(sans)];
}
