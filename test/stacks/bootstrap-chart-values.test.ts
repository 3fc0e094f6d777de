/**
 * The Helm releases the bootstrap stack installs on the management cluster set only values keys
 * that exist in the pinned chart versions (upstream/charts facts), and use the pinned versions.
 */
import { installMockGraph } from '../../stacks/testing/mock-graph';

const graph = installMockGraph(() => undefined);

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import example from '../../examples/fleet';
import { parseFleet, type FleetInput } from '../../lib/spec';
import { unknownValuesKeys, type ChartFacts } from '../../lib/versions/chart-facts';
import { CHARTS } from '../../lib/versions/pins';
import { SHARDING_ALGORITHMS } from '../../lib/spec/schema/argocd-controller';
import { ArgoCd } from '../../stacks/bootstrap/argocd';
import { ARGOCD_CONTROLLER_DEFAULTS, IN_CLUSTER_NAME } from '../../stacks/bootstrap/argocd-controller';
import { CapiProviders } from '../../stacks/bootstrap/capi-providers';
import { largeEnvironment } from './large-environment';

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const facts = (chart: string, version: string): ChartFacts =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'upstream', 'charts', `${chart}-${version}.json`), 'utf8'));

describe('bootstrap Helm releases against the chart facts', () => {
  it('cert-manager, cluster-api-operator and argo-cd: pinned versions, only keys the charts have', async () => {
    graph.reset();
    const provider = new k8s.Provider('mgmt', { kubeconfig: 'x' });
    new CapiProviders('capi', { provider, infrastructure: ['openstack', 'metal3'] });
    const env = parseFleet(structuredClone(example) as FleetInput).spec.environments[0];
    new ArgoCd('argo', { environment: env, provider, gitCredentials: { username: 'bot', password: pulumi.secret('pw') } });
    await graph.settle();
    const releases = graph.byType(RELEASE).map((r) => r.inputs);
    expect(releases.map((r) => [r.chart, r.version]).sort()).toEqual(
      [CHARTS.argoCd, CHARTS.certManager, CHARTS.clusterApiOperator].map((c) => [c.chart, c.version]).sort(),
    );
    for (const r of releases) expect([r.chart, unknownValuesKeys(r.values ?? {}, facts(r.chart, r.version))]).toEqual([r.chart, []]);
    // the keys actually set are the ones the tests above vouch for
    const certManager = releases.find((r) => r.chart === 'cert-manager')!;
    expect(certManager.values).toEqual({ crds: { enabled: true } });
    expect(facts('cert-manager', CHARTS.certManager.version).valuesKeys).toContain('crds.enabled');
    // argocd-cm entries are free-form: the chart renders configs.cm whole into the ConfigMap
    expect(facts('argo-cd', CHARTS.argoCd.version).wholeKeys).toContain('configs.cm');
  });

  describe('the application controller settings of a large environment', () => {
    const argo = facts('argo-cd', CHARTS.argoCd.version);
    const app = argo.app as unknown as {
      ref: string;
      shardingAlgorithms: string[];
      defaultShardingAlgorithm: string;
      processorDefaults: Record<string, { env: string; default: number }>;
      clusterSecretFields: string[];
      inClusterServer: string;
      inClusterName: string;
    };
    const render = async () => {
      graph.reset();
      const provider = new k8s.Provider('mgmt', { kubeconfig: 'x' });
      const env = largeEnvironment({ clusters: 300, tenants: 20, argocd: { controller: { shardingAlgorithm: 'round-robin' } } });
      new ArgoCd('argo', { environment: env, provider });
      await graph.settle();
      return { values: graph.byType(RELEASE)[0].inputs.values, secrets: graph.byType('kubernetes:core/v1:Secret').map((r) => r.inputs) };
    };

    it('sets replicas, processors and the algorithm through keys the pinned chart has, and no key it does not', async () => {
      const { values } = await render();
      expect(unknownValuesKeys(values, argo)).toEqual([]);
      expect(Object.keys(values).sort()).toEqual(['configs', 'controller']);
      expect(Object.keys(values.controller)).toEqual(['replicas']);
      expect(argo.valuesKeys).toContain('controller.replicas');
      // the chart sets ARGOCD_CONTROLLER_REPLICAS from controller.replicas itself: kprod sets no variable
      expect(argo.envFromValues?.ARGOCD_CONTROLLER_REPLICAS).toEqual(['controller.replicas']);
      // configs.params is rendered whole into argocd-cmd-params-cm; each key kprod puts there is one the chart's controller reads
      expect(Object.keys(values.configs.params).sort()).toEqual(['controller.operation.processors', 'controller.sharding.algorithm', 'controller.status.processors']);
      for (const key of Object.keys(values.configs.params)) expect([key, argo.configMapKeys?.['argocd-cmd-params-cm']?.includes(key)]).toEqual([key, true]);
      expect(argo.wholeKeys).toContain('configs.params');
      expect(SHARDING_ALGORITHMS).toContain(values.configs.params['controller.sharding.algorithm']);
    });

    it("knows Argo CD's algorithm names and defaults as the chart's appVersion has them", () => {
      expect(app.ref).toBe(argo.appVersion);
      expect([...SHARDING_ALGORITHMS].sort()).toEqual(app.shardingAlgorithms);
      expect(ARGOCD_CONTROLLER_DEFAULTS.shardingAlgorithm).toBe(app.defaultShardingAlgorithm);
      expect([ARGOCD_CONTROLLER_DEFAULTS.statusProcessors, ARGOCD_CONTROLLER_DEFAULTS.operationProcessors]).toEqual([
        app.processorDefaults['status-processors'].default,
        app.processorDefaults['operation-processors'].default,
      ]);
      expect(ARGOCD_CONTROLLER_DEFAULTS.replicas).toBe(1);
    });

    it('writes cluster Secrets with fields Argo CD reads, the in-cluster one for its in-cluster address', async () => {
      const { secrets } = await render();
      const clusters = secrets.filter((s) => s.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster');
      expect(clusters.length).toBe(1);
      for (const s of clusters) expect(Object.keys(s.stringData).filter((k) => !app.clusterSecretFields.includes(k))).toEqual([]);
      expect([clusters[0].stringData.name, clusters[0].stringData.server]).toEqual([app.inClusterName, app.inClusterServer]);
      expect(IN_CLUSTER_NAME).toBe(app.inClusterName);
    });
  });
});
