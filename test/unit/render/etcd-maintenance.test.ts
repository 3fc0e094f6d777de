import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { cronToOnCalendar } from '../../../lib/render/cron-calendar';
import { externalEtcdUserData } from '../../../lib/render/etcd-cloud-init';
import { ETCD_BACKUP_SCRIPT_PATH, etcdMaintenance, renderEtcdBackupScript } from '../../../lib/render/etcd-maintenance';
import { exampleCluster } from '../../integration/helpers/example-cluster';
import { tempDir } from '../../helpers/tmp';
import { exampleFleet } from '../../helpers/fleet';
import { parseFleet } from '../../../lib/spec';

describe('cronToOnCalendar', () => {
  it.each([
    ['0 * * * *', '*-*-* *:0:00 UTC'],
    ['*/15 * * * *', '*-*-* *:0/15:00 UTC'],
    ['30 3 * * 0', 'Sun *-*-* 3:30:00 UTC'],
    ['0 2 * * 1-5', 'Mon..Fri *-*-* 2:0:00 UTC'],
    ['0 2 * * 7', 'Sun *-*-* 2:0:00 UTC'],
    ['5,35 */6 * * *', '*-*-* 0/6:5,35:00 UTC'],
    ['0 8-18/4 * * *', '*-*-* 8,12,16:0:00 UTC'],
    ['0 0 1 */3 *', '*-1/3-1 0:0:00 UTC'],
    ['10 1 1-7 * *', '*-*-1..7 1:10:00 UTC'],
    ['@daily', '*-*-* 00:00:00 UTC'],
  ])('%s → %s', (cron, calendar) => {
    expect(cronToOnCalendar(cron)).toEqual({ onCalendar: calendar });
  });

  it.each([
    ['0 * * *', /not a 5-field cron schedule/],
    ['0 3 * * MON', /day of week "MON" is not a number/],
    ['61 * * * *', /minute 61 is outside 0-59/],
    ['0 3 1 * 1', /day of month together with a day of week/],
    ['0 5-2 * * *', /hour range 5-2 runs backwards/],
    ['0 3 * * */2', /day of week "\*\/2" with a step/],
  ])('%s is explained, not converted', (cron, reason) => {
    const res = cronToOnCalendar(cron);
    expect('error' in res && res.error).toMatch(reason);
  });
});

describe('external etcd maintenance units', () => {
  const cluster = exampleCluster('eu-west-1');
  const userData = (which: 'main' | 'events', member: string, c = cluster) => parse(externalEtcdUserData(c, which, member).replace(/^#cloud-config\n/, ''));
  const fileAt = (ud: any, p: string): string | undefined => ud.write_files.find((f: { path: string }) => f.path === p)?.content;

  it('a main member gets a backup timer on the spec schedule and a defrag timer, both enabled', () => {
    const ud = userData('main', 'etcd-0');
    expect(fileAt(ud, '/etc/systemd/system/etcd-backup.timer')).toContain('OnCalendar=*-*-* *:0:00 UTC'); // default "0 * * * *"
    expect(fileAt(ud, '/etc/systemd/system/etcd-defrag.timer')).toContain('OnCalendar=Sun *-*-* 3:30:00 UTC'); // default "30 3 * * 0"
    expect(ud.packages).toEqual(expect.arrayContaining(['etcd-server', 'etcd-client']));
    expect(ud.runcmd).toContainEqual(['systemctl', 'enable', '--now', 'etcd-backup.timer', 'etcd-defrag.timer']);
    expect(ud.runcmd).toContainEqual(['install', '-d', '-o', 'etcd', '-g', 'etcd', '-m', '0700', '/var/lib/etcd-backup']);
    const script = fileAt(ud, ETCD_BACKUP_SCRIPT_PATH) as string;
    expect(script).toContain('--cert=/etc/etcd/pki/server.crt --key=/etc/etcd/pki/server.key');
    expect(script).toContain('tail -n +49'); // retain 48
  });

  it('defrag touches the local member only, after its health check, staggered by member position', () => {
    const first = fileAt(userData('main', 'etcd-0'), '/etc/systemd/system/etcd-defrag.service') as string;
    const third = fileAt(userData('main', 'etcd-2'), '/etc/systemd/system/etcd-defrag.service') as string;
    expect(first).toMatch(/^ExecStart=\/usr\/bin\/etcdctl --endpoints=https:\/\/127\.0\.0\.1:2379 .* defrag$/m);
    expect(first).not.toContain('--cluster');
    expect(first).toMatch(/^ExecStartPre=.* endpoint health$/m);
    expect(first).not.toContain('/bin/sleep');
    expect(third).toContain('ExecStartPre=/bin/sleep 1800');
  });

  it('events members are defragmented but not backed up; disabled settings render nothing', () => {
    const events = userData('events', 'etcd-events-0');
    expect(fileAt(events, '/etc/systemd/system/etcd-backup.timer')).toBeUndefined();
    expect(fileAt(events, '/etc/systemd/system/etcd-defrag.timer')).toContain('OnCalendar=Sun *-*-* 3:30:00 UTC');
    expect(fileAt(events, ETCD_BACKUP_SCRIPT_PATH)).toBeUndefined();
    expect(events.runcmd.flat()).toContain('etcd-defrag.timer');
    expect(events.runcmd.flat()).not.toContain('etcd-backup.timer');
    const off = exampleCluster('eu-west-1', (c) => {
      c.controlPlane.etcd.backup = { enabled: false };
      c.controlPlane.etcd.defrag = { enabled: false };
    });
    const ud = userData('main', 'etcd-0', off);
    expect(ud.write_files.map((f: { path: string }) => f.path).filter((p: string) => /etcd-(backup|defrag)/.test(p))).toEqual([]);
    expect(ud.runcmd.flat()).not.toContain('etcd-backup.timer');
  });

  it('no key material in the user-data, only paths', () => {
    const text = externalEtcdUserData(cluster, 'main', 'etcd-1');
    expect(text).not.toMatch(/BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)/);
  });

  it('a schedule systemd cannot express is an error naming the field and the value', () => {
    // The spec rule (lib/spec/validate/etcd-schedules.ts) rejects it at parse time...
    expect(() => exampleCluster('eu-west-1', (c) => (c.controlPlane.etcd.backup = { schedule: '0 3 1 * 1' }))).toThrow(
      /controlPlane\.etcd\.backup\.schedule: external etcd runs backup from a systemd timer: "0 3 1 \* 1": .*day of week/,
    );
    // ...and the renderer refuses it too when handed such a cluster directly.
    const good = exampleCluster('eu-west-1');
    const etcd = { ...good.controlPlane.etcd, backup: { ...good.controlPlane.etcd.backup, schedule: '0 3 1 * 1' } };
    const bad = { ...good, controlPlane: { ...good.controlPlane, etcd } } as typeof good;
    expect(() => externalEtcdUserData(bad, 'main', 'etcd-0')).toThrow(/controlPlane\.etcd\.backup\.schedule: "0 3 1 \* 1": .*day of week/);
  });
});

describe('backup script (run with sh and a stub etcdctl)', () => {
  const tmp = tempDir('kprod-etcd-backup-');
  afterAll(() => tmp.cleanup());

  function setup(name: string, stubExit: number) {
    const dir = path.join(tmp.dir, name);
    fs.mkdirSync(dir);
    // The stub writes the snapshot to the path etcdctl is given last, like `etcdctl snapshot save <file>`.
    const stub = path.join(tmp.dir, `${name}-etcdctl`);
    fs.writeFileSync(stub, `#!/bin/sh\nfor last; do :; done\necho snapshot > "$last"\nexit ${stubExit}\n`, { mode: 0o755 });
    const old = ['etcd-0-20240101T000000Z.db', 'etcd-0-20240102T000000Z.db', 'etcd-0-20240103T000000Z.db'];
    for (const f of [...old, 'notes.txt', 'etcd-9-20200101T000000Z.db']) fs.writeFileSync(path.join(dir, f), 'x');
    const script = path.join(tmp.dir, `${name}.sh`);
    fs.writeFileSync(script, renderEtcdBackupScript({ memberName: 'etcd-0', memberIndex: 0, etcdctl: stub, backup: { schedule: '0 * * * *', retain: 2, dir } }));
    return { dir, script };
  }

  it('keeps the newest `retain` snapshots of this member and leaves other files alone', () => {
    const { dir, script } = setup('ok', 0);
    execFileSync('sh', [script]);
    const files = fs.readdirSync(dir).sort();
    const fresh = files.filter((f) => /^etcd-0-\d{8}T\d{6}Z\.db$/.test(f) && !f.startsWith('etcd-0-2024'));
    expect(fresh).toHaveLength(1);
    expect(files).toEqual([...fresh, 'etcd-0-20240103T000000Z.db', 'etcd-9-20200101T000000Z.db', 'notes.txt'].sort());
    expect(fs.readFileSync(path.join(dir, fresh[0]), 'utf8')).toBe('snapshot\n');
  });

  it('a failed snapshot leaves no partial file and prunes nothing', () => {
    const { dir, script } = setup('fail', 3);
    const res = spawnSync('sh', [script]);
    expect(res.status).not.toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(
      ['etcd-0-20240101T000000Z.db', 'etcd-0-20240102T000000Z.db', 'etcd-0-20240103T000000Z.db', 'etcd-9-20200101T000000Z.db', 'notes.txt'].sort(),
    );
  });

  it('uploads the new snapshot off-host with curl -K (keys from the credentials file, never on the command line)', () => {
    const { dir } = setup('upload', 0);
    const log = path.join(tmp.dir, 'curl.log');
    const curl = path.join(tmp.dir, 'curl');
    fs.writeFileSync(curl, `#!/bin/sh\necho "$@" > '${log}'\n`, { mode: 0o755 });
    const credentialsFile = path.join(tmp.dir, 'creds');
    const upload = { endpoint: 'https://s3.example.com/', bucket: 'b', prefix: 'prod/eu-west-1/', region: 'eu-1', credentialsFile, curl };
    const stub = path.join(tmp.dir, 'upload-etcdctl');
    const script = path.join(tmp.dir, 'upload.sh');
    fs.writeFileSync(script, renderEtcdBackupScript({ memberName: 'etcd-0', memberIndex: 0, etcdctl: stub, backup: { schedule: '0 * * * *', retain: 2, dir, upload } }));
    // without credentials the unit fails (visible), but the local snapshot is kept
    const missing = spawnSync('sh', [script]);
    expect(missing.status).not.toBe(0);
    expect(String(missing.stderr)).toMatch(/no upload credentials/);
    fs.writeFileSync(credentialsFile, 'user = "k:s"\n');
    execFileSync('sh', [script]);
    const args = fs.readFileSync(log, 'utf8').trim().split(' ');
    const fresh = fs.readdirSync(dir).filter((f) => /^etcd-0-\d{8}T\d{6}Z\.db$/.test(f)).sort().pop()!;
    expect(args).toEqual(['--fail', '--silent', '--show-error', '--retry', '3', '-K', credentialsFile, '--aws-sigv4', 'aws:amz:eu-1:s3', '-T', path.join(dir, fresh), `https://s3.example.com/b/prod/eu-west-1/${fresh}`]);
    expect(args.join(' ')).not.toContain('k:s');
  });

  it('etcdMaintenance lists the files, timers and the backup directory', () => {
    const m = etcdMaintenance({ memberName: 'etcd-0', memberIndex: 0, backup: { schedule: '@hourly', retain: 3, dir: '/srv/backup' }, defrag: { schedule: '0 4 * * 6' } });
    expect(m.timers).toEqual(['etcd-backup.timer', 'etcd-defrag.timer']);
    expect(m.directories).toEqual([{ path: '/srv/backup', owner: 'etcd:etcd', mode: '0700' }]);
    expect(m.files.find((f) => f.path.endsWith('etcd-backup.service'))?.content).toContain('ReadWritePaths=/srv/backup');
    expect(m.files.find((f) => f.path.endsWith('etcd-defrag.timer'))?.content).toContain('OnCalendar=Sat *-*-* 4:0:00 UTC');
  });
});

describe('controlPlane.etcd.backup.upload.region', () => {
  it('defaults to us-east-1 and names a bad value with its path', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].controlPlane.etcd.backup = { upload: { endpoint: 'https://s3.example.com', bucket: 'bkt', credentialsSecret: 's3' } };
    expect(parseFleet(input).spec.environments[0].clusters[0].controlPlane.etcd.backup.upload!.region).toBe('us-east-1');
    input.environments[0].clusters[0].controlPlane.etcd.backup.upload.region = 'US East';
    expect(() => parseFleet(input)).toThrow(/environments\[0\]\.clusters\[0\]\.controlPlane\.etcd\.backup\.upload\.region: must be a region name/);
  });
});
