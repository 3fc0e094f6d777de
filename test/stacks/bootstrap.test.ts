/**
 * Management-cluster bootstrap: pinned Cluster API providers through the operator, Argo CD and
 * its root Application, registration of workload clusters as Argo CD cluster Secrets; and the
 * whole environment program wired from settings.
 */
import { capiKubeconfigSecrets, installMockGraph } from '../../stacks/testing/mock-graph';

const KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'current-context: dc1-admin@dc1',
  'clusters: [{name: dc1, cluster: {server: "https://api.dc1.staging.example.com:6443", certificate-authority-data: Q0E=}}]',
  'users: [{name: dc1-admin, user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}}]',
  'contexts: [{name: dc1-admin@dc1, context: {cluster: dc1, user: dc1-admin}}]',
].join('\n');
const graph = installMockGraph(capiKubeconfigSecrets(KUBECONFIG));

import * as k8s from '@pulumi/kubernetes';
import example from '../../examples/fleet';
import { parseFleet, type FleetInput, type FleetSpec } from '../../lib/spec';
import { ArgoCd } from '../../stacks/bootstrap/argocd';
import { CapiProviders } from '../../stacks/bootstrap/capi-providers';
import { argoClusterFromKubeconfig } from '../../stacks/bootstrap/cluster-registration';
import { DEFAULT_VERSIONS } from '../../stacks/bootstrap/versions';
import { buildStack } from '../../stacks/program';
import type { StackSettings } from '../../stacks/config';
import { stackSettings } from '../helpers/stack-settings';
import * as pulumi from '@pulumi/pulumi';

const fleet = (): FleetSpec => parseFleet(structuredClone(example) as FleetInput).spec;
const OPERATOR = 'kubernetes:operator.cluster.x-k8s.io/v1alpha2:';
const APPLICATION = 'kubernetes:argoproj.io/v1alpha1:Application';
const providerObjects = () => graph.resources.filter((r) => r.type.startsWith(OPERATOR));
const RELEASE = 'kubernetes:helm.sh/v3:Release';

const settings = (over: Partial<StackSettings>): StackSettings => stackSettings(fleet(), over);

describe('Cluster API providers', () => {
  it('operator and cert-manager as pinned Helm releases, providers with pinned versions', async () => {
    graph.reset();
    const provider = new k8s.Provider('mgmt', { kubeconfig: 'x' });
    new CapiProviders('capi', { provider, infrastructure: ['openstack', 'metal3'] });
    await graph.settle();
    const releases = Object.fromEntries(graph.byType(RELEASE).map((r) => [r.inputs.chart, r.inputs]));
    expect(releases['cluster-api-operator']).toMatchObject({ version: DEFAULT_VERSIONS.capiOperatorChart, repositoryOpts: { repo: 'https://kubernetes-sigs.github.io/cluster-api-operator' } });
    expect(releases['cert-manager'].version).toBe(DEFAULT_VERSIONS.certManagerChart);
    const providers = providerObjects().map((c) => `${c.inputs.kind}/${c.inputs.metadata.name}@${c.inputs.metadata.namespace}=${c.inputs.spec.version}`);
    expect(providers.sort()).toEqual(
      [
        'CoreProvider/cluster-api@capi-system=v1.14.0',
        'BootstrapProvider/kubeadm@capi-kubeadm-bootstrap-system=v1.14.0',
        'ControlPlaneProvider/kubeadm@capi-kubeadm-control-plane-system=v1.14.0',
        'InfrastructureProvider/openstack@capo-system=v0.14.7',
        'InfrastructureProvider/metal3@capm3-system=v1.13.2',
      ].sort(),
    );
    for (const c of providerObjects()) expect(c.inputs.apiVersion).toBe('operator.cluster.x-k8s.io/v1alpha2');
    // Day 2: MachineSet preflight checks stay on (they hold new workers while the control plane upgrades).
    expect(graph.one(`${OPERATOR}CoreProvider`, 'capi-coreprovider-cluster-api').inputs.spec.manager).toEqual({ featureGates: { MachineSetPreflightChecks: true } });
    const infra = graph.one(`${OPERATOR}InfrastructureProvider`, 'capi-infrastructureprovider-openstack');
    expect(infra.dependsOn).toContain('capi-orc');
    expect(graph.one('kubernetes:yaml/v2:ConfigFile', 'capi-orc').inputs.file).toBe(`https://github.com/k-orc/openstack-resource-controller/releases/download/${DEFAULT_VERSIONS.orc}/install.yaml`);
    expect(infra.dependsOn).toContain('capi-coreprovider-cluster-api');
    expect(infra.dependsOn).toContain('capi-capi-operator');
  });
});

describe('Argo CD', () => {
  it('pinned chart and the root Application at dist/<env>/argocd of the environment repository', async () => {
    graph.reset();
    const provider = new k8s.Provider('mgmt', { kubeconfig: 'x' });
    const env = fleet().environments[0];
    new ArgoCd('argo', { environment: env, provider, gitCredentials: { username: 'bot', password: pulumi.secret('pw') } });
    await graph.settle();
    expect(graph.byType(RELEASE).map((r) => [r.inputs.chart, r.inputs.version, r.inputs.namespace])).toEqual([['argo-cd', DEFAULT_VERSIONS.argoCdChart, 'argocd']]);
    // Application health is assessed again, so the root app waits for each sync wave to be healthy.
    const health: string = graph.byType(RELEASE)[0].inputs.values.configs.cm['resource.customizations.health.argoproj.io_Application'];
    expect(health).toMatch(/hs\.status = obj\.status\.health\.status/);
    expect(health).toMatch(/return hs$/);
    // Day 2: Cluster API rollouts gate the sync waves of the cluster/ Application.
    const cm = graph.byType(RELEASE)[0].inputs.values.configs.cm;
    expect(cm['resource.customizations.health.controlplane.cluster.x-k8s.io_KubeadmControlPlane']).toMatch(/hs\.status = "Healthy"/);
    expect(cm['resource.customizations.health.cluster.x-k8s.io_MachineDeployment']).toMatch(/upToDateReplicas/);
    expect(cm['resource.customizations.health.cluster.x-k8s.io_Cluster']).toMatch(/RollingOut/);
    const root = graph.one(APPLICATION, 'argo-root');
    expect(root.inputs).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'prod-root', namespace: 'argocd' },
      spec: {
        source: { repoURL: 'https://git.example.com/platform/fleet.git', targetRevision: 'main', path: 'dist/prod/argocd' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      },
    });
    const repo = graph.byType('kubernetes:core/v1:Secret').find((s) => s.inputs.metadata?.name === 'prod-gitops-repository')!;
    expect(repo.inputs.metadata.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'repository' });
    expect(repo.inputs.stringData).toEqual({ type: 'git', url: 'https://git.example.com/platform/fleet.git', username: 'bot', password: 'pw' });
    expect(repo.secretInputs.has('stringData')).toBe(true);
    expect(root.dependsOn).toContain('argo-repository');
    // Day 2: the root Application's own least-privilege project exists first (the same object as in dist/).
    expect(root.inputs.spec.project).toBe('prod-root');
    expect(root.dependsOn).toContain('argo-root-project');
    expect(graph.one('kubernetes:argoproj.io/v1alpha1:AppProject', 'argo-root-project').inputs.spec.clusterResourceWhitelist).toEqual([]);
  });
});

describe('the environment program', () => {
  const clusterSecret = () => graph.byType('kubernetes:core/v1:Secret').filter((s) => s.inputs.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster');

  it('prod with an own CA: OpenStack infrastructure, CAPI Secrets, and an Argo CD cluster Secret <env>-<cluster> from a client certificate', async () => {
    graph.reset();
    const out = buildStack(settings({ ownClusterCa: true }));
    await graph.settle();
    expect(out.clusters['eu-west-1'].secrets).toEqual(
      expect.arrayContaining(['eu-west-1-ca', 'eu-west-1-etcd', 'eu-west-1-apiserver-etcd-client', 'eu-west-1-encryption', 'eu-west-1-cloud-config']),
    );
    expect(graph.byType('openstack:compute/instance:Instance')).toHaveLength(6);
    // kprod:occmCloudConf not set: no ClusterResourceSet Secret.
    expect(out.clusters['eu-west-1'].secrets).not.toContain('eu-west-1-occm-cloud-config');
    const [reg] = clusterSecret();
    expect(reg.inputs.metadata).toMatchObject({ name: 'prod-eu-west-1', namespace: 'argocd' });
    expect(reg.secretInputs.has('stringData')).toBe(true);
    expect(reg.inputs.stringData.name).toBe('prod-eu-west-1');
    expect(reg.inputs.stringData.server).toBe('https://api.eu-west-1.prod.example.com:8443');
    const config = JSON.parse(reg.inputs.stringData.config);
    expect(Buffer.from(config.tlsClientConfig.caData, 'base64').toString()).toContain('cluster-ca-cert');
    const csr = graph.one('tls:index/certRequest:CertRequest', 'prod-eu-west-1-registration-argocd-client-csr');
    expect(csr.inputs.subject).toEqual({ commonName: 'kprod-argocd', organization: 'kubeadm:cluster-admins' });
    expect(reg.dependsOn).toContain('prod-argocd-argo-cd');
    expect(await new Promise((r) => pulumi.all([out.clusters['eu-west-1'].vip]).apply(([v]) => r(v)))).toBe('10.10.16.10');
  });

  it('without an own CA a cluster is registered only when listed, from the Cluster API kubeconfig Secret', async () => {
    graph.reset();
    buildStack(settings({ environment: 'staging' }));
    await graph.settle();
    expect(clusterSecret()).toEqual([]);
    graph.reset();
    buildStack(settings({ environment: 'staging', registerClusters: ['dc1'] }));
    await graph.settle();
    const read = graph.resources.find((r) => r.read && r.type === 'kubernetes:core/v1:Secret')!;
    expect(read.id).toBe('staging-dc1/dc1-kubeconfig');
    const [reg] = clusterSecret();
    expect(reg.inputs.metadata.name).toBe('staging-dc1');
    expect(reg.inputs.stringData.server).toBe('https://api.dc1.staging.example.com:6443');
    expect(JSON.parse(reg.inputs.stringData.config)).toEqual({ tlsClientConfig: { caData: 'Q0E=', certData: 'Q0VSVA==', keyData: 'S0VZ' } });
    // metal3 cluster: no OpenStack resources, no cloud-config Secret
    expect(graph.resources.filter((r) => r.type.startsWith('openstack:'))).toEqual([]);
    expect(graph.byType('kubernetes:core/v1:Secret').map((s) => s.inputs.metadata?.name)).not.toContain('dc1-cloud-config');
  });

  it('kprod:occmCloudConf becomes the ClusterResourceSet Secret of each OpenStack cluster only', async () => {
    graph.reset();
    const out = buildStack(settings({ occmCloudConf: pulumi.secret('[Global]\nauth-url=https://keystone.example.com:5000/v3\n') }));
    await graph.settle();
    expect(out.clusters['eu-west-1'].secrets).toContain('eu-west-1-occm-cloud-config');
    const secret = graph.byType('kubernetes:core/v1:Secret').find((s) => s.inputs.metadata?.name === 'eu-west-1-occm-cloud-config')!;
    expect(secret.inputs.type).toBe('addons.cluster.x-k8s.io/resource-set');
    expect(secret.secretInputs.has('stringData')).toBe(true);
    expect(secret.inputs.stringData['cloud-config.yaml']).toContain('auth-url=https://keystone.example.com:5000/v3');
    graph.reset();
    buildStack(settings({ environment: 'staging', occmCloudConf: pulumi.secret('[Global]\n') }));
    await graph.settle();
    expect(graph.byType('kubernetes:core/v1:Secret').map((s) => s.inputs.metadata?.name)).not.toContain('dc1-occm-cloud-config');
  });

  it('without a management kubeconfig nothing is written into Kubernetes', async () => {
    graph.reset();
    buildStack(settings({ managementKubeconfig: undefined }));
    await graph.settle();
    expect(graph.resources.filter((r) => r.type.startsWith('kubernetes:'))).toEqual([]);
    expect(graph.byType('openstack:networking/secGroup:SecGroup')).toHaveLength(3);
  });

  it('rejects an unknown environment and hosts of unknown clusters, naming the setting', () => {
    expect(() => buildStack(settings({ environment: 'qa' }))).toThrow(/kprod:environment: "qa".*have prod, staging/);
    expect(() => buildStack(settings({ hosts: [{ name: 'h', address: '10.0.0.1', role: 'worker', cluster: 'nope' }] }))).toThrow(/kprod:hosts: h names cluster "nope"/);
  });
});

describe('kubeconfig parsing', () => {
  it('needs client certificate authentication', () => {
    expect(() => argoClusterFromKubeconfig('apiVersion: v1\nkind: Config\ncontexts: []\n')).toThrow(/client-certificate-data/);
  });
});
