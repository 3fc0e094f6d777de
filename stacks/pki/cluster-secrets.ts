import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { names } from '../../lib/naming';
import { ENCRYPTION_SECRET_KEY } from '../../lib/render/encryption-config';
import type { ClusterSpec } from '../../lib/spec';
import { CLUSTER_RESOURCE_SET_SECRET_TYPE, OCCM_CLOUD_CONFIG_KEY, occmCloudConfigManifest } from '../openstack/occm-cloud-config';
import type { IssuedCert } from './certs';

/** Secret type Cluster API (clusterctl move, KCP) recognises as its own. */
export const CAPI_SECRET_TYPE = 'cluster.x-k8s.io/secret';
export const CAPI_CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

export interface ClusterSecretsArgs {
  readonly cluster: ClusterSpec;
  /** Provider of the management cluster. */
  readonly provider: k8s.Provider;
  /** Cluster CA to hand to Cluster API (`<cluster>-ca`); omitted lets Cluster API generate it. */
  readonly clusterCa?: IssuedCert;
  /** External etcd: CA and the apiserver client certificate (`<cluster>-etcd`, `<cluster>-apiserver-etcd-client`). */
  readonly etcd?: { readonly ca: IssuedCert; readonly apiserverClient: IssuedCert };
  /** Rendered EncryptionConfiguration (`<cluster>-encryption`, key `encryption-config.yaml`). */
  readonly encryptionConfig?: pulumi.Input<string>;
  /** clouds.yaml for CAPO (`<cluster>-cloud-config`, key `clouds.yaml`). */
  readonly cloudsYaml?: pulumi.Input<string>;
  /** CA bundle of the OpenStack API, key `cacert` of the cloud-config Secret. @default none */
  readonly cloudCaCert?: pulumi.Input<string>;
  /**
   * OCCM's cloud.conf (INI) for the workload cluster's `kube-system/cloud-config`, delivered by the
   * ClusterResourceSet `<cluster>-occm-cloud-config` from the Secret of the same name
   * (type `addons.cluster.x-k8s.io/resource-set`, key `cloud-config.yaml`). OpenStack clusters only.
   * @default none: no such Secret; the ClusterResourceSet waits for it
   */
  readonly occmCloudConf?: pulumi.Input<string>;
}

/**
 * The Secrets Cluster API and CAPO read, in the cluster's namespace `<environment>-<cluster>`
 * on the management cluster. The namespace is applied server-side (adopted when Argo CD made it
 * first) and kept on `pulumi destroy`, because Cluster API objects live in it too.
 */
export class ClusterSecrets extends pulumi.ComponentResource {
  public readonly namespace: string;
  /** The Secrets by name. */
  public readonly secrets: Readonly<Record<string, k8s.core.v1.Secret>>;

  constructor(name: string, args: ClusterSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:pki:ClusterSecrets', name, {}, opts);
    const { cluster, provider } = args;
    this.namespace = names.capiNamespace(cluster);
    const ns = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: this.namespace } }, { parent: this, provider, retainOnDelete: true });
    const secrets: Record<string, k8s.core.v1.Secret> = {};
    const add = (secretName: string, stringData: Record<string, pulumi.Input<string>>, type = CAPI_SECRET_TYPE) => {
      secrets[secretName] = new k8s.core.v1.Secret(
        `${name}-${secretName}`,
        {
          metadata: { name: secretName, namespace: this.namespace, labels: { [CAPI_CLUSTER_NAME_LABEL]: cluster.name } },
          type,
          stringData: pulumi.secret(pulumi.output(stringData)) as pulumi.Output<Record<string, string>>,
        },
        { parent: this, provider, dependsOn: [ns], additionalSecretOutputs: ['data', 'stringData'] },
      );
    };
    if (args.clusterCa) add(names.secrets.ca(cluster), { 'tls.crt': args.clusterCa.certPem, 'tls.key': args.clusterCa.keyPem });
    if (args.etcd) {
      // External etcd: kubeadm needs only the CA certificate; the CA key stays in Pulumi.
      add(names.secrets.etcdCa(cluster), { 'tls.crt': args.etcd.ca.certPem });
      add(names.secrets.apiserverEtcdClient(cluster), { 'tls.crt': args.etcd.apiserverClient.certPem, 'tls.key': args.etcd.apiserverClient.keyPem });
    }
    if (args.encryptionConfig) add(names.secrets.encryption(cluster), { [ENCRYPTION_SECRET_KEY]: args.encryptionConfig });
    if (args.cloudsYaml) {
      const infra = cluster.infrastructure;
      const secretName = (infra.provider === 'openstack' ? infra.identitySecretName : undefined) ?? names.secrets.cloudConfig(cluster);
      add(secretName, { 'clouds.yaml': args.cloudsYaml, ...(args.cloudCaCert ? { cacert: args.cloudCaCert } : {}) });
    }
    if (args.occmCloudConf && cluster.infrastructure.provider === 'openstack') {
      const manifest = pulumi.output(args.occmCloudConf).apply(occmCloudConfigManifest);
      add(names.secrets.occmCloudConfig(cluster), { [OCCM_CLOUD_CONFIG_KEY]: manifest }, CLUSTER_RESOURCE_SET_SECRET_TYPE);
    }
    this.secrets = secrets;
    this.registerOutputs({});
  }
}
