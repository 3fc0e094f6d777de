import type * as command from '@pulumi/command';
import type * as pulumi from '@pulumi/pulumi';

/** How the stack reaches machines over SSH (stack config `kprod:sshUser`, secret `kprod:sshPrivateKey`). */
export interface SshAccess {
  /** Login user with passwordless sudo. @default "ubuntu" */
  readonly user: string;
  /** Private key (a Pulumi secret). */
  readonly privateKey: pulumi.Input<string>;
  /** @default 22 */
  readonly port?: number;
}

export function connection(ssh: SshAccess, host: pulumi.Input<string>, user?: string): command.types.input.remote.ConnectionArgs {
  return { host, user: user ?? ssh.user, privateKey: ssh.privateKey, port: ssh.port ?? 22 };
}
