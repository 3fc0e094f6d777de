/**
 * The stack program: from the validated fleet and the stack settings to the resources of one
 * environment. `stacks/index.ts` calls it with the stack's configuration; tests call it with
 * settings of their own under Pulumi mocks.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { names } from '../lib/naming';
import type { ClusterSpec, EnvironmentSpec } from '../lib/spec';
import { hostsOf } from './baremetal/inventory';
import { IronicFlavors } from './baremetal/ironic-flavors';
import { KubeadmHosts } from './baremetal/kubeadm-hosts';
import { ArgoCd, rootApplicationName } from './bootstrap/argocd';
import { CapiProviders } from './bootstrap/capi-providers';
import { ClusterRegistration } from './bootstrap/cluster-registration';
import type { StackSettings } from './config';
import { OpenStackClusterInfra } from './openstack/cluster-infra';
import { ManagementCluster } from './openstack/management-cluster';
import { hasEtcdMachines } from './openstack/security-rules';
import { ClusterPki } from './pki/cluster-pki';
import { ClusterSecrets } from './pki/cluster-secrets';
import { EtcdPki } from './pki/etcd-pki';

/** Outputs of one cluster. */
export interface ClusterOutputs {
  /** `https://<host>:<port>` clients dial. */
  readonly endpoint: pulumi.Output<string>;
  /** Reserved VIP (OpenStack keepalived-haproxy / kube-vip). */
  readonly vip?: pulumi.Output<string>;
  readonly networkId?: pulumi.Output<string>;
  readonly subnetId?: pulumi.Output<string>;
  readonly securityGroupIds?: pulumi.Output<Record<string, string>>;
  /** etcd client URLs (external etcd). */
  readonly etcdEndpoints?: readonly string[];
  readonly etcdEventsEndpoints?: readonly string[];
  /** etcd CA certificate (secret-tainted because it was issued with the key). */
  readonly etcdCaCert?: pulumi.Output<string>;
  /** admin kubeconfig (static-host clusters; secret). */
  readonly kubeconfig?: pulumi.Output<string>;
  /** Names of the Secrets written into `<env>-<cluster>` on the management cluster. */
  readonly secrets?: readonly string[];
  /** Argo CD destination name, when registered. */
  readonly argocdCluster?: string;
}

export interface StackOutputs {
  readonly environment: string;
  readonly clusters: Record<string, ClusterOutputs>;
  readonly managementAddresses?: pulumi.Output<string[]>;
  readonly argocdRootApplication?: string;
}

export function findEnvironment(settings: Pick<StackSettings, 'fleet' | 'environment'>): EnvironmentSpec {
  const env = settings.fleet.environments.find((e) => e.name === settings.environment);
  if (!env) throw new Error(`kprod:environment: "${settings.environment}" is not an environment of the fleet; have ${settings.fleet.environments.map((e) => e.name).join(', ')}`);
  return env;
}

/** Builds every resource of the environment; returns what the stack exports. */
export function buildStack(settings: StackSettings): StackOutputs {
  const env = findEnvironment(settings);
  const onlyCluster = env.clusters.length === 1;
  const unknown = settings.hosts.filter((h) => h.cluster && !env.clusters.some((c) => c.name === h.cluster));
  if (unknown.length) throw new Error(`kprod:hosts: ${unknown.map((h) => `${h.name} names cluster "${h.cluster}"`).join('; ')}, not a cluster of environment ${env.name}`);
  if (!onlyCluster && settings.hosts.some((h) => !h.cluster)) throw new Error(`kprod:hosts: environment ${env.name} has several clusters; set "cluster" on every host`);

  const management = settings.management ? new ManagementCluster(`${env.name}-management`, { environment: env.name, ...settings.management }) : undefined;
  const k8sProvider = settings.managementKubeconfig
    ? new k8s.Provider(`${env.name}-management`, { kubeconfig: settings.managementKubeconfig, enableServerSideApply: true })
    : undefined;
  if (!k8sProvider) pulumi.log.warn(`kprod:managementKubeconfig is not set: no Secrets, Cluster API or Argo CD are installed for environment ${env.name}`);

  if (settings.ironicFlavors) {
    const skus = Object.assign({}, ...env.clusters.map((c) => c.skus));
    new IronicFlavors(`${env.name}-ironic-flavors`, { skus });
  }

  let argo: ArgoCd | undefined;
  if (k8sProvider && settings.bootstrap) {
    const infrastructure = [...new Set(env.clusters.map((c) => c.infrastructure.provider))];
    new CapiProviders(`${env.name}-capi`, { provider: k8sProvider, infrastructure, versions: settings.versions });
    argo = new ArgoCd(`${env.name}-argocd`, { environment: env, provider: k8sProvider, chartVersion: settings.versions.argoCdChart, gitCredentials: settings.gitCredentials });
  }

  const clusters: Record<string, ClusterOutputs> = {};
  for (const cluster of env.clusters) clusters[cluster.name] = buildCluster(cluster, settings, { k8sProvider, argo, onlyCluster });
  return {
    environment: env.name,
    clusters,
    ...(management ? { managementAddresses: management.addresses } : {}),
    ...(argo ? { argocdRootApplication: rootApplicationName(env) } : {}),
  };
}

function buildCluster(
  cluster: ClusterSpec,
  settings: StackSettings,
  shared: { k8sProvider?: k8s.Provider; argo?: ArgoCd; onlyCluster: boolean },
): ClusterOutputs {
  const id = `${cluster.environment}-${cluster.name}`;
  const pki = new ClusterPki(`${id}-pki`, { cluster, ownClusterCa: settings.ownClusterCa, lifetimes: settings.lifetimes, encryptionKeyName: settings.encryptionKeyName });
  const etcdPki = hasEtcdMachines(cluster) ? new EtcdPki(`${id}-etcd-pki`, { cluster, lifetimes: settings.lifetimes }) : undefined;
  const ep = cluster.controlPlane.endpoint;
  let out: ClusterOutputs = { endpoint: pulumi.output(`https://${ep.host}:${ep.port}`) };

  if (cluster.infrastructure.provider === 'openstack') {
    const infra = new OpenStackClusterInfra(`${id}`, { cluster, etcdPki, ssh: settings.ssh, etcdBackupUpload: settings.etcdBackupUpload });
    out = {
      ...out,
      endpoint: infra.endpoint,
      networkId: infra.network.networkId,
      subnetId: infra.network.subnetId,
      securityGroupIds: infra.securityGroups.ids as pulumi.Output<Record<string, string>>,
      ...(infra.vip ? { vip: infra.vip.address } : {}),
      ...(infra.etcd ? { etcdEndpoints: infra.etcd.clientUrls } : {}),
      ...(infra.etcdEvents ? { etcdEventsEndpoints: infra.etcdEvents.clientUrls } : {}),
    };
  }
  if (etcdPki) out = { ...out, etcdCaCert: etcdPki.ca.certPem };

  const hosts = hostsOf(settings.hosts, cluster.name, shared.onlyCluster);
  if (hosts.length) {
    if (!settings.ssh) throw new Error(`kprod:hosts lists hosts of cluster ${cluster.name} but kprod:sshPrivateKey is not set`);
    const bootstrap = new KubeadmHosts(`${id}-hosts`, {
      cluster,
      hosts,
      ssh: settings.ssh,
      encryptionConfig: pki.encryptionConfig,
      clusterCa: pki.clusterCa,
      etcd: etcdPki ? { caCertPem: etcdPki.ca.certPem, apiserverClient: etcdPki.apiserverClient } : undefined,
    });
    out = { ...out, kubeconfig: bootstrap.kubeconfig };
  }

  // Cluster API objects are for clusters not bootstrapped over SSH.
  if (shared.k8sProvider && !hosts.length) {
    const secrets = new ClusterSecrets(`${id}-secrets`, {
      cluster,
      provider: shared.k8sProvider,
      clusterCa: pki.clusterCa,
      etcd: etcdPki ? { ca: etcdPki.ca, apiserverClient: etcdPki.apiserverClient } : undefined,
      encryptionConfig: pki.encryptionConfig,
      cloudsYaml: cluster.infrastructure.provider === 'openstack' ? settings.cloudsYaml : undefined,
      cloudCaCert: settings.cloudCaCert,
      occmCloudConf: cluster.infrastructure.provider === 'openstack' ? settings.occmCloudConf : undefined,
    });
    out = { ...out, secrets: Object.keys(secrets.secrets) };
    if (cluster.infrastructure.provider === 'openstack' && !settings.cloudsYaml)
      pulumi.log.warn(`kprod:cloudsYaml is not set: CAPO has no credentials for cluster ${cluster.name}`);
    if (cluster.infrastructure.provider === 'openstack' && !settings.occmCloudConf)
      pulumi.log.warn(`kprod:occmCloudConf is not set: the ClusterResourceSet of cluster ${cluster.name} has no cloud-config Secret to apply, so OCCM cannot start and nodes keep the uninitialized taint`);
  }

  if (shared.k8sProvider && shared.argo) {
    const source = pki.clusterCa && cluster.controlPlane.endpoint.host
      ? { kind: 'ownCa' as const, clusterCa: pki.clusterCa, lifetimes: settings.lifetimes }
      : settings.registerClusters.includes(cluster.name)
        ? { kind: 'capiKubeconfig' as const }
        : undefined;
    if (source) {
      new ClusterRegistration(`${id}-registration`, {
        cluster,
        provider: shared.k8sProvider,
        argocdNamespace: shared.argo.namespace,
        source,
        dependsOn: [shared.argo.release],
        shard: shared.argo.clusterShard(cluster.name),
      });
      out = { ...out, argocdCluster: names.argocdCluster(cluster) };
    } else {
      pulumi.log.info(`cluster ${cluster.name}: not registered with Argo CD yet; after Cluster API created it, add it to kprod:registerClusters and run pulumi up again`);
    }
  }
  return out;
}
