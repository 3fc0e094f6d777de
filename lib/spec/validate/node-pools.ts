// Owned by the node-pools helper.
import type { Rule } from './rule';

/** Node-pool rules (allocatable above the floor, thresholds, GPU taints). */
export const nodePoolRules: Rule = () => {};
