/**
 * Shell script that writes files on a host through `sh -s` on stdin, so that contents
 * (certificates, keys, configs) never appear on a command line or in the process list.
 */
import { createHash } from 'node:crypto';

export interface RemoteFile {
  /** Absolute path on the host. */
  readonly path: string;
  readonly content: string;
  /** Octal mode. @default "0644" */
  readonly mode?: string;
  /** user:group. @default "root:root" */
  readonly owner?: string;
}

const DELIMITER = 'KPROD_FILE_EOF';

/** A POSIX sh script that installs every file atomically (temp file + mv) with its owner and mode. */
export function installFilesScript(files: readonly RemoteFile[]): string {
  const lines = ['set -eu', 'umask 077'];
  for (const f of files) {
    if (!f.path.startsWith('/') || /['\n]/.test(f.path)) throw new Error(`remote file path must be absolute without quotes or newlines: ${f.path}`);
    if (f.content.split('\n').includes(DELIMITER)) throw new Error(`remote file ${f.path}: content contains the heredoc delimiter`);
    const [user, group] = (f.owner ?? 'root:root').split(':');
    const tmp = `'${f.path}.kprod-tmp'`;
    lines.push(
      `install -d -m 0755 "$(dirname '${f.path}')"`,
      `cat > ${tmp} <<'${DELIMITER}'`,
      f.content.endsWith('\n') ? f.content.slice(0, -1) : f.content,
      DELIMITER,
      `chown ${user}:${group ?? user} ${tmp}`,
      `chmod ${f.mode ?? '0644'} ${tmp}`,
      `mv -f ${tmp} '${f.path}'`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** sha256 of the files (paths, modes, owners, contents): a trigger that changes only when they do. */
export function filesHash(files: readonly RemoteFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.path}\0${f.mode ?? ''}\0${f.owner ?? ''}\0${f.content}\0`);
  return h.digest('hex');
}
