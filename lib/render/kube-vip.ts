/**
 * kube-vip static pod for the API endpoint (kube-vip mode): control-plane VIP only (no Service
 * load balancing), leader election through a Lease, announced by ARP or BGP.
 *
 * kube-vip talks to the apiserver with /etc/kubernetes/admin.conf. From Kubernetes 1.29 kubeadm's
 * admin.conf has no rights until `kubeadm init` has bound it (kubeadm writes super-admin.conf for
 * that window), so on the first machine the pod must use super-admin.conf during init and switch
 * back afterwards (kube-vip issue 684); see {@link kubeVipInitCommands}.
 */
import * as semver from 'semver';
import { parseKubernetesVersion } from '../versions/supported';
import { STATIC_POD_DIR, staticPod, staticPodYaml } from './static-pods';
import { IMAGES, imageRef } from '../versions/pins';

/** @default image of the kube-vip static pod */
export const KUBE_VIP_IMAGE = imageRef(IMAGES.kubeVip);
export const KUBE_VIP_MANIFEST_PATH = `${STATIC_POD_DIR}/kube-vip.yaml`;
export const ADMIN_CONF = '/etc/kubernetes/admin.conf';
export const SUPER_ADMIN_CONF = '/etc/kubernetes/super-admin.conf';

export interface KubeVipOptions {
  readonly vip: string;
  /** Port clients use (the apiserver's port; kube-vip does not proxy). */
  readonly port: number;
  readonly interface: string;
  readonly mode: 'arp' | 'bgp';
  /** @default KUBE_VIP_IMAGE */
  readonly image?: string;
  /** Lease timings, seconds. @default { duration: 5, renewDeadline: 3, retryPeriod: 1 } */
  readonly lease?: { readonly duration: number; readonly renewDeadline: number; readonly retryPeriod: number };
  /** BGP: local AS. @default 65000 */
  readonly bgpAs?: number;
  /** BGP neighbours (mode bgp). @default [] */
  readonly bgpPeers?: readonly KubeVipBgpPeer[];
  /** BGP router id; without it kube-vip takes the address of `interface` on each machine. @default none */
  readonly bgpRouterId?: string;
}

export interface KubeVipBgpPeer {
  readonly address: string;
  readonly as: number;
  /** @default false */
  readonly multihop?: boolean;
}

/**
 * kube-vip's `bgp_peers` value: `<address>:<AS>:<password>:<multihop>` per peer, comma separated.
 * The password field stays empty on purpose (a password would be written to dist/).
 */
export function kubeVipBgpPeers(peers: readonly KubeVipBgpPeer[]): string {
  return peers.map((p) => `${p.address}:${p.as}::${p.multihop ?? false}`).join(',');
}

/** kube-vip environment (names as kube-vip reads them). */
export function kubeVipEnv(opts: KubeVipOptions): Record<string, string> {
  const lease = opts.lease ?? { duration: 5, renewDeadline: 3, retryPeriod: 1 };
  const env: Record<string, string> = {
    address: opts.vip,
    port: String(opts.port),
    vip_interface: opts.interface,
    // the VIP's prefix length (kube-vip v1 reads vip_subnet; vip_cidr, its old name, is ignored)
    vip_subnet: '32',
    cp_enable: 'true',
    cp_namespace: 'kube-system',
    svc_enable: 'false',
    vip_leaderelection: 'true',
    vip_leasename: 'plndr-cp-lock',
    vip_leaseduration: String(lease.duration),
    vip_renewdeadline: String(lease.renewDeadline),
    vip_retryperiod: String(lease.retryPeriod),
  };
  if (opts.mode === 'arp') {
    env.vip_arp = 'true';
  } else {
    env.vip_arp = 'false';
    env.bgp_enable = 'true';
    if (opts.bgpRouterId) env.bgp_routerid = opts.bgpRouterId;
    else env.bgp_routerinterface = opts.interface;
    env.bgp_as = String(opts.bgpAs ?? 65000);
    if (opts.bgpPeers?.length) env.bgp_peers = kubeVipBgpPeers(opts.bgpPeers);
  }
  return env;
}

/** The kube-vip static pod manifest. */
export function renderKubeVipManifest(opts: KubeVipOptions): string {
  const pod = staticPod({
    name: 'kube-vip',
    image: opts.image ?? KUBE_VIP_IMAGE,
    args: ['manager'],
    env: kubeVipEnv(opts),
    capabilities: ['NET_ADMIN', 'NET_RAW'],
    mounts: [{ name: 'kubeconfig', hostPath: ADMIN_CONF, mountPath: ADMIN_CONF }],
    // kube-vip dials "kubernetes:<port>" from the kubeconfig's cluster; point it at this machine.
    hostAliases: [{ ip: '127.0.0.1', hostnames: ['kubernetes'] }],
  });
  return staticPodYaml(pod);
}

/** True when kubeadm writes super-admin.conf and admin.conf lacks rights during init (Kubernetes ≥ 1.29). */
export function needsSuperAdminDuringInit(kubernetesVersion: string): boolean {
  const v = parseKubernetesVersion(kubernetesVersion);
  return !!v && semver.gte(v, '1.29.0');
}

const SWAP = (from: string, to: string) => `sed -i 's#path: ${from}$#path: ${to}#' ${KUBE_VIP_MANIFEST_PATH}`;

/** preKubeadmCommands / postKubeadmCommands for the first machine (`init`); none on join. */
export function kubeVipInitCommands(kubernetesVersion: string, phase: 'init' | 'join'): { pre: string[]; post: string[] } {
  if (phase !== 'init' || !needsSuperAdminDuringInit(kubernetesVersion)) return { pre: [], post: [] };
  return { pre: [SWAP(ADMIN_CONF, SUPER_ADMIN_CONF)], post: [SWAP(SUPER_ADMIN_CONF, ADMIN_CONF)] };
}
