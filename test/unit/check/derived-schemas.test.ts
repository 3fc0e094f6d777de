import { checkObjects } from '../../helpers/check';

describe('schemas written for kprod from upstream Go types (upstream/schemas/derived)', () => {
  it('KubeSchedulerConfiguration: accepts a profile with plugin args, refuses an unknown field and a bad duration', () => {
    const base = { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration' };
    expect(checkObjects({ ...base, clientConnection: { kubeconfig: '/etc/kubernetes/scheduler.conf' }, profiles: [{ schedulerName: 'default-scheduler', pluginConfig: [{ name: 'PodTopologySpread', args: { defaultingType: 'List' } }] }] })).toEqual([]);
    expect(checkObjects({ ...base, leaderElection: { leaseDuration: '15 seconds' }, profilez: [] })).toEqual([
      'KubeSchedulerConfiguration/-: profilez: unknown field',
      'KubeSchedulerConfiguration/-: leaderElection.leaseDuration: must match format "duration"',
    ]);
  });

  it('AuthenticationConfiguration (v1 and v1beta1): a JWT issuer needs audiences', () => {
    for (const apiVersion of ['apiserver.config.k8s.io/v1', 'apiserver.config.k8s.io/v1beta1']) {
      const doc = { apiVersion, kind: 'AuthenticationConfiguration', anonymous: { enabled: true, conditions: [{ path: '/livez' }] } };
      expect(checkObjects(doc)).toEqual([]);
      expect(checkObjects({ ...doc, jwt: [{ issuer: { url: 'https://idp' }, claimMappings: { username: { claim: 'sub' } } }] })).toEqual([
        "AuthenticationConfiguration/-: jwt[0].issuer.audiences: required field missing",
      ]);
    }
  });

  it('kubeconfig (v1 Config): a misspelt field is reported', () => {
    const kubeconfig = { apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server: 'https://api:6443', 'certificate-authority-data': 'Q0E=' } }], users: [], contexts: [] };
    expect(checkObjects(kubeconfig)).toEqual([]);
    expect(checkObjects({ ...kubeconfig, 'current-contex': 'c' })).toEqual(['Config/-: current-contex: unknown field']);
  });
});
