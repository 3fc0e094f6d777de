import { CIS_CHECKS } from '../../../lib/cis/checks';
import { clusterCisInputs, etcdFlagsFromConfig, kubeadmDefaultCisInputs } from '../../../lib/cis/cluster-inputs';
import { describeCisResult, evaluateCis, type CisInputs } from '../../../lib/cis/evaluate';
import { cisWeakenings, clusterCisResult, describeCisWeakening } from '../../../lib/cis/overrides';
import { parseFleet } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';

const clusters = (input = exampleFleet()) => parseFleet(input).spec.environments.map((e) => e.clusters[0]);
const failing = (inputs: CisInputs) => evaluateCis(inputs).failed.map((f) => f.check.id);

describe('CIS Kubernetes Benchmark 1.12, configuration-decidable checks', () => {
  it('has 62 checks with unique ids in the sections configuration decides', () => {
    expect(CIS_CHECKS).toHaveLength(62);
    expect(new Set(CIS_CHECKS.map((c) => c.id)).size).toBe(62);
    const sections = CIS_CHECKS.map((c) => c.id.split('.').slice(0, c.id.startsWith('2.') ? 1 : 2).join('.'));
    expect([...new Set(sections)].sort()).toEqual(['1.2', '1.3', '1.4', '2', '3.2', '4.2', '4.3']);
  });

  it('plain kubeadm (no extraArgs, its own kubelet config) passes 39 of 62', () => {
    const result = evaluateCis(kubeadmDefaultCisInputs());
    expect(result.passed).toHaveLength(39);
    expect(failing(kubeadmDefaultCisInputs())).toEqual(
      expect.arrayContaining(['1.2.1', '1.2.3', '1.2.5', '1.2.9', '1.2.11', '1.2.15', '1.2.16', '1.2.27', '1.2.29', '1.2.30', '1.3.1', '1.3.2', '1.4.1', '3.2.1', '4.2.9', '4.2.12', '4.2.13', '4.2.14']),
    );
  });

  it.each([
    ['prod eu-west-1 (external etcd, 1.33)', 0],
    ['staging dc1 (stacked etcd, 1.34)', 1],
  ])('%s passes at least 60; only the serving-certificate bootstrap check fails', (_name, index) => {
    const cluster = clusters()[index];
    const result = clusterCisResult(cluster);
    expect(result.total).toBe(62);
    expect(result.passed.length).toBeGreaterThanOrEqual(60);
    expect(result.failed.map((f) => f.check.id)).toEqual(['4.2.9']);
    expect(describeCisResult(result)).toBe('CIS: 61/62 configuration checks pass (failing: 4.2.9)');
  });

  it('reads etcd settings of external members from their config file, of stacked ones from kubeadm flags', () => {
    const [prod, staging] = clusters();
    expect(clusterCisInputs(prod).etcd).toMatchObject({ 'cert-file': '/etc/etcd/pki/server.crt', 'client-cert-auth': 'true', 'peer-auto-tls': 'false', 'trusted-ca-file': '/etc/etcd/pki/ca.crt' });
    expect(clusterCisInputs(staging).etcd).toMatchObject({ 'cert-file': '/etc/kubernetes/pki/etcd/server.crt', 'auto-tls': 'false' });
  });

  it('turning off kubelet serving-certificate verification, AlwaysPullImages or audit costs the matching checks', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].controlPlane.alwaysPullImages = false;
    input.environments[1].clusters[0].controlPlane.audit = { enabled: false };
    const staging = clusters(input)[1];
    const ids = clusterCisResult(staging, { verifyKubeletServingCerts: false }).failed.map((f) => f.check.id);
    expect(ids).toEqual(['1.2.5', '1.2.11', '1.2.16', '1.2.17', '1.2.18', '1.2.19', '3.2.1', '4.2.9']);
  });

  it('aesgcm encryption fails 1.2.28; kms passes it', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].controlPlane.encryptionAtRest = { provider: 'aesgcm' };
    input.environments[0].clusters[0].controlPlane.encryptionAtRest = { provider: 'kms', kms: { name: 'vault', endpoint: 'unix:///var/run/kms/socket.sock' } };
    const [prod, staging] = clusters(input);
    expect(clusterCisResult(staging).failed.map((f) => f.check.id)).toContain('1.2.28');
    expect(clusterCisResult(prod).failed.map((f) => f.check.id)).not.toContain('1.2.28');
  });

  it('names overrides that weaken a check, with the flag and the spec field; harmless overrides give no warning', () => {
    const input = exampleFleet();
    const cp = input.environments[1].clusters[0].controlPlane;
    cp.apiServer = { extraArgs: { profiling: true, 'audit-log-maxage': 7, 'v': 2 } };
    cp.scheduler = { extraArgs: { 'bind-address': '0.0.0.0' } };
    const staging = clusters(input)[1];
    const lines = cisWeakenings(staging).map(describeCisWeakening);
    expect(lines).toEqual([
      'warning: CIS 1.2.15 profiling=true weakens "profiling is false" (controlPlane.apiServer.extraArgs)',
      'warning: CIS 1.2.17 audit-log-maxage=7 weakens "audit-log-maxage is at least 30" (controlPlane.apiServer.extraArgs)',
      'warning: CIS 1.4.2 bind-address=0.0.0.0 weakens "bind-address is 127.0.0.1" (controlPlane.scheduler.extraArgs)',
    ]);
    expect(clusterCisResult(staging).passed).toHaveLength(58);
    expect(cisWeakenings(clusters()[1])).toEqual([]);
  });
});

describe('CIS warnings for spec choices beyond extraArgs', () => {
  it('names the spec field when AlwaysPullImages, audit retention or the encryption provider weaken a check', () => {
    const input = exampleFleet();
    const cp = input.environments[1].clusters[0].controlPlane;
    cp.alwaysPullImages = false;
    cp.audit = { maxAgeDays: 7 };
    cp.encryptionAtRest = { provider: 'aesgcm' };
    const lines = cisWeakenings(clusters(input)[1]).map(describeCisWeakening);
    expect(lines).toEqual([
      expect.stringMatching(/^warning: CIS 1\.2\.11 enable-admission-plugins=NodeRestriction,DenyServiceExternalIPs,PodSecurity,.* weakens .*\(controlPlane\.alwaysPullImages\)$/),
      'warning: CIS 1.2.17 audit-log-maxage=7 weakens "audit-log-maxage is at least 30" (controlPlane.audit)',
      'warning: CIS 1.2.28 encryption-provider=aesgcm weakens "encryption provider is aescbc, kms or secretbox" (controlPlane.encryptionAtRest)',
    ]);
  });
});

describe('etcdFlagsFromConfig', () => {
  const config = [
    'name: etcd-0',
    'client-transport-security:',
    '  cert-file: /etc/etcd/pki/server.crt',
    '  client-cert-auth: true',
    'peer-transport-security:',
    '  trusted-ca-file: /etc/etcd/pki/ca.crt',
    'auto-compaction-retention: "8"',
    '',
  ].join('\n');

  it('gives the flags of the file, each call its own copy (a parse is remembered by text)', () => {
    const first = etcdFlagsFromConfig(config);
    expect(first).toEqual({
      'cert-file': '/etc/etcd/pki/server.crt',
      'client-cert-auth': 'true',
      'peer-trusted-ca-file': '/etc/etcd/pki/ca.crt',
      name: 'etcd-0',
      'auto-compaction-retention': '8',
    });
    first['client-cert-auth'] = 'false';
    delete first['cert-file'];
    expect(etcdFlagsFromConfig(config)).toMatchObject({ 'cert-file': '/etc/etcd/pki/server.crt', 'client-cert-auth': 'true' });
    expect(etcdFlagsFromConfig(config.replace('client-cert-auth: true', 'client-cert-auth: false'))['client-cert-auth']).toBe('false');
  });
});
