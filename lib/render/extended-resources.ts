/**
 * Extended resources a SKU declares (`skus.<name>.extendedResources`, e.g. FPGAs), advertised at
 * boot: after kubeadm join the node patches its own status capacity, with its kubelet credentials
 * (NodeRestriction lets a node update its own Node status), retrying until the Node object exists.
 * The scheduler then counts them like any resource, and tenant quotas (`quota.extended`) can name
 * them. GPUs are not patched: their device plugin advertises them.
 */
import type { Sku } from '../spec';

/** The kubelet's kubeconfig after kubeadm join. */
export const KUBELET_KUBECONFIG = '/etc/kubernetes/kubelet.conf';

/** JSON-patch path segment escaping (RFC 6901): `~` → `~0`, `/` → `~1`. */
const pointer = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1');

/** postKubeadmCommands advertising the SKU's extended resources on the node `nodeName` (cloud-init's hostname by default). */
export function extendedResourceCommands(sku: Pick<Sku, 'extendedResources'>, nodeName = '{{ local_hostname }}'): string[] {
  const entries = Object.entries(sku.extendedResources ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!entries.length) return [];
  const patch = JSON.stringify(entries.map(([name, count]) => ({ op: 'add', path: `/status/capacity/${pointer(name)}`, value: String(count) })));
  const cmd = `kubectl --kubeconfig ${KUBELET_KUBECONFIG} patch node ${nodeName} --subresource=status --type=json -p '${patch}'`;
  return [`for i in $(seq 1 30); do ${cmd} && break; sleep 10; done`];
}
