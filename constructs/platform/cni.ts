import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { cniApplication, type CiliumOptions } from '../../lib/platform/cni';
import type { ClusterSpec } from '../../lib/spec';
import type { ClusterContext } from '../context';

export interface CniProps {
  /** The cluster being built. */
  readonly ctx: ClusterContext;
  /**
   * Cilium-only settings (IPAM mode, kube-proxy replacement); ignored for Calico.
   * @default { ipam: "kubernetes", kubeProxyReplacement: false }
   */
  readonly cilium?: CiliumOptions;
}

/**
 * The CNI of `network.cni` as an Argo CD Helm Application (wave -5). Plugin `none` builds nothing:
 * the capability named by `network.cni.provider` brings the CNI.
 */
export class Cni extends Construct {
  /** The CNI's Argo CD Application (undefined for plugin `none`). */
  readonly application?: ApiObject;
  constructor(scope: Construct, id: string, props: CniProps) {
    super(scope, id);
    const { ctx } = props;
    if (ctx.cluster.network.cni.plugin === 'none') return;
    this.application = ctx.addApplication(cniApplication(ctx.cluster, ctx.environment, props.cilium));
  }
}

/** How the summary names the CNI: "calico (ipip)", or "none (provided by capability X)". */
export function describeCni(cni: ClusterSpec['network']['cni']): string {
  return cni.plugin === 'none' ? `none (provided by capability ${cni.provider})` : `${cni.plugin} (${cni.encapsulation})`;
}
