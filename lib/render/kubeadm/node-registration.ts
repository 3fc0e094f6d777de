/** nodeRegistration of control-plane machines (init and join). */
import type { KubeadmNodeRegistration } from '../../api';
import type { ClusterSpec } from '../../spec';
import { arg } from './extra-args';

/** nodeRegistration of control-plane machines: provider-specific kubelet flags (cloud-provider external on OpenStack). */
export function controlPlaneNodeRegistration(cluster: Pick<ClusterSpec, 'infrastructure'>): KubeadmNodeRegistration {
  if (cluster.infrastructure.provider === 'openstack')
    return {
      name: '{{ local_hostname }}',
      kubeletExtraArgs: [arg('cloud-provider', 'external'), arg('provider-id', 'openstack:///{{ instance_id }}')],
    };
  return { name: '{{ local_hostname }}' };
}
