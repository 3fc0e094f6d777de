/**
 * A real 3-member etcd cluster on 127.0.0.1, each member started from its rendered config file,
 * with certificates issued by openssl following lib/pki/etcd-plan. Checks mutual TLS end to end.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { etcdTuning, renderEtcdMemberConfig, type EtcdMemberEndpoint } from '../../lib/render/etcd';
import { etcdTlsPlan } from '../../lib/pki/etcd-plan';
import { tempDir } from '../helpers/tmp';
import { exampleCluster } from './helpers/example-cluster';
import { certText, issue, type IssuedCert } from './helpers/openssl';
import { describeIfBinaries, freePorts, ProcessGroup, waitFor } from './helpers/processes';

const exec = promisify(execFile);

describeIfBinaries(['etcd', 'etcdctl', 'openssl'])('etcd (real 3-member cluster, mutual TLS)', () => {
  const tmp = tempDir('kprod-etcd-');
  const procs = new ProcessGroup();
  let members: EtcdMemberEndpoint[];
  let ca: IssuedCert;
  let client: IssuedCert;
  const tuning = etcdTuning(exampleCluster('eu-west-1').controlPlane.etcd);
  /** The running process of each member, by name (replaced when a member is restarted). */
  const running = new Map<string, ChildProcess>();
  const clientUrls = () => members.map((m) => `https://127.0.0.1:${m.clientPort}`).join(',');

  const etcdctl = (args: string[], tls: 'client' | 'no-cert' = 'client', endpoints = clientUrls()) =>
    exec('etcdctl', ['--endpoints', endpoints, '--cacert', ca.cert, ...(tls === 'client' ? ['--cert', client.cert, '--key', client.key] : []), '--dial-timeout', '3s', '--command-timeout', '5s', ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
    });

  /** Starts one member from its rendered config; returns the config path. */
  function startMember(name: string, group: EtcdMemberEndpoint[], opts: { dataDir: string; pkiDir: string; token: string; metricsPort: number }): string {
    const config = renderEtcdMemberConfig({ name, members: group, tuning, clusterToken: opts.token, dataDir: opts.dataDir, pkiDir: opts.pkiDir, metricsPort: opts.metricsPort });
    const file = path.join(tmp.dir, `${name}-${opts.token}.yml`);
    fs.writeFileSync(file, config);
    running.set(name, procs.start('etcd', ['--config-file', file], { ETCD_UNSUPPORTED_ARCH: process.arch === 'x64' ? '' : process.arch }));
    return file;
  }

  const memberOpts = new Map<string, { dataDir: string; pkiDir: string; token: string; metricsPort: number }>();

  beforeAll(async () => {
    const ports = await freePorts(10);
    members = [0, 1, 2].map((i) => ({ name: `etcd-${i}`, ip: '127.0.0.1', clientPort: ports[i * 2], peerPort: ports[i * 2 + 1] }));
    const plan = etcdTlsPlan(members, { clusterName: 'it' });
    ca = issue(plan.ca, path.join(tmp.dir, 'ca'));
    client = issue(plan.healthcheckClient, path.join(tmp.dir, 'client'), ca);
    for (const [i, m] of plan.members.entries()) {
      const pkiDir = path.join(tmp.dir, m.member.name, 'pki');
      issue(m.server, pkiDir, ca);
      issue(m.peer, pkiDir, ca);
      fs.copyFileSync(ca.cert, path.join(pkiDir, 'ca.crt'));
      memberOpts.set(m.member.name, { dataDir: path.join(tmp.dir, m.member.name, 'data'), pkiDir, token: 'it-etcd', metricsPort: ports[6 + i] });
      startMember(m.member.name, members, memberOpts.get(m.member.name)!);
    }
    const healthy = await waitFor(async () => {
      const { stdout, stderr } = await etcdctl(['endpoint', 'health', '--cluster']);
      return (stdout + stderr).split('\n').filter((l) => / is healthy/.test(l)).length === 3;
    }, 30000, 500);
    if (!healthy) throw new Error(`etcd cluster not healthy:\n${[...procs.output.values()].map((o) => o.slice(-1500)).join('\n---\n')}`);
  }, 45000);

  afterAll(async () => {
    await procs.killAll();
    tmp.cleanup();
  });

  it('issued server certificates carry the SANs of the plan', () => {
    const text = certText(path.join(tmp.dir, 'etcd-1', 'pki', 'server.crt'));
    expect(text).toMatch(/DNS:etcd-1, DNS:localhost, IP Address:127\.0\.0\.1/);
    expect(text).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
  });

  it('reports all three members healthy over mutual TLS', async () => {
    const { stdout, stderr } = await etcdctl(['endpoint', 'health', '--cluster']);
    const healthy = (stdout + stderr).split('\n').filter((l) => / is healthy/.test(l));
    expect(healthy).toHaveLength(3);
    const list = (await etcdctl(['member', 'list'])).stdout;
    expect(list.match(/started/g)).toHaveLength(3);
  });

  it('replicates a put to every member', async () => {
    await etcdctl(['put', '/kprod/it', 'hello']);
    for (const m of members) {
      const { stdout } = await etcdctl(['get', '/kprod/it', '--print-value-only', '--consistency', 's'], 'client', `https://127.0.0.1:${m.clientPort}`);
      expect(stdout.trim()).toBe('hello');
    }
  });

  // curl rather than etcdctl: etcdctl reports every refusal as a generic deadline, curl says why.
  // TLS 1.2 so that a missing client certificate fails in the handshake itself.
  /** curl against /health of member 0: exit code and output (curl: 0 success, non-zero failure). */
  const curl = async (scheme: 'http' | 'https', withCert: boolean): Promise<{ code: number; out: string }> => {
    const args = ['-sS', '--max-time', '5', '--tls-max', '1.2', '--cacert', ca.cert, ...(withCert ? ['--cert', client.cert, '--key', client.key] : []), `${scheme}://127.0.0.1:${members[0].clientPort}/health`];
    try {
      const { stdout } = await exec('curl', args);
      return { code: 0, out: stdout };
    } catch (e) {
      const err = e as { code?: number; stderr?: string };
      return { code: err.code ?? -1, out: err.stderr ?? '' };
    }
  };

  it('answers a client with a certificate (control for the refusals below)', async () => {
    const res = await curl('https', true);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out).health).toBe('true');
  });

  it('refuses plaintext clients', async () => {
    const res = await curl('http', true);
    expect(res.code).not.toBe(0);
    expect(res.out).not.toMatch(/"health"/);
  });

  it('refuses TLS clients without a certificate at the handshake', async () => {
    const res = await curl('https', false);
    expect(res.code).not.toBe(0);
    expect(res.out).toMatch(/certificate required|bad certificate|alert/i);
  });

  // The metrics listener Prometheus scrapes: plain HTTP, metrics and health only, never the KV API.
  it('serves metrics and health on the plain-HTTP metrics listener, and not the KV API', async () => {
    const port = memberOpts.get('etcd-0')!.metricsPort;
    const metrics = (await exec('curl', ['-sS', '--max-time', '5', `http://127.0.0.1:${port}/metrics`])).stdout;
    expect(metrics).toMatch(/^etcd_server_has_leader 1$/m);
    expect(JSON.parse((await exec('curl', ['-sS', '--max-time', '5', `http://127.0.0.1:${port}/health`])).stdout).health).toBe('true');
    const kv = await exec('curl', ['-sS', '--max-time', '5', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', '-d', '{"key":"L2twcm9kL2l0"}', `http://127.0.0.1:${port}/v3/kv/range`]);
    expect(kv.stdout).toBe('404');
  });

  it('restores a snapshot into a new single-member cluster that serves the data', async () => {
    const snap = path.join(tmp.dir, 'snap.db');
    await etcdctl(['snapshot', 'save', snap], 'client', `https://127.0.0.1:${members[0].clientPort}`);
    const [clientPort, peerPort, metricsPort] = await freePorts(3);
    const restored: EtcdMemberEndpoint = { name: 'etcd-restored', ip: '127.0.0.1', clientPort, peerPort };
    const dataDir = path.join(tmp.dir, 'restored', 'data');
    await exec('etcdctl', [
      'snapshot', 'restore', snap,
      '--name', restored.name,
      '--data-dir', dataDir,
      '--initial-cluster', `${restored.name}=https://127.0.0.1:${peerPort}`,
      '--initial-advertise-peer-urls', `https://127.0.0.1:${peerPort}`,
      '--initial-cluster-token', 'it-restored',
    ], { env: { ...process.env, ETCDCTL_API: '3' } });
    // The member's certificates: the plan for the new member, signed by the same CA.
    const plan = etcdTlsPlan([restored], { clusterName: 'it' });
    const pkiDir = path.join(tmp.dir, 'restored', 'pki');
    issue(plan.members[0].server, pkiDir, ca);
    issue(plan.members[0].peer, pkiDir, ca);
    fs.copyFileSync(ca.cert, path.join(pkiDir, 'ca.crt'));
    startMember(restored.name, [restored], { dataDir, pkiDir, token: 'it-restored', metricsPort });
    const endpoint = `https://127.0.0.1:${clientPort}`;
    let value = '';
    const ok = await waitFor(async () => {
      value = (await etcdctl(['get', '/kprod/it', '--print-value-only'], 'client', endpoint)).stdout.trim();
      return value === 'hello';
    }, 20000, 500);
    expect(value).toBe('hello');
    expect(ok).toBe(true);
  }, 40000);

  it('losing one member without losing an acknowledged write: survivors serve every key, writes go on, the member catches up', async () => {
    const N = 30;
    const [m0, m1, m2] = members;
    const survivors = [m0, m1].map((m) => `https://127.0.0.1:${m.clientPort}`).join(',');
    // Each put returns only once a quorum has committed it: that is the acknowledgement.
    for (let i = 0; i < N; i++) await etcdctl(['put', `/kprod/ack/${String(i).padStart(3, '0')}`, `v${i}`]);
    await procs.kill(running.get(m2.name)!); // SIGKILL: no graceful leave

    const keysOn = async (endpoint: string, consistency: 'l' | 's') =>
      (await etcdctl(['get', '/kprod/ack/', '--prefix', '--keys-only', '--consistency', consistency], 'client', endpoint)).stdout.split('\n').filter(Boolean);
    for (const m of [m0, m1]) expect(await keysOn(`https://127.0.0.1:${m.clientPort}`, 'l')).toHaveLength(N);

    // Two of three members are a quorum: writes still succeed.
    for (let i = N; i < N + 10; i++) await etcdctl(['put', `/kprod/ack/${String(i).padStart(3, '0')}`, `v${i}`], 'client', survivors);
    expect(await keysOn(survivors, 'l')).toHaveLength(N + 10);

    // Back with its old data directory: it rejoins and replicates what it missed.
    startMember(m2.name, members, memberOpts.get(m2.name)!);
    let caughtUp: string[] = [];
    const ok = await waitFor(async () => {
      caughtUp = await keysOn(`https://127.0.0.1:${m2.clientPort}`, 's'); // serializable: this member's own data
      return caughtUp.length === N + 10;
    }, 20000, 500);
    expect(caughtUp).toHaveLength(N + 10);
    expect(ok).toBe(true);
    const { stdout } = await etcdctl(['get', `/kprod/ack/${String(N + 9).padStart(3, '0')}`, '--print-value-only', '--consistency', 's'], 'client', `https://127.0.0.1:${m2.clientPort}`);
    expect(stdout.trim()).toBe(`v${N + 9}`);
  }, 50000);
});
