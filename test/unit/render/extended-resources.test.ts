import { extendedResourceCommands } from '../../../lib/render/extended-resources';
import { synthObjects } from '../../helpers/synth';
import { exampleFleet } from '../../helpers/fleet';

describe('SKU extended resources advertised at boot', () => {
  it('patches the node status capacity with JSON-pointer-escaped names, retrying until the Node exists', () => {
    const [cmd] = extendedResourceCommands({ extendedResources: { 'example.com/fpga': 2, 'acme.io/nic-vf': 8 } }, 'n1');
    expect(cmd).toMatch(/^for i in \$\(seq 1 30\); do kubectl --kubeconfig \/etc\/kubernetes\/kubelet\.conf patch node n1 --subresource=status --type=json -p '/);
    const patch = JSON.parse(/-p '(.*)' &&/.exec(cmd)![1]);
    expect(patch).toEqual([
      { op: 'add', path: '/status/capacity/acme.io~1nic-vf', value: '8' },
      { op: 'add', path: '/status/capacity/example.com~1fpga', value: '2' },
    ]);
    expect(extendedResourceCommands({})).toEqual([]);
  });

  it("lands in the pool's KubeadmConfigTemplate postKubeadmCommands, on cloud-init's node name", () => {
    const input = exampleFleet();
    input.skus['gpu-a100x4'].extendedResources = { 'example.com/fpga': 1 };
    const objects = synthObjects(input);
    const gpu = objects.find((o) => o.obj.kind === 'KubeadmConfigTemplate' && o.obj.metadata.labels['kprod.io/pool'] === 'gpu')!.obj;
    expect(gpu.spec.template.spec.postKubeadmCommands).toEqual([expect.stringContaining("patch node {{ local_hostname }} --subresource=status")]);
    const general = objects.find((o) => o.obj.kind === 'KubeadmConfigTemplate' && o.obj.metadata.labels['kprod.io/pool'] === 'general')!.obj;
    expect(general.spec.template.spec.postKubeadmCommands).toBeUndefined();
  });
});
