/**
 * kubeadm configuration files for hosts the stack bootstraps over SSH (static inventory). The
 * ClusterConfiguration is the same one Cluster API gets (`lib/render/kubeadm`), completed with
 * what Cluster API would fill in itself: version, endpoint and networking.
 */
import { stringify } from 'yaml';
import { APISERVER_PORT } from '../../lib/render/haproxy';
import { clusterConfiguration, PKI } from '../../lib/render/kubeadm';
import { KUBEADM_PATCHES_DIR } from '../../lib/render/kubelet';
import type { ClusterSpec } from '../../lib/spec';
import { kubeadmApiVersion, withV } from '../../lib/versions/supported';
import type { StaticHost } from './inventory';

export const KUBEADM_CONFIG_DIR = '/etc/kubernetes/kprod';
export const INIT_CONFIG_PATH = `${KUBEADM_CONFIG_DIR}/kubeadm-init.yaml`;
export const JOIN_CONFIG_PATH = `${KUBEADM_CONFIG_DIR}/kubeadm-join.yaml`;

/** `host:port` of the cluster endpoint. */
export function controlPlaneEndpoint(cluster: ClusterSpec): string {
  const ep = cluster.controlPlane.endpoint;
  if (!ep.host) throw new Error(`clusters.${cluster.name}.controlPlane.endpoint: static hosts need a vip or a DNS name`);
  return `${ep.host}:${ep.port}`;
}

/** ClusterConfiguration document of a static-host cluster. */
export function staticClusterConfiguration(cluster: ClusterSpec): Record<string, unknown> {
  return {
    apiVersion: kubeadmApiVersion(cluster.kubernetesVersion),
    kind: 'ClusterConfiguration',
    clusterName: cluster.name,
    kubernetesVersion: withV(cluster.kubernetesVersion),
    controlPlaneEndpoint: controlPlaneEndpoint(cluster),
    networking: { podSubnet: cluster.network.podCidr, serviceSubnet: cluster.network.serviceCidr, dnsDomain: cluster.network.dnsDomain },
    ...clusterConfiguration(cluster),
  };
}

function nodeRegistration(host: StaticHost): Record<string, unknown> {
  return {
    name: host.name,
    criSocket: 'unix:///var/run/containerd/containerd.sock',
  };
}

/**
 * InitConfiguration + ClusterConfiguration of the first control-plane host. `certificateKey`
 * encrypts the control-plane certificates kubeadm uploads for the other control planes.
 */
export function renderInitConfig(cluster: ClusterSpec, host: StaticHost, certificateKey: string): string {
  const init = {
    apiVersion: kubeadmApiVersion(cluster.kubernetesVersion),
    kind: 'InitConfiguration',
    // No bootstrap token here: each join asks the first control plane for a short-lived one.
    bootstrapTokens: [],
    nodeRegistration: nodeRegistration(host),
    localAPIEndpoint: { advertiseAddress: host.address, bindPort: APISERVER_PORT },
    certificateKey,
    patches: { directory: KUBEADM_PATCHES_DIR },
  };
  return [stringify(init), stringify(staticClusterConfiguration(cluster))].join('---\n');
}

/** What a join needs from the first control plane. */
export interface JoinCredentials {
  /** Bootstrap token `[a-z0-9]{6}.[a-z0-9]{16}`. */
  readonly token: string;
  /** `sha256:<hex>` of the cluster CA's public key. */
  readonly caCertHash: string;
  /** Key of the uploaded control-plane certificates (control-plane joins only). */
  readonly certificateKey?: string;
}

/** JoinConfiguration of a host joining the cluster. */
export function renderJoinConfig(cluster: ClusterSpec, host: StaticHost, creds: JoinCredentials): string {
  if (host.role === 'control-plane' && !creds.certificateKey) throw new Error(`host ${host.name}: a control-plane join needs the certificate key`);
  return stringify({
    apiVersion: kubeadmApiVersion(cluster.kubernetesVersion),
    kind: 'JoinConfiguration',
    nodeRegistration: nodeRegistration(host),
    discovery: { bootstrapToken: { apiServerEndpoint: controlPlaneEndpoint(cluster), token: creds.token, caCertHashes: [creds.caCertHash] } },
    ...(host.role === 'control-plane'
      ? { controlPlane: { localAPIEndpoint: { advertiseAddress: host.address, bindPort: APISERVER_PORT }, certificateKey: creds.certificateKey } }
      : {}),
    patches: { directory: KUBEADM_PATCHES_DIR },
  });
}

/** Shell run on the first control plane that prints a fresh 1-hour token and the CA hash (and re-uploads certificates for control-plane joins). */
export function joinCredentialsScript(role: StaticHost['role']): string {
  return [
    'set -eu',
    ...(role === 'control-plane' ? [`kubeadm init phase upload-certs --upload-certs --config ${INIT_CONFIG_PATH} >/dev/null`] : []),
    'echo "token=$(kubeadm token create --ttl 1h0m0s --description "kprod join")"',
    `echo "hash=sha256:$(openssl x509 -pubkey -noout -in ${PKI.ca} | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1)"`,
    '',
  ].join('\n');
}

/** Parses the output of `joinCredentialsScript`. */
export function parseJoinCredentials(stdout: string): { token: string; caCertHash: string } {
  const get = (key: string) => stdout.split('\n').find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1).trim();
  const token = get('token');
  const caCertHash = get('hash');
  if (!token || !/^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(token) || !caCertHash || !/^sha256:[0-9a-f]{64}$/.test(caCertHash))
    throw new Error('join credentials: expected lines token=<bootstrap token> and hash=sha256:<64 hex>');
  return { token, caCertHash };
}
