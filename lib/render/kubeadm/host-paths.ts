/** Paths on control-plane machines that several kubeadm pieces (flags, volumes, files, etcd) refer to. */
import { KUBEADM_ETCD_PKI_DIR } from '../../pki/etcd-plan';

/** PKI paths kubeadm uses on control-plane machines. */
export const PKI = {
  ca: '/etc/kubernetes/pki/ca.crt',
  etcdCa: `${KUBEADM_ETCD_PKI_DIR}/ca.crt`,
  apiserverEtcdClientCert: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
  apiserverEtcdClientKey: '/etc/kubernetes/pki/apiserver-etcd-client.key',
} as const;

/** Kubeconfig of the audit webhook backend (from a Secret), beside the audit policy. */
export const AUDIT_WEBHOOK_CONFIG_PATH = '/etc/kubernetes/audit-webhook-kubeconfig.yaml';
