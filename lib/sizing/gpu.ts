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
