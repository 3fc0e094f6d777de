/**
 * The checks of CIS Kubernetes Benchmark 1.12 that configuration alone decides (kube-bench
 * `cfg/cis-1.12`: sections 1.2 API server, 1.3 controller manager, 1.4 scheduler, 2 etcd,
 * 3.2.1 audit policy, 4.2 kubelet, 4.3.1 kube-proxy): 62 checks. File permissions (1.1, 4.1),
 * RBAC and policy reviews (5.x) depend on the running hosts and cluster, not on kprod's output.
 *
 * Each check names the component, the flag (or KubeletConfiguration field) it reads and the pass
 * condition, as kube-bench evaluates it. Where kube-bench's test is manual without a test item
 * (1.2.20), the condition is the documented recommendation ("set as appropriate" → set).
 */

/** Which rendered input a check reads. */
export type CisComponent = 'apiserver' | 'controllerManager' | 'scheduler' | 'etcd' | 'kubelet' | 'kubeProxy';

/** A pass condition on one flag (or one config field given by a dotted path). */
export type CisCondition =
  /** The flag is set (any value). */
  | { readonly op: 'set'; readonly flag: string }
  /** The flag is absent. */
  | { readonly op: 'unset'; readonly flag: string }
  /** The flag equals `value` (strings compared as written; booleans/numbers as text). */
  | { readonly op: 'eq'; readonly flag: string; readonly value: string }
  /** The flag is set and differs from `value`. */
  | { readonly op: 'noteq'; readonly flag: string; readonly value: string }
  /** The flag, a comma-separated list, contains `value` (or an element `value:port`). */
  | { readonly op: 'has'; readonly flag: string; readonly value: string }
  /** The flag is set and its list does not contain `value`. */
  | { readonly op: 'nothave'; readonly flag: string; readonly value: string }
  /** The flag is a number ≥ `value`. */
  | { readonly op: 'gte'; readonly flag: string; readonly value: number }
  /** The flag is set and every element of its list is among `values`. */
  | { readonly op: 'validElements'; readonly flag: string; readonly values: readonly string[] }
  | { readonly op: 'anyOf'; readonly conditions: readonly CisCondition[] }
  | { readonly op: 'allOf'; readonly conditions: readonly CisCondition[] };

export interface CisCheck {
  /** Benchmark id, e.g. "1.2.15". */
  readonly id: string;
  readonly component: CisComponent;
  /** Short title of the recommendation. */
  readonly title: string;
  readonly pass: CisCondition;
}

const set = (flag: string): CisCondition => ({ op: 'set', flag });
const unset = (flag: string): CisCondition => ({ op: 'unset', flag });
const eq = (flag: string, value: string): CisCondition => ({ op: 'eq', flag, value });
const has = (flag: string, value: string): CisCondition => ({ op: 'has', flag, value });
const nothave = (flag: string, value: string): CisCondition => ({ op: 'nothave', flag, value });
const gte = (flag: string, value: number): CisCondition => ({ op: 'gte', flag, value });
const anyOf = (...conditions: CisCondition[]): CisCondition => ({ op: 'anyOf', conditions });
const allOf = (...conditions: CisCondition[]): CisCondition => ({ op: 'allOf', conditions });

/** Cipher suites CIS 1.2.29 accepts for the apiserver. */
export const CIS_APISERVER_CIPHERS: readonly string[] = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];

/** Cipher suites CIS 4.2.12 accepts for the kubelet. */
export const CIS_KUBELET_CIPHERS: readonly string[] = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
];

/**
 * Pseudo-flags the evaluator fills from files the flags point to:
 * `encryption-provider` (first provider of the EncryptionConfiguration, 1.2.28) and
 * `anonymous-limited-to-health` ("true" when an AuthenticationConfiguration allows anonymous
 * requests only on health endpoints, counted for 1.2.1 — `--anonymous-auth` cannot be combined
 * with an anonymous section in `--authentication-config`).
 */
export const ENCRYPTION_PROVIDER = 'encryption-provider';
export const ANONYMOUS_LIMITED = 'anonymous-limited-to-health';

const a = (id: string, title: string, pass: CisCondition): CisCheck => ({ id, component: 'apiserver', title, pass });
const cm = (id: string, title: string, pass: CisCondition): CisCheck => ({ id, component: 'controllerManager', title, pass });
const sch = (id: string, title: string, pass: CisCondition): CisCheck => ({ id, component: 'scheduler', title, pass });
const e = (id: string, title: string, pass: CisCondition): CisCheck => ({ id, component: 'etcd', title, pass });
const k = (id: string, title: string, pass: CisCondition): CisCheck => ({ id, component: 'kubelet', title, pass });

export const CIS_CHECKS: readonly CisCheck[] = [
  a('1.2.1', 'anonymous-auth is false', anyOf(eq('anonymous-auth', 'false'), eq(ANONYMOUS_LIMITED, 'true'))),
  a('1.2.2', 'token-auth-file is not set', unset('token-auth-file')),
  a('1.2.3', 'DenyServiceExternalIPs admission plugin is enabled', has('enable-admission-plugins', 'DenyServiceExternalIPs')),
  a('1.2.4', 'kubelet-client-certificate and kubelet-client-key are set', allOf(set('kubelet-client-certificate'), set('kubelet-client-key'))),
  a('1.2.5', 'kubelet-certificate-authority is set', set('kubelet-certificate-authority')),
  a('1.2.6', 'authorization-mode is not AlwaysAllow', nothave('authorization-mode', 'AlwaysAllow')),
  a('1.2.7', 'authorization-mode includes Node', has('authorization-mode', 'Node')),
  a('1.2.8', 'authorization-mode includes RBAC', has('authorization-mode', 'RBAC')),
  a('1.2.9', 'EventRateLimit admission plugin is enabled', has('enable-admission-plugins', 'EventRateLimit')),
  a('1.2.10', 'AlwaysAdmit admission plugin is not enabled', anyOf(unset('enable-admission-plugins'), nothave('enable-admission-plugins', 'AlwaysAdmit'))),
  a('1.2.11', 'AlwaysPullImages admission plugin is enabled', has('enable-admission-plugins', 'AlwaysPullImages')),
  a('1.2.12', 'ServiceAccount admission plugin is not disabled', anyOf(unset('disable-admission-plugins'), nothave('disable-admission-plugins', 'ServiceAccount'))),
  a('1.2.13', 'NamespaceLifecycle admission plugin is not disabled', anyOf(unset('disable-admission-plugins'), nothave('disable-admission-plugins', 'NamespaceLifecycle'))),
  a('1.2.14', 'NodeRestriction admission plugin is enabled', has('enable-admission-plugins', 'NodeRestriction')),
  a('1.2.15', 'profiling is false', eq('profiling', 'false')),
  a('1.2.16', 'audit-log-path is set', set('audit-log-path')),
  a('1.2.17', 'audit-log-maxage is at least 30', gte('audit-log-maxage', 30)),
  a('1.2.18', 'audit-log-maxbackup is at least 10', gte('audit-log-maxbackup', 10)),
  a('1.2.19', 'audit-log-maxsize is at least 100', gte('audit-log-maxsize', 100)),
  a('1.2.20', 'request-timeout is set as appropriate', set('request-timeout')),
  a('1.2.21', 'service-account-lookup is true', anyOf(unset('service-account-lookup'), eq('service-account-lookup', 'true'))),
  a('1.2.22', 'service-account-key-file is set', set('service-account-key-file')),
  a('1.2.23', 'etcd-certfile and etcd-keyfile are set', allOf(set('etcd-certfile'), set('etcd-keyfile'))),
  a('1.2.24', 'tls-cert-file and tls-private-key-file are set', allOf(set('tls-cert-file'), set('tls-private-key-file'))),
  a('1.2.25', 'client-ca-file is set', set('client-ca-file')),
  a('1.2.26', 'etcd-cafile is set', set('etcd-cafile')),
  a('1.2.27', 'encryption-provider-config is set', set('encryption-provider-config')),
  a('1.2.28', 'encryption provider is aescbc, kms or secretbox', { op: 'validElements', flag: ENCRYPTION_PROVIDER, values: ['aescbc', 'kms', 'secretbox'] }),
  a('1.2.29', 'only strong cipher suites', { op: 'validElements', flag: 'tls-cipher-suites', values: CIS_APISERVER_CIPHERS }),
  a('1.2.30', 'service-account-extend-token-expiration is false', eq('service-account-extend-token-expiration', 'false')),
  cm('1.3.1', 'terminated-pod-gc-threshold is set', set('terminated-pod-gc-threshold')),
  cm('1.3.2', 'profiling is false', eq('profiling', 'false')),
  cm('1.3.3', 'use-service-account-credentials is true', { op: 'noteq', flag: 'use-service-account-credentials', value: 'false' }),
  cm('1.3.4', 'service-account-private-key-file is set', set('service-account-private-key-file')),
  cm('1.3.5', 'root-ca-file is set', set('root-ca-file')),
  cm('1.3.6', 'RotateKubeletServerCertificate is not disabled', anyOf(unset('feature-gates'), nothave('feature-gates', 'RotateKubeletServerCertificate=false'))),
  cm('1.3.7', 'bind-address is 127.0.0.1', anyOf(unset('bind-address'), eq('bind-address', '127.0.0.1'))),
  sch('1.4.1', 'profiling is false', eq('profiling', 'false')),
  sch('1.4.2', 'bind-address is 127.0.0.1', anyOf(unset('bind-address'), eq('bind-address', '127.0.0.1'))),
  e('2.1', 'cert-file and key-file are set', allOf(set('cert-file'), set('key-file'))),
  e('2.2', 'client-cert-auth is true', eq('client-cert-auth', 'true')),
  e('2.3', 'auto-tls is not true', anyOf(unset('auto-tls'), eq('auto-tls', 'false'))),
  e('2.4', 'peer-cert-file and peer-key-file are set', allOf(set('peer-cert-file'), set('peer-key-file'))),
  e('2.5', 'peer-client-cert-auth is true', eq('peer-client-cert-auth', 'true')),
  e('2.6', 'peer-auto-tls is not true', anyOf(unset('peer-auto-tls'), eq('peer-auto-tls', 'false'))),
  e('2.7', 'a CA is set for etcd (trusted-ca-file)', set('trusted-ca-file')),
  a('3.2.1', 'an audit policy is set (audit-policy-file)', set('audit-policy-file')),
  k('4.2.1', 'anonymous authentication is disabled', eq('authentication.anonymous.enabled', 'false')),
  k('4.2.2', 'authorization mode is not AlwaysAllow', nothave('authorization.mode', 'AlwaysAllow')),
  k('4.2.3', 'client CA file is set', set('authentication.x509.clientCAFile')),
  k('4.2.4', 'read-only port is 0 if set', anyOf(unset('readOnlyPort'), eq('readOnlyPort', '0'))),
  k('4.2.5', 'streaming connection idle timeout is not 0', anyOf(unset('streamingConnectionIdleTimeout'), { op: 'noteq', flag: 'streamingConnectionIdleTimeout', value: '0' })),
  k('4.2.6', 'makeIPTablesUtilChains is true', anyOf(unset('makeIPTablesUtilChains'), eq('makeIPTablesUtilChains', 'true'))),
  k('4.2.7', 'hostname-override is not set', unset('hostname-override')),
  k('4.2.8', 'eventRecordQPS is at least 0 if set', anyOf(unset('eventRecordQPS'), gte('eventRecordQPS', 0))),
  k('4.2.9', 'tlsCertFile and tlsPrivateKeyFile are set', allOf(set('tlsCertFile'), set('tlsPrivateKeyFile'))),
  k('4.2.10', 'rotateCertificates is not false', anyOf(unset('rotateCertificates'), eq('rotateCertificates', 'true'))),
  k('4.2.11', 'RotateKubeletServerCertificate is not disabled', anyOf(unset('featureGates.RotateKubeletServerCertificate'), { op: 'noteq', flag: 'featureGates.RotateKubeletServerCertificate', value: 'false' })),
  k('4.2.12', 'only strong cipher suites', { op: 'validElements', flag: 'tlsCipherSuites', values: CIS_KUBELET_CIPHERS }),
  k('4.2.13', 'a pod PID limit is set', set('podPidsLimit')),
  k('4.2.14', 'seccompDefault is set', set('seccompDefault')),
  { id: '4.3.1', component: 'kubeProxy', title: 'kube-proxy metrics bound to localhost', pass: anyOf(unset('metricsBindAddress'), has('metricsBindAddress', '127.0.0.1')) },
];
