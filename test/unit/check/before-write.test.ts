import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertCheckPasses, CheckFailedError } from '../../../lib/check';
import { tempDirPerTest } from '../../helpers/tmp';

const kcp = (replicas: number, version: string) =>
  JSON.stringify({
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    kind: 'KubeadmControlPlane',
    metadata: { name: 'cp', namespace: 'ns' },
    spec: { replicas, version, machineTemplate: { spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 't' } } }, kubeadmConfigSpec: { format: 'cloud-config' } },
  });

describe('assertCheckPasses (the check a synth runs before it writes)', () => {
  const t = tempDirPerTest('kprod-before-write-');

  it('checks the new files as creates when the output folder is empty, and as updates of what it holds', () => {
    const files = new Map([['e/c/cluster/kcp.json', kcp(3, 'v1.35.0')]]);
    expect(assertCheckPasses(files, path.join(t.dir, 'none')).failed).toBe(0);
    fs.mkdirSync(path.join(t.dir, 'e/c/cluster'), { recursive: true });
    fs.writeFileSync(path.join(t.dir, 'e/c/cluster/kcp.json'), kcp(3, 'v1.33.0'));
    let error: unknown;
    try {
      assertCheckPasses(files, t.dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckFailedError);
    expect((error as CheckFailedError).report.failures.map((f) => `${f.file}: ${f.path}: ${f.message}`)).toEqual([
      'e/c/cluster/kcp.json: spec.version: cannot update Kubernetes version from v1.33.0 to v1.35.0 (admission webhook)',
    ]);
    expect((error as Error).message).toMatch(/nothing was written/);
  });
});
