import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { PKI } from '../../lib/render/kubeadm';
import { ENCRYPTION_CONFIG_PATH } from '../../lib/render/encryption-config';
import type { ClusterSpec } from '../../lib/spec';
import type { IssuedCert } from '../pki/certs';
import { installFilesCommand, installFilesScript, type RemoteFile } from '../remote-files';
import { connection, type SshAccess } from '../ssh';
import { prerequisitesScript, staticHostFiles, staticHostPrepareCommands } from './host-files';
import type { StaticHost } from './inventory';
import { INIT_CONFIG_PATH, JOIN_CONFIG_PATH, joinCredentialsScript, parseJoinCredentials, renderInitConfig, renderJoinConfig } from './kubeadm-config';

const ADMIN_KUBECONFIG = '/etc/kubernetes/admin.conf';

export interface KubeadmHostsArgs {
  readonly cluster: ClusterSpec;
  /** Control planes first (the first one runs `kubeadm init`), then workers; see `hostsOf`. */
  readonly hosts: readonly StaticHost[];
  readonly ssh: SshAccess;
  /** Rendered EncryptionConfiguration (control planes). @default none */
  readonly encryptionConfig?: pulumi.Input<string>;
  /** Own cluster CA, placed before `kubeadm init`. @default kubeadm generates it */
  readonly clusterCa?: IssuedCert;
  /** External etcd: CA certificate and the apiserver client certificate (control planes). */
  readonly etcd?: { readonly caCertPem: pulumi.Input<string>; readonly apiserverClient: IssuedCert };
}

/** The commands of one host, in the order they run. */
export interface HostSteps {
  readonly host: StaticHost;
  readonly prerequisites: command.remote.Command;
  readonly files: command.remote.Command;
  /** `kubeadm init` (first control plane) or `kubeadm join`. */
  readonly kubeadm: command.remote.Command;
  /** Runs on the first control plane; its delete cordons and drains the node before the host goes. */
  readonly membership?: command.remote.Command;
}

/**
 * Bootstraps a Kubernetes cluster on existing hosts over SSH: prerequisites, the rendered files,
 * `kubeadm init` on the first control plane, then `kubeadm join` of the other control planes one
 * after another (etcd membership changes one at a time) and of the workers once the last control
 * plane is in. Each step's `triggers` hold the hash of what it writes, so a changed file re-runs
 * only that host's file step. Removing a host from `kprod:hosts` drains its node, deletes it and
 * runs `kubeadm reset` on it.
 */
export class KubeadmHosts extends pulumi.ComponentResource {
  public readonly steps: readonly HostSteps[];
  /** admin kubeconfig of the cluster (secret). */
  public readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: KubeadmHostsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:baremetal:KubeadmHosts', name, {}, opts);
    const { cluster, hosts, ssh } = args;
    const [first, ...rest] = hosts;
    if (!first || first.role !== 'control-plane') throw new Error(`kprod:hosts: cluster ${cluster.name} needs a control-plane host first`);
    const conn = (h: StaticHost) => connection(ssh, h.address, h.user);
    const certificateKey = new random.RandomId(`${name}-certificate-key`, { byteLength: 32 }, { parent: this, additionalSecretOutputs: ['hex', 'b64Std', 'b64Url', 'dec'] });

    const prepare = (h: StaticHost, phase: 'init' | 'join', extra: pulumi.Input<RemoteFile[]>) => {
      const prerequisites = new command.remote.Command(
        `${name}-${h.name}-prerequisites`,
        { connection: conn(h), create: 'sudo sh -s', stdin: prerequisitesScript(cluster.kubernetesVersion), triggers: [cluster.kubernetesVersion] },
        { parent: this },
      );
      const plain = staticHostFiles(cluster, h);
      const files = pulumi.output(extra).apply((secretFiles) => [...plain, ...secretFiles]);
      const after = staticHostPrepareCommands(cluster, h, phase);
      // On a node that already joined, a changed kubelet patch is applied by kubeadm's kubelet-config phase.
      const reapply = `if [ -f /etc/kubernetes/kubelet.conf ]; then kubeadm upgrade node phase kubelet-config --patches /etc/kubernetes/patches && systemctl restart kubelet; fi`;
      const filesStep = installFilesCommand(
        `${name}-${h.name}-files`,
        { connection: conn(h), files, after: `${after.join('\n')}\n${reapply}\n` },
        { parent: this, dependsOn: [prerequisites] },
      );
      return { prerequisites, files: filesStep };
    };

    // --- first control plane: kubeadm init
    const initConfig = pulumi.secret(certificateKey.hex.apply((key) => renderInitConfig(cluster, first, key)));
    const firstPrep = prepare(first, 'init', pulumi.all([...controlPlaneSecretFiles(args, true), { path: INIT_CONFIG_PATH, content: initConfig, mode: '0600' }].map(resolveFile)));
    const init = new command.remote.Command(
      `${name}-${first.name}-kubeadm-init`,
      {
        connection: conn(first),
        // Idempotent: a host that already runs a control plane is left alone.
        create: `sudo sh -c 'test -f ${ADMIN_KUBECONFIG} || kubeadm init --config ${INIT_CONFIG_PATH} --upload-certs'`,
        delete: `sudo kubeadm reset -f`,
        triggers: [first.name, first.address],
      },
      { parent: this, dependsOn: [firstPrep.files] },
    );
    const steps: HostSteps[] = [{ host: first, ...firstPrep, kubeadm: init }];

    // --- the others, in order: control planes one after another, workers after the last control plane.
    let lastControlPlane: command.remote.Command = init;
    for (const h of rest) {
      const prep = prepare(h, 'join', h.role === 'control-plane' ? pulumi.all(controlPlaneSecretFiles(args, false).map(resolveFile)) : []);
      const credentials = new command.remote.Command(
        `${name}-${h.name}-join-credentials`,
        { connection: conn(first), create: 'sudo sh -s', stdin: joinCredentialsScript(h.role), triggers: [h.name] },
        { parent: this, dependsOn: [lastControlPlane], additionalSecretOutputs: ['stdout'] },
      );
      const joinConfig = pulumi.secret(
        pulumi.all([credentials.stdout, certificateKey.hex]).apply(([out, key]) =>
          renderJoinConfig(cluster, h, { ...parseJoinCredentials(out), ...(h.role === 'control-plane' ? { certificateKey: key } : {}) }),
        ),
      );
      const join = new command.remote.Command(
        `${name}-${h.name}-kubeadm-join`,
        {
          connection: conn(h),
          create: `sudo sh -s`,
          stdin: joinConfig.apply((c) => `${installFilesScript([{ path: JOIN_CONFIG_PATH, content: c, mode: '0600' }])}test -f /etc/kubernetes/kubelet.conf || kubeadm join --config ${JOIN_CONFIG_PATH}\n`),
          delete: 'sudo kubeadm reset -f',
          triggers: [h.name, h.address, h.role],
        },
        { parent: this, dependsOn: [prep.files, credentials, lastControlPlane] },
      );
      const membership = new command.remote.Command(
        `${name}-${h.name}-membership`,
        {
          connection: conn(first),
          create: `sudo kubectl --kubeconfig ${ADMIN_KUBECONFIG} get node ${h.name} -o name`,
          // Before the host is reset: move its pods away, then forget the node.
          delete: `sudo kubectl --kubeconfig ${ADMIN_KUBECONFIG} drain ${h.name} --ignore-daemonsets --delete-emptydir-data --timeout=10m && sudo kubectl --kubeconfig ${ADMIN_KUBECONFIG} delete node ${h.name} --ignore-not-found`,
          triggers: [h.name],
        },
        { parent: this, dependsOn: [join] },
      );
      steps.push({ host: h, ...prep, kubeadm: join, membership });
      if (h.role === 'control-plane') lastControlPlane = join;
    }
    this.steps = steps;

    const admin = new command.remote.Command(
      `${name}-admin-kubeconfig`,
      { connection: conn(first), create: `sudo cat ${ADMIN_KUBECONFIG}`, triggers: [first.name] },
      { parent: this, dependsOn: [init], additionalSecretOutputs: ['stdout'] },
    );
    this.kubeconfig = pulumi.secret(admin.stdout);
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}

type PendingFile = Omit<RemoteFile, 'content'> & { content: pulumi.Input<string> };

function resolveFile(f: PendingFile): pulumi.Output<RemoteFile> {
  return pulumi.output(f.content).apply((content) => ({ ...f, content }));
}

/** Secret files of a control-plane host: encryption config, external etcd client material, own CA (on the first host only; kubeadm uploads it for the others). */
function controlPlaneSecretFiles(args: KubeadmHostsArgs, first: boolean): PendingFile[] {
  const files: PendingFile[] = [];
  if (args.encryptionConfig) files.push({ path: ENCRYPTION_CONFIG_PATH, content: args.encryptionConfig, mode: '0600' });
  if (args.etcd) {
    files.push(
      { path: PKI.etcdCa, content: args.etcd.caCertPem, mode: '0644' },
      { path: PKI.apiserverEtcdClientCert, content: args.etcd.apiserverClient.certPem, mode: '0644' },
      { path: PKI.apiserverEtcdClientKey, content: args.etcd.apiserverClient.keyPem, mode: '0600' },
    );
  }
  if (first && args.clusterCa)
    files.push({ path: PKI.ca, content: args.clusterCa.certPem, mode: '0644' }, { path: PKI.ca.replace(/\.crt$/, '.key'), content: args.clusterCa.keyPem, mode: '0600' });
  return files;
}
