import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KEEPALIVED_HOST_COMMANDS } from '../../../lib/render/keepalived-host';

/** Runs the install command with stub `apt-get` (and optionally `keepalived`) first on PATH; returns the apt-get calls. */
function runInstall(withKeepalived: boolean): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keepalived-host-'));
  try {
    const log = path.join(dir, 'apt.log');
    const stub = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    stub('apt-get', `echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> ${log}`);
    if (withKeepalived) stub('keepalived', 'exit 0');
    execFileSync('/bin/sh', ['-c', KEEPALIVED_HOST_COMMANDS[0]], { env: { PATH: `${dir}:/usr/bin:/bin` } });
    return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('keepalived from the host package', () => {
  it('installs the package non-interactively, without recommends, only when the image lacks it', () => {
    expect(runInstall(false)).toEqual(['DEBIAN_FRONTEND= update -q', 'DEBIAN_FRONTEND=noninteractive install -y -q --no-install-recommends keepalived']);
    expect(runInstall(true)).toEqual([]);
  });

  it('then enables and restarts the service so that it runs on the config kubeadm files[] wrote', () => {
    expect(KEEPALIVED_HOST_COMMANDS[1]).toBe('systemctl enable keepalived && systemctl restart keepalived');
  });
});
