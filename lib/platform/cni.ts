/**
 * The CNI of a workload cluster as a pinned Helm chart, with values derived from
 * `cluster.network` (pod CIDR, plugin, encapsulation).
 *
 * The values must agree with what the OpenStack security groups open between nodes
 * (`stacks/openstack/security-rules.ts`, `cniRules()`):
 * - calico ipip:  BGP TCP 179 + IP protocol 4 (IP-in-IP), Typha TCP 5473
 * - calico vxlan: UDP 4789 (Felix's default VXLAN port), Typha TCP 5473; BGP disabled
 * - calico bgp:   BGP TCP 179, no encapsulation, Typha TCP 5473
 * - cilium vxlan: UDP 8472 (Cilium's VXLAN port, pinned below as `tunnelPort`), health TCP 4240
 * - cilium bgp:   BGP TCP 179 (native routing), health TCP 4240
 * Unencapsulated modes (bgp) carry pod source addresses on the node network: on OpenStack the
 * node ports need the pod CIDR in their allowed address pairs, or port security drops them.
 */
import { cniMetricsValues } from '../observability/cni-metrics';
import { SpecError } from '../spec/errors';
import { CHARTS } from '../versions/pins';
import type { ClusterSpec, EnvironmentSpec } from '../spec';
import { helmApplication, type PinnedChart } from './helm-application';
import { PLATFORM_SYNC_WAVES } from './sync-waves';

/** Calico's operator chart; `installation` values become the operator's Installation resource. */
export const CALICO_CHART: PinnedChart = CHARTS.tigeraOperator;
/** From v3.32 tigera-operator ships no CRDs: this chart holds them, a first source of the CNI Application. */
export const CALICO_CRD_CHART: PinnedChart = CHARTS.calicoCrds;
export const CALICO_NAMESPACE = 'tigera-operator';
/** Cilium's chart; the agent and operator run in kube-system. */
export const CILIUM_CHART: PinnedChart = CHARTS.cilium;
export const CILIUM_NAMESPACE = 'kube-system';
/** Cilium's VXLAN port; the security groups open exactly this one. */
export const CILIUM_VXLAN_PORT = 8472;

type Network = ClusterSpec['network'];
type Values = Record<string, unknown>;

/** Calico IP pool encapsulation and BGP per `network.cni.encapsulation`. */
export function calicoEncapsulation(encapsulation: Network['cni']['encapsulation']): { encapsulation: 'IPIP' | 'VXLAN' | 'None'; bgp: 'Enabled' | 'Disabled' } {
  switch (encapsulation) {
    // IP-in-IP routes are learned over BGP.
    case 'ipip':
      return { encapsulation: 'IPIP', bgp: 'Enabled' };
    // VXLAN needs no routing protocol between nodes; port 179 stays closed.
    case 'vxlan':
      return { encapsulation: 'VXLAN', bgp: 'Disabled' };
    case 'bgp':
      return { encapsulation: 'None', bgp: 'Enabled' };
  }
}

/** Values of the tigera-operator chart: one IPv4 pool covering the whole pod CIDR. */
export function calicoValues(network: Network): Values {
  const { encapsulation, bgp } = calicoEncapsulation(network.cni.encapsulation);
  return {
    installation: {
      enabled: true,
      cni: { type: 'Calico' },
      calicoNetwork: {
        bgp,
        ipPools: [{ name: 'default-ipv4-ippool', cidr: network.podCidr, blockSize: 26, encapsulation, natOutgoing: 'Enabled', nodeSelector: 'all()' }],
        // Pick the address on the node network, never a pod or docker bridge address.
        nodeAddressAutodetectionV4: { cidrs: [network.nodeCidr] },
      },
    },
  };
}

export interface CiliumOptions {
  /**
   * IPAM mode: `kubernetes` uses the per-node ranges kube-controller-manager allocates from the
   * Cluster API pod CIDR (kubeadm sets `--allocate-node-cidrs`); `cluster-pool` lets the Cilium
   * operator carve node ranges out of the pod CIDR itself.
   * @default "kubernetes"
   */
  readonly ipam?: 'kubernetes' | 'cluster-pool';
  /**
   * Replace kube-proxy with Cilium's eBPF service handling (kubeadm still installs kube-proxy,
   * so enabling this also needs kube-proxy skipped in the kubeadm config).
   * @default false
   */
  readonly kubeProxyReplacement?: boolean;
}

/** Values of the cilium chart; throws a SpecError for encapsulations Cilium does not have. */
export function ciliumValues(network: Network, options: CiliumOptions = {}, path = 'network.cni.encapsulation'): Values {
  const ipamMode = options.ipam ?? 'kubernetes';
  const ipam: Values = { mode: ipamMode };
  if (ipamMode === 'cluster-pool') ipam.operator = { clusterPoolIPv4PodCIDRList: [network.podCidr], clusterPoolIPv4MaskSize: 24 };
  const common = { ipam, kubeProxyReplacement: options.kubeProxyReplacement ?? false, ...(network.cni.bandwidthLimits ? { bandwidthManager: { enabled: true } } : {}) };
  switch (network.cni.encapsulation) {
    case 'vxlan':
      return { ...common, routingMode: 'tunnel', tunnelProtocol: 'vxlan', tunnelPort: CILIUM_VXLAN_PORT };
    case 'bgp':
      // Native routing: pod traffic is not masqueraded inside the pod CIDR. Nodes share one
      // subnet, so direct node routes suffice; the BGP control plane lets operators add peerings
      // (CiliumBGPClusterConfig) to announce pod ranges to the fabric.
      return { ...common, routingMode: 'native', ipv4NativeRoutingCIDR: network.podCidr, autoDirectNodeRoutes: true, bgpControlPlane: { enabled: true } };
    case 'ipip':
      throw new SpecError([{ path, message: 'cilium does not support ipip; use vxlan or bgp', value: 'ipip', severity: 'error' }]);
  }
}

/** The chart, namespace and values of the cluster's CNI. */
export function cniRelease(
  cluster: ClusterSpec,
  ciliumOptions?: CiliumOptions,
): { chart: PinnedChart; crdCharts?: readonly PinnedChart[]; namespace: string; releaseName: string; values: Values } {
  const network = cluster.network;
  if (network.cni.plugin === 'calico')
    return { chart: CALICO_CHART, crdCharts: [CALICO_CRD_CHART], namespace: CALICO_NAMESPACE, releaseName: 'calico', values: calicoValues(network) };
  // Agent metrics for Prometheus (monitor: lib/observability/cni-metrics.ts).
  const metrics = cluster.addons.monitoring.enabled ? cniMetricsValues('cilium') : {};
  return { chart: CILIUM_CHART, namespace: CILIUM_NAMESPACE, releaseName: 'cilium', values: { ...ciliumValues(network, ciliumOptions, `clusters.${cluster.name}.network.cni.encapsulation`), ...metrics } };
}

/** The Argo CD Application of the CNI (sync wave before every other workload-cluster folder). */
export function cniApplication(cluster: ClusterSpec, env: EnvironmentSpec, ciliumOptions?: CiliumOptions): Record<string, unknown> {
  const release = cniRelease(cluster, ciliumOptions);
  return helmApplication(cluster, env, {
    name: 'cni',
    chart: release.chart,
    crdCharts: release.crdCharts,
    releaseName: release.releaseName,
    namespace: release.namespace,
    syncWave: PLATFORM_SYNC_WAVES.cni,
    values: release.values,
    createNamespace: release.namespace !== 'kube-system',
    // The operator runs with host networking (it must work before the pod network exists).
    podSecurity: 'privileged',
  });
}
