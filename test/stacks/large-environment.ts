/** Test support: the example fleet's prod environment with many copies of its cluster. */
import { parseFleet, type EnvironmentSpec } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';

export interface LargeEnvironmentOptions {
  /** Workload clusters (copies of prod/eu-west-1, named c000, c001, ...). */
  readonly clusters: number;
  /** Tenants per cluster (the example's two plus generated ones). @default 2 */
  readonly tenants?: number;
  /** `gitops.argocd` of the environment. @default {} */
  readonly argocd?: Record<string, unknown>;
}

/** The fleet input: only the prod environment, with `clusters` copies of its cluster. */
export function largeFleet(o: LargeEnvironmentOptions): any {
  const fleet = exampleFleet();
  const env = fleet.environments[0];
  const template = env.clusters[0];
  env.clusters = Array.from({ length: o.clusters }, (_, i) => {
    const c = structuredClone(template);
    c.name = `c${String(i).padStart(3, '0')}`;
    const extra = Math.max(0, (o.tenants ?? 2) - c.tenants.length);
    c.tenants = [...c.tenants, ...Array.from({ length: extra }, (_, t) => ({ name: `t${t}`, owners: { groups: ['team'] }, namespaces: [{ name: `t${t}-prod` }] }))];
    return c;
  });
  env.gitops.argocd = o.argocd ?? {};
  fleet.environments = [env];
  return fleet;
}

export function largeEnvironment(o: LargeEnvironmentOptions): EnvironmentSpec {
  return parseFleet(largeFleet(o)).spec.environments[0];
}
