/**
 * The Argo CD application controller of an environment (`gitops.argocd.controller`): the sizing
 * rule, the fixed shards, and what the bootstrap stack renders for a small and a large
 * environment (Helm values, the in-cluster Secret, the shards of the cluster registrations).
 */
import { capiKubeconfigSecrets, installMockGraph } from '../../stacks/testing/mock-graph';

const KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'current-context: admin@c',
  'clusters: [{name: c, cluster: {server: "https://api.example.com:6443", certificate-authority-data: Q0E=}}]',
  'users: [{name: admin, user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}}]',
  'contexts: [{name: admin@c, context: {cluster: c, user: admin}}]',
].join('\n');
const graph = installMockGraph(capiKubeconfigSecrets(KUBECONFIG));

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import { synthFleet } from '../../constructs/fleet';
import type { ChartFacts } from '../../lib/versions/chart-facts';
import { CHARTS } from '../../lib/versions/pins';
import { parseFleet, type EnvironmentSpec } from '../../lib/spec';
import { ArgoCd } from '../../stacks/bootstrap/argocd';
import { controllerSettings, controllerValues, estimateApplications, SHARD_HEADROOM, type ShardAssignment } from '../../stacks/bootstrap/argocd-controller';
import { buildStack } from '../../stacks/program';
import { exampleFleet } from '../helpers/fleet';
import { stackSettings } from '../helpers/stack-settings';
import { largeEnvironment, largeFleet } from './large-environment';

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const SECRET = 'kubernetes:core/v1:Secret';
const clusterSecrets = () => graph.byType(SECRET).filter((s) => s.inputs.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster');
const example = (): EnvironmentSpec => parseFleet(exampleFleet()).spec.environments[0];
const moved = (a: ShardAssignment, b: ShardAssignment) => Object.keys(a.clusters).filter((c) => c in b.clusters && a.clusters[c] !== b.clusters[c]);

describe('the sizing rule', () => {
  it('estimates the Applications kprod writes for the example fleet within one per cluster', () => {
    const { spec } = parseFleet(exampleFleet());
    const written = [...synthFleet(spec).files.keys()].filter((f) => /\/argocd\/application_/.test(f));
    for (const env of spec.environments) {
      const actual = written.filter((f) => f.startsWith(`${env.name}/`)).length;
      const estimate = estimateApplications(env);
      expect([env.name, Math.abs(estimate.total - actual) <= env.clusters.length]).toEqual([env.name, true]);
      // the root and each cluster/ Application target the management cluster
      expect(estimate.inCluster).toBe(1 + env.clusters.length);
    }
  });

  it('a small environment keeps Argo CD as it comes: one replica, 20 and 10 processors, legacy, no fixed shards, no values', () => {
    const s = controllerSettings(example());
    expect([s.replicas, s.statusProcessors, s.operationProcessors, s.shardingAlgorithm, s.shards]).toEqual([1, 20, 10, 'legacy', undefined]);
    expect(s.applications).toEqual({ total: 14, inCluster: 2, byCluster: { 'eu-west-1': 12 } });
    expect(controllerValues(s)).toEqual({});
  });

  it('one replica per 1000 Applications, processors at the HA doc ratio of the busiest replica, every shard within the headroom', () => {
    // 500 clusters of 20 tenants: 30 Applications each, 501 on the management cluster
    const env = largeEnvironment({ clusters: 500, tenants: 20 });
    const s = controllerSettings(env);
    expect([s.applications.total, s.applications.inCluster, s.replicas]).toEqual([15501, 501, 16]);
    const fair = s.applications.total / s.replicas;
    expect(s.shards!.loads.length).toBe(16);
    expect(Math.max(...s.shards!.loads)).toBeLessThanOrEqual(fair * (1 + SHARD_HEADROOM));
    expect(s.shards!.loads.reduce((a, b) => a + b, 0)).toBe(s.applications.total);
    // shard 0 holds the management cluster and fewer workload clusters by its share
    const onShard0 = Object.values(s.shards!.clusters).filter((x) => x === 0).length;
    expect(onShard0).toBeLessThan(500 / 16);
    expect(s.busiestReplica).toBe(Math.max(...s.shards!.loads));
    expect([s.statusProcessors, s.operationProcessors]).toEqual([Math.ceil(s.busiestReplica / 20), Math.ceil(s.busiestReplica / 40)]);
    expect(controllerValues(s)).toEqual({
      controller: { replicas: 16 },
      configs: { params: { 'controller.status.processors': String(s.statusProcessors), 'controller.operation.processors': String(s.operationProcessors) } },
    });
  });

  it('leaves shard 0 to the management cluster when its Applications are about a full share (per-cluster layout)', () => {
    const s = controllerSettings(largeEnvironment({ clusters: 500, tenants: 20, argocd: { layout: 'per-cluster' } }));
    expect([s.applications.inCluster, s.replicas]).toEqual([1001, 17]);
    // room for one cluster of 30 Applications within the headroom, no more
    expect(Object.values(s.shards!.clusters).filter((x) => x === 0).length).toBeLessThanOrEqual(1);
    expect(s.shards!.loads[0]).toBeLessThanOrEqual((s.applications.total / 17) * (1 + SHARD_HEADROOM));
  });

  it('moves few clusters when a cluster or a tenant is added or a replica more is set', () => {
    const base = controllerSettings(largeEnvironment({ clusters: 500, tenants: 20 })).shards!;
    const plusCluster = controllerSettings(largeEnvironment({ clusters: 501, tenants: 20 })).shards!;
    expect(moved(base, plusCluster).length).toBeLessThanOrEqual(5);
    const input = largeFleet({ clusters: 500, tenants: 20 });
    input.environments[0].clusters[7].tenants.push({ name: 'extra', owners: { groups: ['team'] }, namespaces: [{ name: 'extra-prod' }] });
    expect(moved(base, controllerSettings(parseFleet(input).spec.environments[0]).shards!)).toEqual([]);
    // Argo CD's legacy placement (hash modulo replicas) would move nearly every cluster
    const plusReplica = controllerSettings(largeEnvironment({ clusters: 500, tenants: 20, argocd: { controller: { replicas: 17 } } })).shards!;
    expect(moved(base, plusReplica).length).toBeLessThanOrEqual(50);
  });

  it('takes the spec settings as given; with shards: argocd, shard 0 is sized for the management cluster plus its share', () => {
    const env = largeEnvironment({ clusters: 100, tenants: 20, argocd: { controller: { replicas: 4, statusProcessors: 70, shardingAlgorithm: 'consistent-hashing', shards: 'argocd' } } });
    const s = controllerSettings(env);
    expect([s.replicas, s.statusProcessors, s.shards]).toEqual([4, 70, undefined]);
    expect(s.busiestReplica).toBe(101 + Math.ceil(3000 / 4));
    expect(s.operationProcessors).toBe(Math.ceil(s.busiestReplica / 40));
    expect(controllerValues(s)).toEqual({
      controller: { replicas: 4 },
      configs: { params: { 'controller.status.processors': '70', 'controller.operation.processors': String(s.operationProcessors), 'controller.sharding.algorithm': 'consistent-hashing' } },
    });
  });

  it('never derives more replicas than clusters, nor more processors than 1000', () => {
    // one cluster of 2500 tenants: 2500+ Applications but only 2 clusters to shard
    expect(controllerSettings(largeEnvironment({ clusters: 1, tenants: 2500 })).replicas).toBe(2);
    const one = controllerSettings(largeEnvironment({ clusters: 500, tenants: 20, argocd: { controller: { replicas: 1 } } }));
    expect([one.busiestReplica, one.statusProcessors, one.operationProcessors]).toEqual([15501, 776, 388]);
    const huge = controllerSettings(largeEnvironment({ clusters: 700, tenants: 20, argocd: { controller: { replicas: 1 } } }));
    expect([huge.busiestReplica, huge.statusProcessors, huge.operationProcessors]).toEqual([21701, 1000, 543]);
  });
});

describe('the bootstrap stack', () => {
  it('small environment: the argo-cd values and the cluster Secrets are as before (no controller values, no in-cluster Secret, no shard)', async () => {
    graph.reset();
    const provider = new k8s.Provider('mgmt', { kubeconfig: 'x' });
    const argo = new ArgoCd('argo', { environment: example(), provider });
    await graph.settle();
    const values = graph.byType(RELEASE)[0].inputs.values;
    expect(Object.keys(values)).toEqual(['configs']);
    expect(Object.keys(values.configs)).toEqual(['cm']);
    expect(argo.inClusterSecret).toBeUndefined();
    expect(clusterSecrets()).toEqual([]);
    expect(argo.clusterShard('eu-west-1')).toBeUndefined();
  });

  it('large environment: replicas and processors as chart values, the in-cluster Secret on shard 0 after the release', async () => {
    graph.reset();
    const provider = new k8s.Provider('mgmt', { kubeconfig: 'x' });
    const env = largeEnvironment({ clusters: 500, tenants: 20 });
    const argo = new ArgoCd('argo', { environment: env, provider });
    await graph.settle();
    const values = graph.byType(RELEASE)[0].inputs.values;
    expect(values.controller).toEqual({ replicas: 16 });
    expect(values.configs.params).toEqual({ 'controller.status.processors': String(argo.controller.statusProcessors), 'controller.operation.processors': String(argo.controller.operationProcessors) });
    expect(values.configs.cm['resource.customizations.health.argoproj.io_Application']).toMatch(/return hs/);
    const [inCluster] = clusterSecrets();
    expect(inCluster.inputs).toMatchObject({
      metadata: { name: 'in-cluster', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', 'kprod.io/environment': 'prod' } },
      type: 'Opaque',
      stringData: { name: 'in-cluster', server: 'https://kubernetes.default.svc', shard: '0' },
    });
    expect(inCluster.inputs.stringData.config).toBeUndefined();
    expect(inCluster.dependsOn).toContain('argo-argo-cd');
    expect(graph.one('kubernetes:argoproj.io/v1alpha1:Application', 'argo-root').dependsOn).toContain('argo-in-cluster');
    expect(argo.clusterShard('c000')).toBe(argo.controller.shards!.clusters.c000);
  });

  it('the environment program writes each registration its shard', async () => {
    graph.reset();
    const input = largeFleet({ clusters: 6, argocd: { controller: { replicas: 3 } } });
    const names = input.environments[0].clusters.map((c: { name: string }) => c.name);
    const settings = stackSettings(parseFleet(input).spec, { registerClusters: names });
    buildStack(settings);
    await graph.settle();
    const expected = controllerSettings(settings.fleet.environments[0]).shards!;
    const shards = Object.fromEntries(clusterSecrets().map((s) => [s.inputs.stringData.name, s.inputs.stringData.shard]));
    expect(shards).toEqual({ 'in-cluster': '0', ...Object.fromEntries(names.map((n: string) => [`prod-${n}`, String(expected.clusters[n])])) });
    // three shards, all used
    expect(new Set(Object.values(shards)).size).toBe(3);
    // only fields Argo CD reads from a cluster Secret (upstream/charts facts, Argo CD at the chart's appVersion)
    const argo: ChartFacts = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'upstream', 'charts', `argo-cd-${CHARTS.argoCd.version}.json`), 'utf8'));
    const fields = (argo.app as unknown as { clusterSecretFields: string[] }).clusterSecretFields;
    for (const s of clusterSecrets()) expect([s.inputs.metadata.name, Object.keys(s.inputs.stringData).filter((k) => !fields.includes(k))]).toEqual([s.inputs.metadata.name, []]);
  });
});
