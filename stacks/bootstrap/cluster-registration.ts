import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { names } from '../../lib/naming';
import type { ClusterSpec } from '../../lib/spec';
import { signedCert, DEFAULT_LIFETIMES, type CertificateLifetimes, type IssuedCert } from '../pki/certs';
import { ARGOCD_SECRET_TYPE_LABEL } from './argocd';

/**
 * Group of the client certificate Argo CD uses: kubeadm (≥ 1.29) binds `kubeadm:cluster-admins`
 * to cluster-admin in every cluster it initialises, so no RBAC has to exist before Argo CD can
 * connect, and unlike `system:masters` the binding can be revoked.
 */
export const ARGOCD_CLIENT_GROUP = 'kubeadm:cluster-admins';
export const ARGOCD_CLIENT_NAME = 'kprod-argocd';

/** The `config` field of an Argo CD cluster Secret (TLS client certificate authentication). */
export interface ArgoClusterConfig {
  readonly tlsClientConfig: { readonly caData: string; readonly certData: string; readonly keyData: string };
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Argo CD cluster config from PEMs. */
export function argoClusterConfig(caPem: string, certPem: string, keyPem: string): ArgoClusterConfig {
  return { tlsClientConfig: { caData: b64(caPem), certData: b64(certPem), keyData: b64(keyPem) } };
}

/** Server and Argo CD config from a kubeconfig (the CAPI `<cluster>-kubeconfig` Secret's `value`): its current context, client certificate auth. */
export function argoClusterFromKubeconfig(kubeconfig: string): { server: string; config: ArgoClusterConfig } {
  const kc = parse(kubeconfig) as {
    'current-context'?: string;
    contexts?: { name: string; context: { cluster: string; user: string } }[];
    clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
    users?: { name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string } }[];
  };
  const ctx = kc.contexts?.find((c) => c.name === kc['current-context']) ?? kc.contexts?.[0];
  const cluster = kc.clusters?.find((c) => c.name === ctx?.context.cluster)?.cluster;
  const user = kc.users?.find((u) => u.name === ctx?.context.user)?.user;
  if (!cluster?.server || !cluster['certificate-authority-data'] || !user?.['client-certificate-data'] || !user['client-key-data'])
    throw new Error('kubeconfig: expected a current context with server, certificate-authority-data, client-certificate-data and client-key-data');
  return {
    server: cluster.server,
    config: { tlsClientConfig: { caData: cluster['certificate-authority-data'], certData: user['client-certificate-data'], keyData: user['client-key-data'] } },
  };
}

export interface ClusterRegistrationArgs {
  readonly cluster: ClusterSpec;
  /** Management cluster provider (where Argo CD and Cluster API run). */
  readonly provider: k8s.Provider;
  /** Namespace of Argo CD. */
  readonly argocdNamespace: string;
  /**
   * How the credentials are obtained:
   * - `ownCa`: the stack owns the cluster CA and issues Argo CD a client certificate; the
   *   registration exists before the cluster does (Argo CD retries until the API answers).
   * - `capiKubeconfig`: read the `<cluster>-kubeconfig` Secret Cluster API writes once the
   *   control plane is up; only on a later `pulumi up` (stack config `kprod:registerClusters`).
   */
  readonly source: { readonly kind: 'ownCa'; readonly clusterCa: IssuedCert; readonly lifetimes?: CertificateLifetimes } | { readonly kind: 'capiKubeconfig' };
  /** Resources the registration waits for (e.g. the Argo CD release). */
  readonly dependsOn?: pulumi.Resource[];
  /**
   * Fixed application-controller shard of the cluster (the Secret's `shard`; `ArgoCd.clusterShard`).
   * @default none (Argo CD's sharding algorithm places the cluster)
   */
  readonly shard?: number;
}

/**
 * Registers a workload cluster with Argo CD as a cluster Secret named `<env>-<cluster>` (the
 * destination name the synthesized Applications use), labelled
 * `argocd.argoproj.io/secret-type=cluster`, with its controller shard when one is given.
 */
export class ClusterRegistration extends pulumi.ComponentResource {
  public readonly secret: k8s.core.v1.Secret;
  public readonly server: pulumi.Output<string>;

  constructor(name: string, args: ClusterRegistrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:bootstrap:ClusterRegistration', name, {}, opts);
    const { cluster, provider } = args;
    const clusterName = names.argocdCluster(cluster);
    let server: pulumi.Output<string>;
    let config: pulumi.Output<ArgoClusterConfig>;
    if (args.source.kind === 'ownCa') {
      const ep = cluster.controlPlane.endpoint;
      if (!ep.host) throw new Error(`clusters.${cluster.name}.controlPlane.endpoint: registration with the own CA needs a DNS name or VIP; use kprod:registerClusters instead`);
      const client = signedCert(
        `${name}-argocd-client`,
        {
          id: 'argocd-client',
          commonName: ARGOCD_CLIENT_NAME,
          organization: ARGOCD_CLIENT_GROUP,
          dnsNames: [],
          ipAddresses: [],
          isCa: false,
          allowedUses: ['digital_signature', 'key_encipherment', 'client_auth'],
          validityHours: (args.source.lifetimes ?? DEFAULT_LIFETIMES).leafValidityHours,
          key: { algorithm: 'ECDSA', curve: 'P256' },
          certFile: 'argocd.crt',
          keyFile: 'argocd.key',
        },
        args.source.clusterCa,
        args.source.lifetimes ?? DEFAULT_LIFETIMES,
        this,
      );
      server = pulumi.output(`https://${ep.host}:${ep.port}`);
      config = pulumi.all([args.source.clusterCa.certPem, client.certPem, client.keyPem]).apply(([ca, crt, key]) => argoClusterConfig(ca, crt, key));
    } else {
      const capiSecret = k8s.core.v1.Secret.get(`${name}-capi-kubeconfig`, `${names.capiNamespace(cluster)}/${cluster.name}-kubeconfig`, { parent: this, provider });
      const parsed = capiSecret.data.apply((d) => argoClusterFromKubeconfig(Buffer.from(d?.value ?? '', 'base64').toString('utf8')));
      server = parsed.apply((p) => p.server);
      config = parsed.apply((p) => p.config);
    }
    this.server = server;
    this.secret = new k8s.core.v1.Secret(
      `${name}-argocd-cluster`,
      {
        metadata: {
          name: clusterName,
          namespace: args.argocdNamespace,
          labels: { [ARGOCD_SECRET_TYPE_LABEL]: 'cluster', 'kprod.io/environment': cluster.environment, 'kprod.io/cluster': cluster.name },
        },
        type: 'Opaque',
        stringData: pulumi.secret(
          pulumi.all([server, config]).apply(([s, c]) => ({ name: clusterName, server: s, config: JSON.stringify(c), ...(args.shard !== undefined ? { shard: String(args.shard) } : {}) })),
        ),
      },
      { parent: this, provider, dependsOn: args.dependsOn, additionalSecretOutputs: ['data', 'stringData'] },
    );
    this.registerOutputs({ server: this.server });
  }
}
