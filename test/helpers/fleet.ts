import example from '../../examples/fleet';
import type { FleetInput } from '../../lib/spec';

/** A deep, mutable copy of the example fleet for a test to change. */
export function exampleFleet(): any {
  return JSON.parse(JSON.stringify(example)) as FleetInput;
}
