/**
 * Huge pages a SKU declares, allocated before kubeadm starts the kubelet (the kubelet reads the
 * pools at start-up and offers them as `hugepages-2Mi` / `hugepages-1Gi`). Written through sysfs
 * early in boot, while memory is still unfragmented; a machine that gets fewer pages than asked logs
 * it, and its Node then shows the smaller capacity.
 */
import type { Sku } from '../spec';

const SYSFS_DIR: Readonly<Record<'2Mi' | '1Gi', string>> = {
  '2Mi': '/sys/kernel/mm/hugepages/hugepages-2048kB',
  '1Gi': '/sys/kernel/mm/hugepages/hugepages-1048576kB',
};

/** preKubeadmCommands that allocate the SKU's huge pages; none when it declares none. */
export function hugepagesCommands(sku: Pick<Sku, 'hugepages'>): string[] {
  return (['1Gi', '2Mi'] as const).flatMap((size) => {
    const count = sku.hugepages?.[size];
    if (!count) return [];
    const file = `${SYSFS_DIR[size]}/nr_hugepages`;
    return [`echo ${count} > ${file}`, `test "$(cat ${file})" -ge ${count} || echo "kprod: only $(cat ${file}) of ${count} ${size} huge pages allocated" >&2`];
  });
}
