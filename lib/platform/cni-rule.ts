import { forEachCluster, type Rule } from '../spec/validate/rule';

/**
 * Cilium has no IP-in-IP mode: report `network.cni.encapsulation: ipip` with `plugin: cilium`
 * at validation time (with its full path) instead of failing later in synth or the stack.
 */
export const cniSupported: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) => {
    const cni = cluster.network.cni;
    if (cni.plugin === 'cilium' && cni.encapsulation === 'ipip')
      issues.error([...path, 'network', 'cni', 'encapsulation'], 'cilium does not support ipip; allowed: vxlan, bgp', cni.encapsulation);
  });
