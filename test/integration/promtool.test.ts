import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { CRITICAL_NODE_CONDITIONS, etcdBackupAlerts, machineHealthCheckAlerts, toRuleGroup, workloadRuleGroups } from '../../lib/observability/alerts';
import { tempDir } from '../helpers/tmp';

const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => fs.existsSync(p));
if (!promtool) console.warn('promtool not installed: skipping promtool tests (apt-get install prometheus)');
const maybe = promtool ? describe : describe.skip;

const run = (args: string[], cwd: string) => spawnSync(promtool!, args, { cwd, encoding: 'utf8', timeout: 30_000 });

maybe('promtool accepts kprod alert rules', () => {
  const tmp = tempDir('kprod-promtool-');
  afterAll(() => tmp.cleanup());

  const runbooks = 'https://runbooks.test';
  // Both backup topologies in one file (their alert names differ): a 5-minute schedule, 600 s max age.
  const backup = { maxAgeSeconds: 600, schedule: '*/5 * * * *' };
  const groups = [
    ...workloadRuleGroups({
      etcdQuotaBytes: 8 * 2 ** 30,
      runbookBaseUrl: runbooks,
      nodeConditions: ['KernelDeadlock', 'FrequentKubeletRestart'].map((type) => ({ type, severity: CRITICAL_NODE_CONDITIONS.has(type) ? 'critical' : 'warning' })),
      cni: 'calico',
      etcdBackup: { topology: 'stacked', ...backup },
    }),
    toRuleGroup('kprod.external-etcd-backup', etcdBackupAlerts({ topology: 'external', ...backup }), runbooks),
    toRuleGroup('kprod.machinehealthcheck', machineHealthCheckAlerts(), runbooks),
  ];

  it('check rules: the rendered groups are valid', () => {
    const file = path.join(tmp.dir, 'kprod-alerts.yaml');
    fs.writeFileSync(file, stringify({ groups }));
    const res = run(['check', 'rules', file], tmp.dir);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`SUCCESS: ${groups.reduce((n, g) => n + g.rules.length, 0)} rules found`));
  });

  it('test rules: alerts fire after their `for` and only for the bad series', () => {
    fs.writeFileSync(path.join(tmp.dir, 'kprod-alerts.yaml'), stringify({ groups }));
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'kprod-alerts.rules-test.yaml'), path.join(tmp.dir, 'rules-test.yaml'));
    const res = run(['test', 'rules', 'rules-test.yaml'], tmp.dir);
    if (res.status !== 0) console.error(res.stdout, res.stderr);
    expect(res.status).toBe(0);
  });

  it('check rules: a broken rule is rejected', () => {
    const broken = path.join(tmp.dir, 'broken.yaml');
    const bad = structuredClone(groups);
    bad[0].rules[0].expr = 'etcd_server_has_leader ==';
    fs.writeFileSync(broken, stringify({ groups: bad }));
    const res = run(['check', 'rules', broken], tmp.dir);
    expect(res.status).not.toBe(0);
    expect(res.stdout + res.stderr).toMatch(/EtcdNoLeader|parse error|unexpected/);
  });
});
