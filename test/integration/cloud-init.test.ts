/** cloud-init's own schema validator accepts the rendered external-etcd user-data. */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
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
