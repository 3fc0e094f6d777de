import { parse } from 'yaml';
import { synthFleet } from '../../constructs/fleet';
import { NVIDIA_DEVICE_PLUGIN } from '../../lib/addons/gpu-device-plugin';
import { parseFleet } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';

function applications(input: unknown) {
  const out = synthFleet(parseFleet(input).spec);
  return { out, apps: [...out.files.entries()].filter(([f]) => f.includes('/argocd/')).map(([f, t]) => ({ file: f, obj: parse(t) })) };
}

describe('GPU device plugin', () => {
  const { out, apps } = applications(exampleFleet());
  const plugin = apps.find((a) => a.obj.metadata?.name === 'eu-west-1-nvidia-device-plugin');

  it('installs the pinned NVIDIA chart on the example prod cluster (GPU pool) and nowhere else', () => {
    expect(plugin).toBeDefined();
    expect(plugin!.file.startsWith('prod/argocd/')).toBe(true);
    expect(plugin!.obj.spec.source).toMatchObject({ repoURL: NVIDIA_DEVICE_PLUGIN.repoURL, chart: 'nvidia-device-plugin', targetRevision: NVIDIA_DEVICE_PLUGIN.version });
    expect(NVIDIA_DEVICE_PLUGIN.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(apps.some((a) => a.obj.metadata?.name === 'dc1-nvidia-device-plugin')).toBe(false);
  });

  it('runs only on the nodes kprod labels as NVIDIA and tolerates every taint of the GPU pool (vendor and tenant)', () => {
    const values = plugin!.obj.spec.source.helm.valuesObject ?? parse(plugin!.obj.spec.source.helm.values);
    expect(values.nodeSelector).toEqual({ 'cluster-api/accelerator': 'nvidia' });
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'cluster-api/accelerator', operator: 'In', values: ['nvidia'] }] },
    ]);
    expect(values.tolerations).toEqual(
      expect.arrayContaining([
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'kprod.io/tenant', operator: 'Exists', effect: 'NoSchedule' },
      ]),
    );
    // the namespace must allow the hostPath device-plugin socket directory
    expect(plugin!.obj.spec.syncPolicy.managedNamespaceMetadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(out.summary.join('\n')).toMatch(/GPU device plugin: nvidia-device-plugin@\S+ on pools gpu/);
  });

  it('is not rendered when no pool has NVIDIA GPUs, and AMD pools are named in the summary', () => {
    const input = exampleFleet();
    input.skus['gpu-a100x4'].gpu = { vendor: 'amd', count: 4 };
    input.environments[0].clusters[0].tenants[1].quota.extended = { 'amd.com/gpu': 8 };
    const r = applications(input);
    expect(r.apps.some((a) => /nvidia-device-plugin/.test(a.obj.metadata?.name ?? ''))).toBe(false);
    expect(r.out.summary.join('\n')).toMatch(/GPU pools without a kprod device plugin .*gpu \(amd\)/);
  });
});
