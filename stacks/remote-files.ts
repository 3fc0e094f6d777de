/**
 * Shell script that writes files on a host through `sh -s` on stdin, so that contents
 * (certificates, keys, configs) never appear on a command line or in the process list.
 */
import { createHash } from 'node:crypto';
import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';

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

export interface InstallFilesCommandArgs {
  readonly connection: command.types.input.remote.ConnectionArgs;
  readonly files: pulumi.Output<readonly RemoteFile[]>;
  /** Shell run before the files are written (ends with a newline). @default none */
  readonly before?: string;
  /** Shell run after the files are written (ends with a newline). @default none */
  readonly after?: string;
  /** Remote command reading the script on stdin. @default "sudo sh -s" */
  readonly create?: string;
}

/**
 * A remote command that writes `files` (script on stdin, a secret) and re-runs exactly when their
 * hash changes.
 */
export function installFilesCommand(name: string, args: InstallFilesCommandArgs, opts: pulumi.CustomResourceOptions): command.remote.Command {
  return new command.remote.Command(
    name,
    {
      connection: args.connection,
      create: args.create ?? 'sudo sh -s',
      stdin: pulumi.secret(args.files.apply((f) => `${args.before ?? ''}${installFilesScript(f)}${args.after ?? ''}`)),
      triggers: [args.files.apply(filesHash)],
    },
    opts,
  );
}
