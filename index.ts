/**
 * kprod public API: the fleet spec and its validation, the synth into a GitOps tree, the
 * capability constructs and the renderers shared with the Pulumi stacks.
 */
export * from './lib/spec';
export * from './lib/gitops';
export { names } from './lib/naming';
export * from './lib/versions/supported';
export { synth, type SynthOptions, type SynthReport } from './constructs/synth';
export { synthFleet, synthCluster, CAPABILITIES, type Capability, type SynthOutput } from './constructs/fleet';
export type { ClusterContext, FolderOptions } from './constructs/context';
export { WorkloadCluster } from './constructs/cluster-api/cluster';
export { machineTemplate, type MachineTemplateProps, type ObjectRef } from './constructs/cluster-api/machine-template';
export { ArgoApplications, type GitopsFolder } from './constructs/gitops/applications';
export * as api from './lib/api';
export { synthAsync } from './constructs/synth';
export { synthFleetParallel, synthSpecParallel } from './constructs/parallel-synth';
export { PlatformEssentials } from './constructs/platform';
export { ControlPlane } from './constructs/control-plane/control-plane';
export { NodePools } from './constructs/node-pools/node-pools';
export { Observability } from './constructs/observability';
export { addTenancy } from './constructs/tenancy';
export { streamSynth, streamSynthAsync, type StreamSynthOptions, type StreamSynthResult } from './constructs/stream-synth';
export { clusterCacheKey, kprodCodeHash, SynthCache } from './constructs/synth-cache';
