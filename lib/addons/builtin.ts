/**
 * Names kprod's own add-ons use, as Argo CD Application suffixes (`<cluster>-<name>`) or as
 * `addons/<name>/` folders. A user-declared Helm add-on may not take one of them: its
 * Application or folder would overwrite the built-in one.
 */
export const BUILTIN_ADDON_NAMES: readonly string[] = [
  // Helm Applications
  'monitoring',
  'cni',
  'openstack-cloud-controller-manager',
  'dashboard',
  'cluster-autoscaler',
  'nvidia-device-plugin',
  // Folders (addons/<name>/)
  'node-problem-detector',
  'logging',
  'metrics-server',
  'monitoring-rules',
  'tenancy-base',
  'kubelet-csr-approver',
  'etcd-backup',
];

/**
 * Why `name` cannot be a user add-on name, or undefined when it can. Besides the built-in names,
 * the folder Applications are named `<cluster>-cluster`, `<cluster>-addon-<x>` and
 * `<cluster>-tenant-<x>`, and the per-cluster layout's `<cluster>-applications`, so those forms
 * are taken too.
 */
export function reservedAddonNameReason(name: string): string | undefined {
  if (BUILTIN_ADDON_NAMES.includes(name)) return `is the name of a built-in add-on (${BUILTIN_ADDON_NAMES.join(', ')})`;
  if (name === 'cluster') return 'is the name of the cluster folder Application';
  if (name === 'applications') return "is the name of the cluster's Application of the per-cluster Argo CD layout (gitops.argocd.layout)";
  if (name.startsWith('addon-') || name.startsWith('tenant-')) return 'starts with "addon-" or "tenant-", which the folder Applications use';
  return undefined;
}
