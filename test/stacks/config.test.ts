/** Stack configuration: spec path, environment, inventory and secrets from `kprod:*` keys. */
import { installMockGraph } from '../../stacks/testing/mock-graph';

installMockGraph();

import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { readStackSettings } from '../../stacks/config';
import { DEFAULT_VERSIONS } from '../../stacks/bootstrap/versions';

const SPEC = path.join(__dirname, '../../examples/fleet.ts');
const secretValue = (o: pulumi.Output<string> | undefined) =>
  new Promise<[string, boolean]>((resolve) => o!.apply((v) => pulumi.isSecret(o!).then((s: boolean) => resolve([v, s]))));

describe('readStackSettings', () => {
  it('reads the spec, environment, hosts, secrets and partial overrides', async () => {
    pulumi.runtime.setAllConfig(
      {
        'kprod:spec': SPEC,
        'kprod:environment': 'staging',
        'kprod:sshPrivateKey': 'PRIVATE',
        'kprod:occmCloudConf': '[Global]\n',
        'kprod:hosts': JSON.stringify([{ name: 'cp-a', address: '192.168.100.11', role: 'control-plane' }]),
        'kprod:pki': JSON.stringify({ leafValidityHours: 2000 }),
        'kprod:versions': JSON.stringify({ argoCdChart: '9.9.9' }),
      },
      ['kprod:sshPrivateKey', 'kprod:occmCloudConf'],
    );
    const s = readStackSettings();
    expect(s.environment).toBe('staging');
    expect(s.fleet.environments.map((e) => e.name)).toEqual(['prod', 'staging']);
    expect(s.hosts).toEqual([{ name: 'cp-a', address: '192.168.100.11', role: 'control-plane' }]);
    expect(s.lifetimes).toEqual({ caValidityHours: 87600, leafValidityHours: 2000, earlyRenewalHours: 720 });
    expect(s.versions).toEqual({ ...DEFAULT_VERSIONS, argoCdChart: '9.9.9' });
    expect(s.ssh?.user).toBe('ubuntu');
    expect(await secretValue(s.ssh?.privateKey as pulumi.Output<string>)).toEqual(['PRIVATE', true]);
    expect(await secretValue(s.occmCloudConf)).toEqual(['[Global]\n', true]);
    expect(s.ownClusterCa).toBe(false);
    expect(s.managementKubeconfig).toBeUndefined();
  });

  it('defaults the environment to the stack name and rejects one the fleet lacks', () => {
    pulumi.runtime.setAllConfig({ 'kprod:spec': SPEC });
    // the mocks run stack "test", which is not an environment of the example
    expect(() => readStackSettings()).toThrow(/kprod:environment: "test" is not an environment of .*have prod, staging/);
  });

  it('rejects a bad inventory with paths', () => {
    pulumi.runtime.setAllConfig({ 'kprod:spec': SPEC, 'kprod:environment': 'prod', 'kprod:hosts': JSON.stringify([{ name: 'x', address: 'nope', role: 'worker' }]) });
    expect(() => readStackSettings()).toThrow(/kprod:hosts\[0\]\.address/);
  });
});
