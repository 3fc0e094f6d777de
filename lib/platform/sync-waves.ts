/**
 * Argo CD sync waves of the platform essentials, relative to the other folders of a cluster:
 * management `cluster/` -10, tenancy-base -2, monitoring Helm -1, add-ons 0, tenants 10.
 *
 * Nodes stay NotReady without a CNI and keep the `node.cloudprovider.kubernetes.io/uninitialized`
 * taint without the cloud controller manager, so both go first on the workload cluster; the
 * kubelet-serving CSR approver follows (it runs on the host network and needs neither, but
 * metrics-server and `kubectl logs/exec` need the certificates it approves).
 */
export const PLATFORM_SYNC_WAVES = {
  cni: -5,
  cloudControllerManager: -5,
  kubeletCsrApprover: -4,
} as const;
