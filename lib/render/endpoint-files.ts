/**
 * Host files and kubeadm commands of the API endpoint, by `controlPlane.endpoint.mode`:
 * - keepalived-haproxy: haproxy.cfg, keepalived.conf, check_apiserver.sh, the HAProxy static pod, and
 *   keepalived as the host's own package and systemd service (lib/render/keepalived-host.ts);
 * - kube-vip: the kube-vip static pod (and the super-admin.conf switch on the first machine);
 * - loadbalancer: nothing (Octavia through CAPO).
 *
 * Backend addresses. Every control-plane machine receives the same files (KubeadmControlPlane
 * has one `files[]`), and HAProxy needs the apiserver addresses when the config is written, while
 * Cluster API only learns a machine's address once it exists. kprod therefore pins control-plane
 * machine addresses right after the VIP: VIP+1 … VIP+replicas, plus one more for the machine a
 * rolling update creates before it deletes an old one (KubeadmControlPlane maxSurge 1). On
 * OpenStack the control-plane subnet (`network.controlPlaneCidr`, created by the Pulumi stack)
 * has exactly these addresses as its allocation pool and the control-plane ports ask for that
 * subnet; on Metal3 an IPPool with exactly this range hands them out through the control plane's
 * Metal3DataTemplate. See {@link controlPlaneAddresses}. A slot with no machine is simply marked down by HAProxy's check.
 */
import { cidrContains, parseCidr } from '../net/cidr';
import { addressesAfter, compareAddresses, controlPlaneSubnetCidr, lastHost } from '../net/control-plane-block';
import type { ClusterSpec } from '../spec';
import { CHECK_APISERVER_PATH, renderCheckApiserver } from './check-apiserver';
import { HAPROXY_CONFIG_PATH, renderHaproxyConfig } from './haproxy';
import { KEEPALIVED_CONFIG_PATH, renderKeepalivedConfig } from './keepalived';
import { KEEPALIVED_HOST_COMMANDS } from './keepalived-host';
import { KUBE_VIP_MANIFEST_PATH, kubeVipInitCommands, renderKubeVipManifest } from './kube-vip';
import { STATIC_POD_DIR, staticPod, staticPodYaml } from './static-pods';
import type { HostFile } from './types';
import { IMAGES, imageRef } from '../versions/pins';

/** @default image of the HAProxy static pod (official image; runs as the unprivileged `haproxy` user). */
export const HAPROXY_IMAGE = imageRef(IMAGES.haproxy);
export const HAPROXY_MANIFEST_PATH = `${STATIC_POD_DIR}/haproxy.yaml`;

/**
 * The fixed addresses of the control-plane machines in keepalived-haproxy mode: the `replicas + 1`
 * addresses right after the VIP (the extra one for the rolling-update surge machine), inside
 * `network.controlPlaneCidr` when set, else `network.nodeCidr`. Empty in the other modes (kube-vip
 * and Octavia do not need to know the machines). Throws when an address would fall outside that
 * subnet or on its broadcast address (the spec rules report this earlier, with the field path).
 */
export function controlPlaneAddresses(cluster: ClusterSpec): string[] {
  const ep = cluster.controlPlane.endpoint;
  if (ep.mode !== 'keepalived-haproxy' || !ep.vip) return [];
  const { field, cidr } = controlPlaneSubnetCidr(cluster.network);
  const range = parseCidr(cidr);
  const addresses = addressesAfter(ep.vip, cluster.controlPlane.replicas + 1);
  const outside = addresses.find((ip) => !range || !cidrContains(range, ip) || compareAddresses(ip, lastHost(cidr)) > 0);
  if (outside)
    throw new Error(
      `controlPlane.endpoint.vip: ${ep.vip} leaves no room for ${addresses.length} control-plane addresses after it inside network.${field} ${cidr} (${outside} is outside); choose a VIP lower in the range`,
    );
  return addresses;
}

function keepalivedHaproxyFiles(cluster: ClusterSpec): HostFile[] {
  const ep = cluster.controlPlane.endpoint;
  const vip = ep.vip as string;
  const addresses = controlPlaneAddresses(cluster);
  const haproxyPod = staticPod({
    name: 'haproxy',
    image: HAPROXY_IMAGE,
    mounts: [{ name: 'haproxy-cfg', hostPath: HAPROXY_CONFIG_PATH, mountPath: '/usr/local/etc/haproxy/haproxy.cfg' }],
  });
  return [
    {
      path: HAPROXY_CONFIG_PATH,
      content: renderHaproxyConfig({
        port: ep.port,
        backends: addresses.map((address, i) => ({ name: `${cluster.name}-cp-${i + 1}`, address })),
      }),
      permissions: '0644',
      owner: 'root:root',
    },
    {
      path: KEEPALIVED_CONFIG_PATH,
      content: renderKeepalivedConfig({ vip, interface: ep.interface, virtualRouterId: ep.virtualRouterId, unicastPeers: addresses }),
      permissions: '0644',
      owner: 'root:root',
    },
    { path: CHECK_APISERVER_PATH, content: renderCheckApiserver({ vip, port: ep.port }), permissions: '0755', owner: 'root:root' },
    { path: HAPROXY_MANIFEST_PATH, content: staticPodYaml(haproxyPod), permissions: '0644', owner: 'root:root' },
  ];
}

/**
 * Files every control-plane machine needs for the API endpoint (haproxy.cfg, keepalived.conf,
 * check_apiserver.sh and their static pods, or the kube-vip static pod), for `endpoint.mode`.
 * Empty for `loadbalancer`.
 */
export function endpointHostFiles(cluster: ClusterSpec): HostFile[] {
  const ep = cluster.controlPlane.endpoint;
  switch (ep.mode) {
    case 'keepalived-haproxy':
      return keepalivedHaproxyFiles(cluster);
    case 'kube-vip':
      return [
        {
          path: KUBE_VIP_MANIFEST_PATH,
          content: renderKubeVipManifest({
            vip: ep.vip as string,
            port: ep.port,
            interface: ep.interface,
            mode: ep.kubeVipMode,
            bgpAs: ep.bgp?.localAS,
            bgpPeers: ep.bgp?.peers,
            bgpRouterId: ep.bgp?.routerId,
          }),
          permissions: '0644',
          owner: 'root:root',
        },
      ];
    default:
      return [];
  }
}

/**
 * keepalived.conf is the same file on every machine, so it lists all pinned addresses as
 * unicast peers; this removes the machine's own address(es) before the kubelet starts the pod.
 */
// Lines of the unicast_peer block are bare addresses, so the anchored pattern matches only the line
// of the machine's own address (the unescaped "." could match any character, but no other line
// consists of an address alone).
const DROP_SELF_FROM_PEERS = `for ip in $(hostname -I); do sed -i "/^ *$ip *\\$/d" ${KEEPALIVED_CONFIG_PATH}; done`;

/** Commands to run before `kubeadm init`/`join` (own address out of keepalived peers; kube-vip super-admin.conf switch, issue 684). */
export function endpointPreKubeadmCommands(cluster: ClusterSpec, phase: 'init' | 'join'): string[] {
  const ep = cluster.controlPlane.endpoint;
  if (ep.mode === 'keepalived-haproxy') return [DROP_SELF_FROM_PEERS, ...KEEPALIVED_HOST_COMMANDS];
  if (ep.mode === 'kube-vip') return kubeVipInitCommands(cluster.kubernetesVersion, phase).pre;
  return [];
}

/** Commands to run after `kubeadm init`/`join` (kube-vip: switch back to admin.conf on the first machine). */
export function endpointPostKubeadmCommands(cluster: ClusterSpec, phase: 'init' | 'join'): string[] {
  const ep = cluster.controlPlane.endpoint;
  if (ep.mode === 'kube-vip') return kubeVipInitCommands(cluster.kubernetesVersion, phase).post;
  return [];
}
