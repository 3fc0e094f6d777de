import { parse } from 'yaml';
import { etcdClientUrls, etcdTimeouts, etcdTuning, renderEtcdMemberConfig, stackedEtcdExtraArgs } from '../../../lib/render/etcd';
import { externalEtcdUserData, renderEtcdUnit } from '../../../lib/render/etcd-cloud-init';
import { exampleCluster } from '../../integration/helpers/example-cluster';

const args = (list: { name: string; value: string }[]) => Object.fromEntries(list.map((a) => [a.name, a.value]));

describe('etcd timeouts from the RTT', () => {
  it.each([
    [2, 100, 1000],
    [10, 100, 1000],
    [100, 150, 1500],
    [333, 500, 5000],
    [5000, 5000, 50000],
  ])('RTT %d ms: heartbeat %d ms, election %d ms', (rtt, hb, el) => {
    expect(etcdTimeouts(rtt)).toEqual({ heartbeatIntervalMs: hb, electionTimeoutMs: el });
  });
});

describe('stackedEtcdExtraArgs', () => {
  it('carries tuning and CIS flags in list form', () => {
    const c = exampleCluster('dc1', (c) => {
      c.controlPlane.etcd = { networkRttMs: 200, quotaBackendBytes: '4Gi', snapshotCount: 5000, autoCompaction: { mode: 'revision', retention: '1000' } };
    });
    const a = args(stackedEtcdExtraArgs(c.controlPlane.etcd));
    expect(a).toMatchObject({
      'heartbeat-interval': '300',
      'election-timeout': '3000',
      'quota-backend-bytes': String(4 * 1024 ** 3),
      'snapshot-count': '5000',
      'auto-compaction-mode': 'revision',
      'auto-compaction-retention': '1000',
      'client-cert-auth': 'true',
      'peer-client-cert-auth': 'true',
      'auto-tls': 'false',
      'peer-auto-tls': 'false',
    });
    expect(a['cipher-suites'].split(',').every((s: string) => /^TLS_ECDHE_(ECDSA|RSA)_WITH_.*(GCM|POLY1305)/.test(s))).toBe(true);
  });

  it('defaults the quota to 8 GiB', () => {
    expect(etcdTuning(exampleCluster('dc1').controlPlane.etcd).quotaBackendBytes).toBe(8 * 1024 ** 3);
  });
});

describe('renderEtcdMemberConfig', () => {
  const members = [
    { name: 'etcd-0', ip: '10.1.0.10' },
    { name: 'etcd-1', ip: '10.1.0.11' },
    { name: 'etcd-2', ip: '10.1.0.12' },
  ];
  const tuning = etcdTuning(exampleCluster('eu-west-1').controlPlane.etcd);
  const cfg = parse(renderEtcdMemberConfig({ name: 'etcd-1', members, tuning, clusterToken: 't' }));

  it('uses https for every URL and lists all members', () => {
    expect(cfg['listen-client-urls']).toBe('https://10.1.0.11:2379,https://127.0.0.1:2379');
    expect(cfg['advertise-client-urls']).toBe('https://10.1.0.11:2379');
    expect(cfg['listen-peer-urls']).toBe('https://10.1.0.11:2380');
    expect(cfg['initial-cluster']).toBe('etcd-0=https://10.1.0.10:2380,etcd-1=https://10.1.0.11:2380,etcd-2=https://10.1.0.12:2380');
    // Metrics (plain HTTP, /metrics and /health only) on the member address for Prometheus, and on loopback.
    expect(cfg['listen-metrics-urls']).toBe('http://10.1.0.11:2381,http://127.0.0.1:2381');
    expect(cfg['data-dir']).toBe('/var/lib/etcd');
  });

  it('requires client certificates on both transports and disables auto TLS', () => {
    for (const key of ['client-transport-security', 'peer-transport-security']) {
      expect(cfg[key]).toMatchObject({ 'client-cert-auth': true, 'auto-tls': false, 'trusted-ca-file': '/etc/etcd/pki/ca.crt' });
    }
    expect(cfg['peer-transport-security']['cert-file']).toBe('/etc/etcd/pki/peer.crt');
  });

  it('lists client URLs with the port of each member', () => {
    expect(etcdClientUrls([{ name: 'a', ip: '10.0.0.1' }, { name: 'b', ip: '10.0.0.1', clientPort: 3379 }])).toEqual(['https://10.0.0.1:2379', 'https://10.0.0.1:3379']);
  });

  it('rejects an unknown member', () => {
    expect(() => renderEtcdMemberConfig({ name: 'etcd-9', members, tuning, clusterToken: 't' })).toThrow(/etcd-9.*etcd-0, etcd-1, etcd-2/);
  });
});

describe('external etcd cloud-init', () => {
  it('mounts the SSD, writes config and unit, and carries no key material', () => {
    const text = externalEtcdUserData(exampleCluster('eu-west-1'), 'events', 'etcd-events-1');
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    const ud = parse(text);
    expect(ud.mounts[0].slice(0, 2)).toEqual(['/dev/vdb', '/var/lib/etcd']);
    expect(ud.fs_setup[0]).toMatchObject({ device: '/dev/vdb', overwrite: false });
    const config = parse(ud.write_files.find((f: any) => f.path === '/etc/etcd/etcd.conf.yml').content);
    expect(config.name).toBe('etcd-events-1');
    expect(config['initial-cluster-token']).toBe('prod-eu-west-1-etcd-events');
    expect(config['initial-cluster']).toContain('etcd-events-2=https://10.10.1.22:2380');
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|BEGIN CERTIFICATE/);
  });
  it('throws with the path when the etcd group is missing', () => {
    expect(() => externalEtcdUserData(exampleCluster('dc1'), 'main', 'x')).toThrow(/controlPlane\.etcd\.external: not set/);
  });
  it('the unit waits for the certificates before starting etcd', () => {
    const unit = renderEtcdUnit('etcd-0');
    const pre = unit.split('\n').find((l) => l.startsWith('ExecStartPre='))!;
    expect(pre).toContain('/etc/etcd/pki/server.key');
    // systemd would expand a bare $f itself; the shell variable must reach sh as $f.
    expect(pre).not.toMatch(/(^|[^$])\$f/);
    expect(pre).toContain('"$$f"');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/etcd --config-file \/etc\/etcd\/etcd\.conf\.yml$/m);
  });
});
