/**
 * kprod public API: the fleet spec and its validation, the synth into a GitOps tree, the
 * capability constructs and the renderers shared with the Pulumi stacks.
 */
export * from './lib/spec';
export * from './lib/gitops';
export { names } from './lib/naming';
export * from './lib/versions/supported';
export { synth, type SynthOptions, type SynthReport } from './constructs/synth';
export { synthFleet, synthCluster, CAPABILITIES, type Capability, type CapabilityInput, type SynthOutput } from './constructs/fleet';
export type { ClusterContext, FolderOptions, ObjectQuery } from './constructs/context';
export { defineCapability } from './constructs/capabilities/contract';
export { capabilitySetKey, loadPlugin, parseOptionsOf, resolveCapabilities, type CapabilitySelection } from './constructs/capabilities/selection';
export { findObject, findObjects } from './constructs/capabilities/find';
export { Cni, describeCni, type CniProps } from './constructs/platform/cni';
export { helmAddonOptions, type HelmAddon } from './lib/addons/helm-application';
export { helmApplication, type HelmApplicationOptions, type PinnedChart } from './lib/platform/helm-application';
export { WorkloadCluster } from './constructs/cluster-api/cluster';
export { machineTemplate, type MachineTemplateProps, type ObjectRef } from './constructs/cluster-api/machine-template';
export { ArgoApplications, type GitopsFolder } from './constructs/gitops/applications';
export * as api from './lib/api';
export { checkFiles, checkTree, CheckFailedError, formatReport, type CheckOptions, type CheckReport, type CheckFailure, type CheckUnevaluated } from './lib/check';
export { synthAsync } from './constructs/synth';
export { synthFleetParallel, synthSpecParallel } from './constructs/parallel-synth';
export { PlatformEssentials } from './constructs/platform';
export { ControlPlane } from './constructs/control-plane/control-plane';
export { NodePools } from './constructs/node-pools/node-pools';
export { Observability } from './constructs/observability';
export { addTenancy } from './constructs/tenancy';
export { streamSynth, streamSynthAsync, type StreamSynthOptions, type StreamSynthResult } from './constructs/stream-synth';
export { clusterCacheKeys, kprodCodeHash, SynthCache } from './constructs/synth-cache';
