/**
 * Real HAProxy with the rendered haproxy.cfg in front of three small HTTPS "apiservers" on
 * loopback: traffic reaches the backends, a killed backend is marked down within fall × inter
 * and traffic keeps flowing, and the backend comes back.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { renderHaproxyConfig } from '../../lib/render/haproxy';
import { endpointHostFiles } from '../../lib/render/endpoint-files';
import { etcdTlsPlan } from '../../lib/pki/etcd-plan';
import { tempDir } from '../helpers/tmp';
import { exampleCluster } from './helpers/example-cluster';
import { issue } from './helpers/openssl';
import { describeIfBinaries, freePorts, ProcessGroup, waitFor } from './helpers/processes';

const INTER_MS = 300;
const FALL = 2;
const RISE = 1;

describeIfBinaries(['haproxy', 'openssl'])('haproxy (real daemon)', () => {
  const tmp = tempDir('kprod-haproxy-');
  const procs = new ProcessGroup();
  const servers = new Map<string, https.Server>();
  let tls: { cert: Buffer; key: Buffer };
  let ports: number[];
  let frontPort: number;
  let haproxy: ReturnType<ProcessGroup['start']>;

  function startBackend(name: string, port: number): Promise<void> {
    // "/slow" holds the connection a moment, so concurrent requests show how HAProxy spreads them.
    const srv = https.createServer(tls, (req, res) => {
      const reply = () => {
        res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
        res.end(req.url === '/healthz' ? 'ok' : name);
      };
      if (req.url === '/slow') setTimeout(reply, 300);
      else reply();
    });
    servers.set(name, srv);
    return new Promise((resolve) => srv.listen(port, '127.0.0.1', () => resolve()));
  }

  async function stopBackend(name: string): Promise<void> {
    const srv = servers.get(name);
    if (!srv) return;
    servers.delete(name);
    srv.closeAllConnections();
    await new Promise((r) => srv.close(() => r(undefined)));
  }

  function get(port: number, urlPath = '/'): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = https.get({ host: '127.0.0.1', port, path: urlPath, rejectUnauthorized: false, agent: false, timeout: 2000 }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(body));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
    });
  }

  beforeAll(async () => {
    const plan = etcdTlsPlan([{ name: 'apiserver', ip: '127.0.0.1' }], { clusterName: 'haproxy-test' });
    const issued = issue(plan.members[0].server, path.join(tmp.dir, 'pki'));
    tls = { cert: fs.readFileSync(issued.cert), key: fs.readFileSync(issued.key) };
    [frontPort, ...ports] = await freePorts(4);
    await Promise.all(ports.map((p, i) => startBackend(`cp-${i + 1}`, p)));
    const cfg = renderHaproxyConfig({
      port: frontPort,
      bindAddress: '127.0.0.1',
      backends: ports.map((port, i) => ({ name: `cp-${i + 1}`, address: '127.0.0.1', port })),
      checkIntervalMs: INTER_MS,
      fall: FALL,
      rise: RISE,
      // The sandbox's file-descriptor limit is lower than the default connection limit needs.
      maxConnections: 2000,
    });
    fs.writeFileSync(path.join(tmp.dir, 'haproxy.cfg'), cfg);
    haproxy = procs.start('haproxy', ['-db', '-f', path.join(tmp.dir, 'haproxy.cfg')]);
    const up = await waitFor(async () => (await get(frontPort)).startsWith('cp-'), 10000);
    if (!up) throw new Error(`haproxy did not serve: ${procs.output.get(haproxy)}`);
  });

  /** Bodies of `n` concurrent slow requests through HAProxy. */
  const concurrent = (n: number) => Promise.all(Array.from({ length: n }, () => get(frontPort, '/slow')));

  afterAll(async () => {
    await procs.killAll();
    await Promise.all([...servers.keys()].map(stopBackend));
    tmp.cleanup();
  });

  it('accepts the config rendered for the example cluster (haproxy -c)', () => {
    const file = endpointHostFiles(exampleCluster('eu-west-1')).find((f) => f.path === '/etc/haproxy/haproxy.cfg')!;
    const p = path.join(tmp.dir, 'example.cfg');
    fs.writeFileSync(p, file.content);
    expect(execFileSync('haproxy', ['-c', '-f', p]).toString()).toMatch(/Configuration file is valid/);
  });

  it('spreads traffic over the healthy backends', async () => {
    expect([...new Set(await concurrent(9))].sort()).toEqual(['cp-1', 'cp-2', 'cp-3']);
  });

  it('marks a killed backend down within fall × inter, keeps serving, and takes it back', async () => {
    await stopBackend('cp-2');
    const t0 = Date.now();
    const down = await waitFor(() => /cp-2 is DOWN/.test(procs.output.get(haproxy) ?? ''), FALL * INTER_MS + 3000, 50);
    expect(down).toBe(true);
    // Detection takes at most fall checks plus one interval of phase and the check timeout margin.
    expect(Date.now() - t0).toBeLessThan((FALL + 1) * INTER_MS + 2000);
    expect([...new Set(await concurrent(8))].sort()).toEqual(['cp-1', 'cp-3']);

    await startBackend('cp-2', ports[1]);
    const back = await waitFor(() => /cp-2 is UP/.test(procs.output.get(haproxy) ?? ''), RISE * INTER_MS + 3000, 50);
    expect(back).toBe(true);
    expect(new Set(await concurrent(9)).has('cp-2')).toBe(true);
  });
});
