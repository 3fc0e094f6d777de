/** diskSetup / mounts of control-plane machines: the dedicated etcd volume of stacked etcd on OpenStack. */
import type { KubeadmConfigSpec } from '../../api';
import type { ClusterSpec } from '../../spec';
import { ETCD_DATA_DIR } from '../etcd';

/** Device of the first additional Cinder volume on an OpenStack (virtio) machine: the etcd SSD of stacked control planes. */
export const ETCD_VOLUME_DEVICE = '/dev/vdb';
const ETCD_VOLUME_LABEL = 'etcd_disk';

/** Formats and mounts the dedicated etcd volume at /var/lib/etcd (stacked etcd on OpenStack only; Metal3 hosts use their local disks). */
export function etcdDiskSetup(cluster: Pick<ClusterSpec, 'controlPlane' | 'infrastructure'>): Pick<KubeadmConfigSpec, 'diskSetup' | 'mounts'> {
  if (cluster.controlPlane.etcd.topology !== 'stacked' || cluster.infrastructure.provider !== 'openstack') return {};
  return {
    diskSetup: {
      partitions: [{ device: ETCD_VOLUME_DEVICE, layout: true, overwrite: false, tableType: 'gpt' }],
      filesystems: [{ device: `${ETCD_VOLUME_DEVICE}1`, filesystem: 'ext4', label: ETCD_VOLUME_LABEL, overwrite: false }],
    },
    mounts: [[`LABEL=${ETCD_VOLUME_LABEL}`, ETCD_DATA_DIR]],
  };
}
