/** Extended resource each GPU vendor's device plugin advertises; GPU pools are tainted with it. */
export const GPU_RESOURCE: Readonly<Record<'nvidia' | 'amd' | 'intel', string>> = {
  nvidia: 'nvidia.com/gpu',
  amd: 'amd.com/gpu',
  intel: 'gpu.intel.com/i915',
};

/** Label the cluster-autoscaler's Cluster API provider reads to know a node will have GPUs. */
export const ACCELERATOR_LABEL = 'cluster-api/accelerator';

/** The vendor whose GPU resource this taint or label key names, if any. */
export function gpuVendorOfKey(key: string): keyof typeof GPU_RESOURCE | undefined {
  return (Object.keys(GPU_RESOURCE) as (keyof typeof GPU_RESOURCE)[]).find((v) => GPU_RESOURCE[v] === key);
}

/**
 * Extended resources one machine of the SKU offers the scheduler: its GPUs under the vendor's
 * resource name plus the SKU's `extendedResources`.
 */
export function skuExtendedResources(sku: { readonly gpu?: { readonly vendor: keyof typeof GPU_RESOURCE; readonly count: number }; readonly extendedResources?: Readonly<Record<string, number>> }): Record<string, number> {
  return { ...(sku.gpu ? { [GPU_RESOURCE[sku.gpu.vendor]]: sku.gpu.count } : {}), ...(sku.extendedResources ?? {}) };
}
