import { APPROVER_CLUSTER_RULES, approverEnv, approverSettings, nodeNameRegex } from '../../../lib/platform/kubelet-csr-approver';
import { exampleClusters } from './example-clusters';

describe('kubelet-csr-approver settings', () => {
  const { prod, staging } = exampleClusters();

  it('allows IP SANs only from the node network', () => {
    expect(approverSettings(prod).providerIpPrefixes).toBe('10.10.0.0/20');
    expect(approverSettings(staging).providerIpPrefixes).toBe('192.168.100.0/22');
    expect(approverSettings(prod, { ipPrefixes: ['10.10.0.0/20', '10.20.0.0/24'] }).providerIpPrefixes).toBe('10.10.0.0/20,10.20.0.0/24');
  });

  it('matches the names CAPO gives OpenStack machines and nothing of another cluster', () => {
    const re = new RegExp(nodeNameRegex(prod));
    for (const name of ['eu-west-1-control-plane-7xk2p', 'eu-west-1-general-az1-5d8f9-abcde']) expect(re.test(name)).toBe(true);
    for (const name of ['eu-west-2-general-az1-5d8f9-abcde', 'eu-west-1', 'xeu-west-1-control-plane-7xk2p', 'eu-west-1-node.evil.com', 'euxwest-1-a'])
      expect(re.test(name)).toBe(false);
  });

  it('accepts any DNS-label host name on bare metal (inventory names)', () => {
    const re = new RegExp(nodeNameRegex(staging));
    expect(re.test('rack-a-node-07')).toBe(true);
    expect(re.test('node.example.com')).toBe(false);
    expect(re.test('-bad')).toBe(false);
  });

  it('passes the settings under the variable names the binary reads', () => {
    const env = Object.fromEntries(approverEnv(approverSettings(prod)).map((e) => [e.name, e.value]));
    expect(env).toEqual({
      PROVIDER_REGEX: nodeNameRegex(prod),
      PROVIDER_IP_PREFIXES: '10.10.0.0/20',
      MAX_EXPIRATION_SEC: String(30 * 24 * 3600),
      BYPASS_DNS_RESOLUTION: 'true',
    });
  });

  it('rejects expirations the binary would refuse, naming the option', () => {
    expect(() => approverSettings(prod, { maxExpirationSeconds: 368 * 24 * 3600 })).toThrow(/kubeletCsrApprover\.maxExpirationSeconds: must be an integer in 1\.\.31708800/);
    expect(() => approverSettings(prod, { maxExpirationSeconds: 0 })).toThrow(/got 0/);
    expect(() => approverSettings(prod, { ipPrefixes: [] })).toThrow(/kubeletCsrApprover\.ipPrefixes/);
  });

  it('may approve only for the kubelet-serving signer', () => {
    const signers = APPROVER_CLUSTER_RULES.filter((r) => r.resources.includes('signers' as never));
    expect(signers).toEqual([{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/kubelet-serving'], verbs: ['approve'] }]);
  });
});
