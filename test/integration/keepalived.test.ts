/**
 * keepalived: the rendered config passes `keepalived -t`, and two real keepalived instances in
 * network namespaces this test creates (joined by a veth pair, unicast VRRP) elect one VIP
 * holder, and move the VIP when the holder's apiserver check fails. The "apiservers" are small
 * HTTPS servers inside each namespace.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderCheckApiserver } from '../../lib/render/check-apiserver';
import { endpointHostFiles, endpointPreKubeadmCommands } from '../../lib/render/endpoint-files';
import { KEEPALIVED_CONFIG_PATH, renderKeepalivedConfig } from '../../lib/render/keepalived';
import { etcdTlsPlan } from '../../lib/pki/etcd-plan';
import { tempDir } from '../helpers/tmp';
import { exampleCluster } from './helpers/example-cluster';
import { issue } from './helpers/openssl';
import { describeIfBinaries, haveBinaries, ProcessGroup, waitFor } from './helpers/processes';

const VIP = '10.99.0.10';
const IFACE = 'vrrp0';
const PORT = 8443;

/** Whether this machine lets us create network namespaces (root + netns support). */
function canUseNetns(): boolean {
  if (!haveBinaries('ip')) return false;
  const probe = `kprod-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describeIfBinaries(['keepalived', 'openssl', 'curl'])('keepalived (real daemon)', () => {
  const tmp = tempDir('kprod-keepalived-');

  it('accepts the config rendered for the example cluster (keepalived -t)', () => {
    const files = endpointHostFiles(exampleCluster('eu-west-1'));
    const script = path.join(tmp.dir, 'check_apiserver.sh');
    fs.writeFileSync(script, files.find((f) => f.path === '/etc/keepalived/check_apiserver.sh')!.content, { mode: 0o755 });
    // Same config; only the script's host path moves into the temp folder.
    const conf = files.find((f) => f.path === KEEPALIVED_CONFIG_PATH)!.content.replace('/etc/keepalived/check_apiserver.sh', script);
    fs.writeFileSync(path.join(tmp.dir, 'keepalived.conf'), conf);
    expect(() => execFileSync('keepalived', ['-t', '-l', '-f', path.join(tmp.dir, 'keepalived.conf')], { stdio: 'pipe' })).not.toThrow();
  });

  it('rejects a broken config (keepalived -t is a real check)', () => {
    const bad = renderKeepalivedConfig({ vip: VIP, interface: IFACE, virtualRouterId: 51, unicastPeers: [] }).replace('virtual_router_id 51', 'virtual_router_id 999');
    fs.writeFileSync(path.join(tmp.dir, 'bad.conf'), bad);
    expect(() => execFileSync('keepalived', ['-t', '-l', '-f', path.join(tmp.dir, 'bad.conf')], { stdio: 'pipe' })).toThrow();
  });

  afterAll(() => tmp.cleanup());
});

const netnsDescribe = haveBinaries('keepalived', 'openssl', 'curl') && canUseNetns() ? describe : describe.skip;
if (netnsDescribe === describe.skip) console.warn('skipping keepalived failover: keepalived/curl/openssl or network namespaces unavailable');

netnsDescribe('keepalived VIP failover between two namespaces', () => {
  const tmp = tempDir('kprod-vrrp-');
  const procs = new ProcessGroup();
  const ns = [`kprod-a-${process.pid}`, `kprod-b-${process.pid}`];
  const addrs = ['10.99.0.2', '10.99.0.3'];
  const apiservers: ChildProcess[] = [];
  const keepaliveds: ChildProcess[] = [];

  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' }).toString();
  const holders = () => ns.filter((n) => ip('-n', n, '-4', '-o', 'addr', 'show', 'dev', IFACE).includes(` ${VIP}/`));

  function startApiserver(i: number, pki: { cert: string; key: string }): ChildProcess {
    // One HTTPS server per namespace answers /healthz on 6443 (apiserver) and the endpoint port (HAProxy's place).
    const js = `const https=require('https'),fs=require('fs');const o={cert:fs.readFileSync(${JSON.stringify(pki.cert)}),key:fs.readFileSync(${JSON.stringify(pki.key)})};
for (const p of [6443, ${PORT}]) https.createServer(o,(q,r)=>{r.end('ok')}).listen(p,'0.0.0.0');`;
    return procs.start('ip', ['netns', 'exec', ns[i], process.execPath, '-e', js]);
  }

  beforeAll(async () => {
    for (const n of ns) ip('netns', 'add', n);
    ip('link', 'add', 'kprod-va', 'netns', ns[0], 'type', 'veth', 'peer', 'name', 'kprod-vb', 'netns', ns[1]);
    ['kprod-va', 'kprod-vb'].forEach((dev, i) => {
      ip('-n', ns[i], 'link', 'set', dev, 'name', IFACE);
      ip('-n', ns[i], 'link', 'set', 'lo', 'up');
      ip('-n', ns[i], 'addr', 'add', `${addrs[i]}/24`, 'dev', IFACE);
      ip('-n', ns[i], 'link', 'set', IFACE, 'up');
    });
    const plan = etcdTlsPlan([{ name: 'localhost', ip: '127.0.0.1' }], { clusterName: 'vrrp' });
    const pki = issue(plan.members[0].server, path.join(tmp.dir, 'pki'));
    const script = path.join(tmp.dir, 'check_apiserver.sh');
    fs.writeFileSync(script, renderCheckApiserver({ vip: VIP, port: PORT }), { mode: 0o755 });
    // One file for both machines, as in KubeadmControlPlane; each drops its own address at boot.
    const conf = renderKeepalivedConfig({ vip: VIP, interface: IFACE, virtualRouterId: 42, unicastPeers: addrs, checkScriptPath: script });
    for (let i = 0; i < 2; i++) {
      const file = path.join(tmp.dir, `keepalived-${i}.conf`);
      fs.writeFileSync(file, conf);
      const dropSelf = endpointPreKubeadmCommands(exampleCluster('eu-west-1'), 'join')[0].split(KEEPALIVED_CONFIG_PATH).join(file);
      execFileSync('ip', ['netns', 'exec', ns[i], 'sh', '-c', dropSelf]);
      apiservers[i] = startApiserver(i, pki);
    }
    for (let i = 0; i < 2; i++) {
      const pid = (k: string) => path.join(tmp.dir, `${k}-${i}.pid`);
      keepaliveds[i] = procs.start('ip', ['netns', 'exec', ns[i], 'keepalived', '-n', '-l', '-G', '-P', '-f', path.join(tmp.dir, `keepalived-${i}.conf`), '-p', pid('main'), '-r', pid('vrrp')]);
    }
  }, 30000);

  afterAll(async () => {
    // keepalived: SIGTERM so the parent stops its VRRP child; then whatever is left, by pid file.
    for (const k of keepaliveds) k?.kill('SIGTERM');
    await waitFor(() => keepaliveds.every((k) => !k || k.exitCode !== null || k.signalCode !== null), 5000);
    for (const f of fs.existsSync(tmp.dir) ? fs.readdirSync(tmp.dir).filter((f) => f.endsWith('.pid')) : []) {
      const pid = Number(fs.readFileSync(path.join(tmp.dir, f), 'utf8'));
      try {
        if (pid > 1) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await procs.killAll();
    for (const n of ns) {
      try {
        ip('netns', 'del', n);
      } catch {
        // not created
      }
    }
    tmp.cleanup();
  });

  it('each machine keeps only its peer in unicast_peer', () => {
    for (let i = 0; i < 2; i++) {
      const conf = fs.readFileSync(path.join(tmp.dir, `keepalived-${i}.conf`), 'utf8');
      expect(conf).not.toMatch(new RegExp(`^\\s*${addrs[i].replace(/\./g, '\\.')}\\s*$`, 'm'));
      expect(conf).toMatch(new RegExp(`^\\s*${addrs[1 - i].replace(/\./g, '\\.')}\\s*$`, 'm'));
    }
  });

  it('elects exactly one VIP holder, and moves the VIP when its apiserver fails', async () => {
    const elected = await waitFor(() => holders().length === 1, 20000, 250);
    if (!elected) throw new Error(`no single VIP holder (${holders().join(',')}):\n${keepaliveds.map((k) => procs.output.get(k)?.slice(-2000)).join('\n---\n')}`);
    const first = ns.indexOf(holders()[0]);
    // Stable: still one holder a few adverts later.
    await new Promise((r) => setTimeout(r, 2500));
    expect(holders()).toEqual([ns[first]]);

    await procs.kill(apiservers[first]);
    // fall 3 × interval 3 s, plus one interval of phase, plus the takeover.
    const moved = await waitFor(() => holders().length === 1 && holders()[0] === ns[1 - first], 20000, 250);
    if (!moved) throw new Error(`VIP did not move (holders: ${holders().join(',')}):\n${keepaliveds.map((k) => procs.output.get(k)?.slice(-2000)).join('\n---\n')}`);
    expect(holders()).toEqual([ns[1 - first]]);
  }, 50000);
});
