/** cloud-init's own schema validator accepts the rendered external-etcd user-data. */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { cronToOnCalendar } from '../../lib/render/cron-calendar';
import { externalEtcdUserData, renderEtcdUnit } from '../../lib/render/etcd-cloud-init';
import { tempDir } from '../helpers/tmp';
import { exampleCluster } from './helpers/example-cluster';
import { describeIfBinaries, haveBinaries } from './helpers/processes';

/** Runs `cloud-init schema -c file`; returns exit status and combined output. */
function schemaCheck(file: string): { status: number; output: string } {
  try {
    const out = execFileSync('cloud-init', ['schema', '-c', file], { stdio: 'pipe' }).toString();
    return { status: 0, output: out };
  } catch (e) {
    const err = e as { status?: number; stdout?: Buffer; stderr?: Buffer };
    return { status: err.status ?? -1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describeIfBinaries(['cloud-init'])('external etcd user-data (cloud-init schema)', () => {
  const tmp = tempDir('kprod-cloud-init-');
  afterAll(() => tmp.cleanup());
  const cluster = exampleCluster('eu-west-1');

  it.each([
    ['main', 'etcd-0'],
    ['events', 'etcd-events-2'],
  ] as const)('%s member %s is valid cloud-config', (which, member) => {
    const file = path.join(tmp.dir, `${member}.yaml`);
    fs.writeFileSync(file, externalEtcdUserData(cluster, which, member));
    const res = schemaCheck(file);
    expect(res.output).toMatch(/Valid cloud-config/);
    expect(res.status).toBe(0);
  });

  it('the validator is a real check: a wrong field type is rejected', () => {
    const file = path.join(tmp.dir, 'bad.yaml');
    // fs_setup must be a list; the same user-data with it turned into a string must fail.
    const text = externalEtcdUserData(cluster, 'main', 'etcd-1').replace(/^fs_setup:\n(  - .*\n|    .*\n)+/m, 'fs_setup: not-a-list\n');
    expect(text).toContain('fs_setup: not-a-list');
    fs.writeFileSync(file, text);
    expect(schemaCheck(file).status).not.toBe(0);
  });
});

describeIfBinaries(['systemd-analyze'])('etcd systemd unit (systemd-analyze verify)', () => {
  const tmp = tempDir('kprod-unit-');
  afterAll(() => tmp.cleanup());

  const verify = (content: string) => {
    const file = path.join(tmp.dir, 'etcd.service');
    fs.writeFileSync(file, content);
    // Log to the console: otherwise warnings such as unknown keys go to the journal only.
    const res = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_TARGET: 'console' } });
    return { status: res.status ?? -1, output: `${res.stdout}${res.stderr}` };
  };

  (haveBinaries('etcd') ? it : it.skip)('the rendered unit verifies without warnings', () => {
    expect(verify(renderEtcdUnit('etcd-0'))).toEqual({ status: 0, output: '' });
  });

  it('a misspelled key and a missing binary are reported (the verifier is a real check)', () => {
    expect(verify(renderEtcdUnit('etcd-0').replace('RestartSec=', 'RestartSecs=')).output).toMatch(/Unknown key 'RestartSecs'/);
    expect(verify(renderEtcdUnit('etcd-0').replace('/usr/bin/etcd ', '/usr/bin/etcd-missing ')).status).not.toBe(0);
  });
});

describeIfBinaries(['systemd-analyze'])('etcd backup and defrag timers (systemd-analyze)', () => {
  const tmp = tempDir('kprod-etcd-timers-');
  afterAll(() => tmp.cleanup());
  const cluster = exampleCluster('eu-west-1');
  const run = (args: string[]) => {
    const res = spawnSync('systemd-analyze', args, { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_TARGET: 'console' } });
    return { status: res.status ?? -1, output: `${res.stdout}${res.stderr}` };
  };
  /** Writes the user-data's systemd units into a fresh directory; returns their paths by file name. */
  const unitsOf = (member: string, change: (text: string) => string = (t) => t) => {
    const dir = fs.mkdtempSync(path.join(tmp.dir, `${member}-`));
    const ud = parse(externalEtcdUserData(cluster, 'main', member).replace(/^#cloud-config\n/, ''));
    const units: Record<string, string> = {};
    for (const f of ud.write_files as { path: string; content: string }[]) {
      // Units only: drop-ins of packaged units (node_exporter) need their unit to verify.
      if (path.dirname(f.path) !== '/etc/systemd/system') continue;
      const name = path.basename(f.path);
      units[name] = path.join(dir, name);
      fs.writeFileSync(units[name], change(f.content));
    }
    return units;
  };

  (haveBinaries('etcdctl') ? it : it.skip)('the rendered timers and services verify without warnings', () => {
    const units = unitsOf('etcd-2');
    expect(Object.keys(units).sort()).toEqual(['etcd-backup.service', 'etcd-backup.timer', 'etcd-defrag.service', 'etcd-defrag.timer', 'etcd.service']);
    const files = ['etcd-backup.timer', 'etcd-backup.service', 'etcd-defrag.timer', 'etcd-defrag.service'].map((n) => units[n]);
    expect(run(['verify', ...files])).toEqual({ status: 0, output: '' });
  });

  it('a calendar systemd cannot parse is rejected (the verifier is a real check)', () => {
    const units = unitsOf('etcd-0', (t) => t.replace(/^OnCalendar=.*$/m, 'OnCalendar=Sun *-*-* 25:30:00 UTC'));
    const res = run(['verify', units['etcd-defrag.timer']]);
    expect(res.status).not.toBe(0);
    expect(res.output).toMatch(/Failed to parse calendar specification/);
  });

  it.each(['0 * * * *', '*/15 * * * *', '30 3 * * 0', '0 2 * * 1-5', '5,35 */6 * * *', '0 8-18/4 * * *', '0 0 1 */3 *', '10 1 1-7 * *', '@weekly'])(
    'cron %s converts to a calendar systemd accepts',
    (cron) => {
      const res = cronToOnCalendar(cron);
      if (!('onCalendar' in res)) throw new Error(res.error);
      const checked = run(['calendar', res.onCalendar]);
      expect(checked.output).toMatch(/Next elapse:/);
      expect(checked.status).toBe(0);
    },
  );
});

