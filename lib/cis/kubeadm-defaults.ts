/**
 * The flags and configs kubeadm itself writes, before any extraArgs: the static-pod commands of
 * `kubeadm init` (kube-apiserver, kube-controller-manager, kube-scheduler, local etcd) and the
 * KubeletConfiguration / KubeProxyConfiguration it generates. Only flags the CIS checks read, or
 * that show what kubeadm already covers, are listed. Values are kubeadm's standard paths.
 * Evaluating these alone gives the "plain kubeadm" CIS baseline kprod is compared against.
 */
import { KUBEADM_ETCD_PKI_DIR } from '../pki/etcd-plan';
import { ETCD_DATA_DIR } from '../render/etcd';

const PKI = '/etc/kubernetes/pki';
const ETCD_PKI = KUBEADM_ETCD_PKI_DIR;

export const KUBEADM_APISERVER_FLAGS: Readonly<Record<string, string>> = {
  'authorization-mode': 'Node,RBAC',
  'enable-admission-plugins': 'NodeRestriction',
  'enable-bootstrap-token-auth': 'true',
  'allow-privileged': 'true',
  'client-ca-file': `${PKI}/ca.crt`,
  'tls-cert-file': `${PKI}/apiserver.crt`,
  'tls-private-key-file': `${PKI}/apiserver.key`,
  'kubelet-client-certificate': `${PKI}/apiserver-kubelet-client.crt`,
  'kubelet-client-key': `${PKI}/apiserver-kubelet-client.key`,
  'service-account-key-file': `${PKI}/sa.pub`,
  'service-account-signing-key-file': `${PKI}/sa.key`,
  'service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
  'etcd-cafile': `${ETCD_PKI}/ca.crt`,
  'etcd-certfile': `${PKI}/apiserver-etcd-client.crt`,
  'etcd-keyfile': `${PKI}/apiserver-etcd-client.key`,
  'proxy-client-cert-file': `${PKI}/front-proxy-client.crt`,
  'proxy-client-key-file': `${PKI}/front-proxy-client.key`,
  'requestheader-client-ca-file': `${PKI}/front-proxy-ca.crt`,
  'secure-port': '6443',
};

export const KUBEADM_CONTROLLER_MANAGER_FLAGS: Readonly<Record<string, string>> = {
  'bind-address': '127.0.0.1',
  'leader-elect': 'true',
  'use-service-account-credentials': 'true',
  'root-ca-file': `${PKI}/ca.crt`,
  'service-account-private-key-file': `${PKI}/sa.key`,
  'client-ca-file': `${PKI}/ca.crt`,
  'cluster-signing-cert-file': `${PKI}/ca.crt`,
  'cluster-signing-key-file': `${PKI}/ca.key`,
  'requestheader-client-ca-file': `${PKI}/front-proxy-ca.crt`,
  kubeconfig: '/etc/kubernetes/controller-manager.conf',
  controllers: '*,bootstrapsigner,tokencleaner',
};

export const KUBEADM_SCHEDULER_FLAGS: Readonly<Record<string, string>> = {
  'bind-address': '127.0.0.1',
  'leader-elect': 'true',
  kubeconfig: '/etc/kubernetes/scheduler.conf',
};

export const KUBEADM_ETCD_FLAGS: Readonly<Record<string, string>> = {
  'cert-file': `${ETCD_PKI}/server.crt`,
  'key-file': `${ETCD_PKI}/server.key`,
  'client-cert-auth': 'true',
  'trusted-ca-file': `${ETCD_PKI}/ca.crt`,
  'peer-cert-file': `${ETCD_PKI}/peer.crt`,
  'peer-key-file': `${ETCD_PKI}/peer.key`,
  'peer-client-cert-auth': 'true',
  'peer-trusted-ca-file': `${ETCD_PKI}/ca.crt`,
  'data-dir': ETCD_DATA_DIR,
};

/** The KubeletConfiguration kubeadm generates (the fields it sets; the rest take kubelet defaults). */
export const KUBEADM_KUBELET_CONFIG: Readonly<Record<string, unknown>> = {
  apiVersion: 'kubelet.config.k8s.io/v1beta1',
  kind: 'KubeletConfiguration',
  authentication: {
    anonymous: { enabled: false },
    webhook: { enabled: true, cacheTTL: '0s' },
    x509: { clientCAFile: `${PKI}/ca.crt` },
  },
  authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '0s', cacheUnauthorizedTTL: '0s' } },
  cgroupDriver: 'systemd',
  clusterDNS: ['10.96.0.10'],
  clusterDomain: 'cluster.local',
  healthzBindAddress: '127.0.0.1',
  healthzPort: 10248,
  rotateCertificates: true,
  staticPodPath: '/etc/kubernetes/manifests',
  // kubeadm writes zero durations; the kubelet replaces them with its defaults (4h here).
  streamingConnectionIdleTimeout: '0s',
};

/** kubeadm's KubeProxyConfiguration leaves metricsBindAddress empty (kube-proxy then binds 127.0.0.1:10249). */
export const KUBEADM_KUBE_PROXY_CONFIG: Readonly<Record<string, unknown>> = {
  apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
  kind: 'KubeProxyConfiguration',
  metricsBindAddress: '',
};
