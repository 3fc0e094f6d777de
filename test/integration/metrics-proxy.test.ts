/**
 * Real HAProxy with the rendered kprod-metrics-proxy config in front of a small HTTPS "scheduler"
 * that, like kube-scheduler, authenticates the bearer token itself, and a plain-HTTP "etcd
 * metrics" listener: the proxy passes TLS through (the client sees the upstream's own
 * certificate), so the upstream still refuses a scrape without a valid token.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { TLSSocket } from 'node:tls';
import * as path from 'node:path';
import { etcdTlsPlan } from '../../lib/pki/etcd-plan';
import { metricsProxyListeners, renderMetricsProxyConfig } from '../../lib/render/metrics-proxy';
import { tempDir } from '../helpers/tmp';
import { exampleCluster } from './helpers/example-cluster';
import { issue } from './helpers/openssl';
import { describeIfBinaries, freePorts, ProcessGroup, waitFor } from './helpers/processes';

const TOKEN = 'prometheus-sa-token';

describeIfBinaries(['haproxy', 'openssl'])('kprod-metrics-proxy (real haproxy)', () => {
  const tmp = tempDir('kprod-metrics-proxy-');
  const procs = new ProcessGroup();
  const servers: (http.Server | https.Server)[] = [];
  let cert: Buffer;
  let proxyPorts: Record<string, number>;

  const get = (scheme: 'http' | 'https', port: number, token?: string): Promise<{ status: number; body: string; fingerprint?: string }> =>
    new Promise((resolve, reject) => {
      const options = { host: '127.0.0.1', port, path: '/metrics', headers: token ? { authorization: `Bearer ${token}` } : {}, agent: false, timeout: 2000, rejectUnauthorized: false };
      const req = (scheme === 'https' ? https : http).get(options, (res) => {
        const fingerprint = scheme === 'https' ? (res.socket as TLSSocket).getPeerCertificate().fingerprint256 : undefined;
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, fingerprint }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
    });

  beforeAll(async () => {
    const plan = etcdTlsPlan([{ name: 'kube-scheduler', ip: '127.0.0.1' }], { clusterName: 'proxy-test' });
    const issued = issue(plan.members[0].server, path.join(tmp.dir, 'pki'));
    cert = fs.readFileSync(issued.cert);
    const key = fs.readFileSync(issued.key);
    const listeners = metricsProxyListeners(exampleCluster('dc1'));
    const ports = await freePorts(listeners.length * 2);
    // The same listeners as on a control-plane node, moved to free ports on loopback.
    const moved = listeners.map((l, i) => ({ ...l, port: ports[i], upstreamPort: ports[listeners.length + i] }));
    proxyPorts = Object.fromEntries(moved.map((l) => [l.name, l.port]));
    for (const l of moved) {
      const handler: http.RequestListener = (req, res) => {
        // The component's delegated authentication: no valid token, no metrics.
        if (l.scheme === 'https' && req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('Unauthorized');
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`${l.name.replace(/-/g, '_')}_up 1\n`);
      };
      const srv = l.scheme === 'https' ? https.createServer({ cert, key }, handler) : http.createServer(handler);
      servers.push(srv);
      await new Promise<void>((resolve) => srv.listen(l.upstreamPort, '127.0.0.1', () => resolve()));
    }
    const file = path.join(tmp.dir, 'haproxy.cfg');
    fs.writeFileSync(file, renderMetricsProxyConfig(moved, '127.0.0.1'));
    const proc = procs.start('haproxy', ['-db', '-f', file]);
    const up = await waitFor(async () => (await get('http', proxyPorts.etcd)).status === 200, 10000);
    if (!up) throw new Error(`haproxy did not serve: ${procs.output.get(proc)}`);
  });

  afterAll(async () => {
    await procs.killAll();
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(() => r(undefined)));
    }
    tmp.cleanup();
  });

  it('accepts the config rendered for the example cluster (haproxy -c)', () => {
    const file = path.join(tmp.dir, 'example.cfg');
    fs.writeFileSync(file, renderMetricsProxyConfig(metricsProxyListeners(exampleCluster('dc1'))));
    expect(execFileSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' })).toMatch(/valid/i);
  });

  it('passes TLS through: the scrape sees the component\'s own certificate and its answer', async () => {
    const res = await get('https', proxyPorts['kube-scheduler'], TOKEN);
    expect(res).toMatchObject({ status: 200, body: 'kube_scheduler_up 1\n' });
    const own = new crypto.X509Certificate(cert).fingerprint256;
    expect(res.fingerprint).toBe(own);
  });

  it('keeps the component\'s authentication: no token, no metrics', async () => {
    expect((await get('https', proxyPorts['kube-controller-manager'])).status).toBe(401);
    expect((await get('https', proxyPorts['kube-controller-manager'], 'wrong')).status).toBe(401);
    expect((await get('https', proxyPorts['kube-controller-manager'], TOKEN)).status).toBe(200);
  });

  it('forwards stacked etcd\'s plain-HTTP metrics', async () => {
    expect(await get('http', proxyPorts.etcd)).toMatchObject({ status: 200, body: 'etcd_up 1\n' });
  });
});
