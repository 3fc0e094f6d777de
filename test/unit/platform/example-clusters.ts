import { parseFleet, type ClusterSpec, type EnvironmentSpec } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';

/** The example fleet's clusters after parsing, with `edit` applied to the input first. */
export function exampleClusters(edit: (fleet: any) => void = () => {}): { prod: ClusterSpec; staging: ClusterSpec; prodEnv: EnvironmentSpec; stagingEnv: EnvironmentSpec } {
  const input = exampleFleet();
  edit(input);
  const { spec } = parseFleet(input);
  const [prodEnv, stagingEnv] = spec.environments;
  return { prod: prodEnv.clusters[0], staging: stagingEnv.clusters[0], prodEnv, stagingEnv };
}
