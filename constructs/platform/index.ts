import { Construct } from 'constructs';
import type { CiliumOptions } from '../../lib/platform/cni';
import { occmApplication } from '../../lib/platform/cloud-controller-manager';
import type { ApproverOptions } from '../../lib/platform/kubelet-csr-approver';
import type { ClusterContext } from '../context';
import { Cni, describeCni } from './cni';
import { KubeletCsrApprover } from './kubelet-csr-approver';
import { OccmCloudConfig } from './occm-cloud-config';

export { Cni, describeCni, type CniProps } from './cni';
export { KubeletCsrApprover, type KubeletCsrApproverProps } from './kubelet-csr-approver';
export { OccmCloudConfig, type OccmCloudConfigProps } from './occm-cloud-config';

export interface PlatformEssentialsProps {
  /** The cluster being built. */
  readonly ctx: ClusterContext;
  /**
   * Cilium-only settings (IPAM mode, kube-proxy replacement); ignored for Calico.
   * @default { ipam: "kubernetes", kubeProxyReplacement: false }
   */
  readonly cilium?: CiliumOptions;
  /**
   * Settings of the kubelet-serving CSR approver, or `false` to leave CSR approval to something else.
   * @default node-name regex from the cluster name, node CIDR as IP prefix, 30-day maximum
   */
  readonly kubeletCsrApprover?: ApproverOptions | false;
  /**
   * Build the CNI's Helm Application here; the capability set builds it as its own capability
   * (`cni`, {@link Cni}) so that it can be replaced by id.
   * @default true
   */
  readonly cni?: boolean;
}

/**
 * What a synthesized cluster needs to become Ready and operable:
 * - the CNI of `network.cni` (Argo CD Helm Application, wave -5);
 * - on OpenStack, openstack-cloud-controller-manager (Helm Application, wave -5), which removes
 *   the `uninitialized` taint kubelets with `cloud-provider: external` start with; it reads the
 *   Secret `kube-system/cloud-config` (key `cloud.conf`), which a ClusterResourceSet
 *   (`OccmCloudConfig`, management cluster) copies in from the Secret the Pulumi stack creates;
 * - the kubelet-serving CSR approver (`addons/kubelet-csr-approver/`, wave -4).
 */
export class PlatformEssentials extends Construct {
  constructor(scope: Construct, id: string, props: PlatformEssentialsProps) {
    super(scope, id);
    const { ctx } = props;
    if (props.cni !== false) new Cni(this, 'cni', { ctx, cilium: props.cilium });
    const ccm = occmApplication(ctx.cluster, ctx.environment);
    if (ccm) {
      ctx.addApplication(ccm);
      new OccmCloudConfig(this, 'occm-cloud-config', { ctx });
    }
    if (props.kubeletCsrApprover !== false) new KubeletCsrApprover(this, 'kubelet-csr-approver', { ...(props.kubeletCsrApprover ?? {}), ctx });
    ctx.addSummary(`platform: ${describeCni(ctx.cluster.network.cni)}${ccm ? ', openstack-cloud-controller-manager' : ''}${props.kubeletCsrApprover !== false ? ', kubelet-csr-approver' : ''}`);
  }
}
