/** Namespaces Kubernetes itself creates. */
export const KUBERNETES_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/**
 * Namespaces kprod's add-ons and Argo CD use on workload clusters. Keep in sync with the add-on
 * constructs (the lead owns the list of add-ons).
 */
export const ADDON_NAMESPACES = ['argocd', 'monitoring', 'logging', 'etcd-backup', 'node-problem-detector', 'cluster-autoscaler', 'metrics-server', 'kprod-system'] as const;

/** Why a tenant may not use `namespace`, or undefined when it may. */
export function reservedNamespaceReason(namespace: string): string | undefined {
  if ((KUBERNETES_NAMESPACES as readonly string[]).includes(namespace)) return 'is a Kubernetes system namespace';
  if ((ADDON_NAMESPACES as readonly string[]).includes(namespace)) return 'is used by a kprod add-on or Argo CD';
  if (namespace.startsWith('kube-')) return 'the "kube-" prefix is reserved for Kubernetes system namespaces';
  return undefined;
}
