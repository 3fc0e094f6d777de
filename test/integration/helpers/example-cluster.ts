import { exampleFleet } from '../../helpers/fleet';
import { parseFleet, type ClusterSpec } from '../../../lib/spec';

/** A cluster of the example fleet after parsing, optionally changed first. */
export function exampleCluster(name: 'eu-west-1' | 'dc1', change: (cluster: any) => void = () => {}): ClusterSpec {
  const input = exampleFleet();
  for (const env of input.environments) for (const c of env.clusters) if (c.name === name) change(c);
  const spec = parseFleet(input).spec;
  const cluster = spec.environments.flatMap((e) => e.clusters).find((c) => c.name === name);
  if (!cluster) throw new Error(`no cluster ${name}`);
  return cluster;
}
