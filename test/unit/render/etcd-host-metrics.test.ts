import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ETCD_BACKUP_METRIC } from '../../../lib/observability/scrape-jobs';
import { externalEtcdUserData } from '../../../lib/render/etcd-cloud-init';
import { BACKUP_METRIC_FILE, NODE_EXPORTER_DROP_IN_PATH } from '../../../lib/render/etcd-host-metrics';
import { ETCD_BACKUP_SCRIPT_PATH, renderEtcdBackupScript } from '../../../lib/render/etcd-maintenance';
import { tempDir } from '../../helpers/tmp';
import { exampleCluster } from '../../integration/helpers/example-cluster';

describe('external etcd host metrics', () => {
  const cluster = exampleCluster('eu-west-1');
  const userData = (which: 'main' | 'events', member: string, c = cluster) => parse(externalEtcdUserData(c, which, member).replace(/^#cloud-config\n/, ''));
  const fileAt = (ud: any, p: string): string | undefined => ud.write_files.find((f: { path: string }) => f.path === p)?.content;

  it('installs node_exporter from the distribution and binds it to the member address with the textfile directory', () => {
    const ud = userData('main', 'etcd-1');
    expect(ud.packages).toContain('prometheus-node-exporter');
    const dropIn = fileAt(ud, NODE_EXPORTER_DROP_IN_PATH)!;
    // ExecStart is reset first: a drop-in may only replace it after clearing it.
    expect(dropIn).toMatch(/^ExecStart=\nExecStart=\/usr\/bin\/prometheus-node-exporter --web\.listen-address=10\.10\.1\.11:9100 --collector\.textfile\.directory=\/var\/lib\/kprod\/node-exporter$/m);
    expect(ud.runcmd).toContainEqual(['systemctl', 'restart', 'prometheus-node-exporter.service']);
  });

  it('the backup of a main member records its success where node_exporter reads, and may write there', () => {
    const ud = userData('main', 'etcd-0');
    expect(fileAt(ud, ETCD_BACKUP_SCRIPT_PATH)).toContain(BACKUP_METRIC_FILE);
    expect(fileAt(ud, '/etc/systemd/system/etcd-backup.service')).toMatch(/^ReadWritePaths=\/var\/lib\/etcd-backup \/var\/lib\/kprod\/node-exporter$/m);
    expect(ud.runcmd).toContainEqual(['install', '-d', '-o', 'etcd', '-g', 'etcd', '-m', '0755', '/var/lib/kprod/node-exporter']);
    // Events members take no snapshots, so they report none.
    expect(fileAt(userData('events', 'etcd-events-0'), ETCD_BACKUP_SCRIPT_PATH)).toBeUndefined();
  });

  it('without monitoring: no exporter, no metric', () => {
    const off = exampleCluster('eu-west-1', (c) => (c.addons = { ...c.addons, monitoring: { enabled: false } }));
    const ud = userData('main', 'etcd-0', off);
    expect(ud.packages).not.toContain('prometheus-node-exporter');
    expect(fileAt(ud, NODE_EXPORTER_DROP_IN_PATH)).toBeUndefined();
    expect(fileAt(ud, ETCD_BACKUP_SCRIPT_PATH)).not.toContain(ETCD_BACKUP_METRIC);
  });

  describe('run with sh and a stub etcdctl', () => {
    const tmp = tempDir('kprod-etcd-backup-metric-');
    afterAll(() => tmp.cleanup());
    const run = (name: string, exit: number) => {
      const dir = path.join(tmp.dir, name);
      fs.mkdirSync(path.join(dir, 'textfile'), { recursive: true });
      const stub = path.join(dir, 'etcdctl');
      fs.writeFileSync(stub, `#!/bin/sh\nfor last; do :; done\necho snapshot > "$last"\nexit ${exit}\n`, { mode: 0o755 });
      const metric = path.join(dir, 'textfile', 'etcd-backup.prom');
      const script = path.join(dir, 'backup.sh');
      fs.writeFileSync(script, renderEtcdBackupScript({ memberName: 'etcd-0', memberIndex: 0, etcdctl: stub, backup: { schedule: '0 * * * *', retain: 2, dir, successMetricFile: metric } }));
      return { res: spawnSync('sh', [script], { encoding: 'utf8' }), metric, textfileDir: path.dirname(metric) };
    };

    it('a successful snapshot writes the success time in the exposition format, atomically', () => {
      const before = Math.floor(Date.now() / 1000);
      const { res, metric, textfileDir } = run('ok', 0);
      expect(res.status).toBe(0);
      const text = fs.readFileSync(metric, 'utf8');
      expect(text).toMatch(new RegExp(`^# TYPE ${ETCD_BACKUP_METRIC} gauge$`, 'm'));
      const value = Number(text.match(new RegExp(`^${ETCD_BACKUP_METRIC}\\{member="etcd-0"\\} (\\d+)$`, 'm'))![1]);
      expect(value).toBeGreaterThanOrEqual(before);
      expect(value).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
      expect(fs.readdirSync(textfileDir)).toEqual(['etcd-backup.prom']);
      expect(fs.statSync(metric).mode & 0o777).toBe(0o644);
      // promtool (Debian `prometheus`) agrees it is valid exposition text, when installed.
      const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => fs.existsSync(p));
      if (promtool) expect(() => execFileSync(promtool, ['check', 'metrics'], { input: text })).not.toThrow();
    });

    it('a failed snapshot writes no success', () => {
      const { res, metric } = run('fail', 3);
      expect(res.status).not.toBe(0);
      expect(fs.existsSync(metric)).toBe(false);
    });
  });
});
