import { ControlPlane } from '../../../constructs/control-plane/control-plane';
import { exampleFleet } from '../../helpers/fleet';
import { find, synthObjects } from '../../helpers/synth';

const synth = (input: any) => synthObjects(input, [(ctx) => void new ControlPlane(ctx.managementChart, 'control-plane', { ctx })]);

describe('control-plane rollout settings', () => {
  it('surges one machine by default and takes controlPlane.rollout.maxSurge 0 from the spec', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].controlPlane.rollout = { maxSurge: 0 };
    const objects = synth(input);
    expect(find(objects, 'KubeadmControlPlane', 'eu-west-1-control-plane').spec.rollout.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } });
    expect(find(objects, 'KubeadmControlPlane', 'dc1-control-plane').spec.rollout.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0 } });
  });

  it('carries spec extraArgs overrides into the KubeadmControlPlane, replacing kprod\'s value in place', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].controlPlane.apiServer = { extraArgs: { 'request-timeout': '120s', 'v': 3 } };
    const kcp = find(synth(input), 'KubeadmControlPlane', 'dc1-control-plane');
    const args: Array<{ name: string; value: string }> = kcp.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs;
    expect(args.filter((a) => a.name === 'request-timeout')).toEqual([{ name: 'request-timeout', value: '120s' }]);
    expect(args[args.length - 1]).toEqual({ name: 'v', value: '3' });
  });
});
