/**
 * The kubeadm configuration of a cluster's control plane, as the `spec.kubeadmConfigSpec` of a
 * Cluster API v1beta2 KubeadmControlPlane (field names of controlplane.cluster.x-k8s.io/v1beta2,
 * which mirror kubeadm v1beta4: extraArgs are lists of {name, value}). Pure data, no secrets:
 * the encryption key and etcd client keys are only referenced.
 *
 * One file per purpose under ./kubeadm/; this module re-exports them so importers keep one path.
 */
export * from './kubeadm/apiserver-args';
export * from './kubeadm/authentication';
export * from './kubeadm/component-args';
export * from './kubeadm/config-spec';
export * from './kubeadm/control-plane-files';
export * from './kubeadm/disk-setup';
export * from './kubeadm/etcd-config';
export { mergeExtraArgs } from './kubeadm/extra-args';
export * from './kubeadm/host-paths';
export * from './kubeadm/node-registration';
export * from './kubeadm/options';
export * from './kubeadm/phase-commands';
