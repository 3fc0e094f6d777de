/** `clusterConfiguration.etcd`: the stacked members' local-etcd flags, or the external members kube-apiserver dials. */
import type { KubeadmEtcd } from '../../api';
import type { ClusterSpec } from '../../spec';
import { ETCD_DATA_DIR, etcdClientUrls, stackedEtcdExtraArgs } from '../etcd';
import type { ExtraArg } from '../types';
import { PKI } from './host-paths';

/** kubeadm local-etcd arguments of the stacked topology (tuning and TLS flags of the etcd renderer). */
export function localEtcdArgs(cluster: Pick<ClusterSpec, 'controlPlane'>): ExtraArg[] {
  return stackedEtcdExtraArgs(cluster.controlPlane.etcd);
}

/** `clusterConfiguration.etcd`: kubeadm-managed local etcd, or the external members with the client certificate Cluster API places. */
export function etcdConfiguration(cluster: ClusterSpec, etcdArgs: (c: ClusterSpec) => ExtraArg[] = localEtcdArgs): KubeadmEtcd {
  const etcd = cluster.controlPlane.etcd;
  if (etcd.topology === 'external') {
    if (!etcd.external) throw new Error(`cluster ${cluster.name}: etcd.topology is external but etcd.external is not set`);
    // Cluster API copies Secrets <cluster>-etcd (CA certificate) and <cluster>-apiserver-etcd-client
    // (tls.crt/tls.key) from the capi namespace to these paths; the Pulumi stack creates both.
    return {
      external: {
        endpoints: etcdClientUrls(etcd.external.members),
        caFile: PKI.etcdCa,
        certFile: PKI.apiserverEtcdClientCert,
        keyFile: PKI.apiserverEtcdClientKey,
      },
    };
  }
  return { local: { dataDir: ETCD_DATA_DIR, extraArgs: etcdArgs(cluster) } };
}
