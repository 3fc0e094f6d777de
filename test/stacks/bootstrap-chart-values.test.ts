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
import { ArgoCd } from '../../stacks/bootstrap/argocd';
import { CapiProviders } from '../../stacks/bootstrap/capi-providers';

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
});
