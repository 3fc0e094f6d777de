/**
 * Typed Cluster API, CAPO and Metal3 objects: the `spec` types are generated from the upstream CRDs
 * (`lib/api/generated/`, see scripts/generate-api-types.mjs); this file adds apiVersion, kind and
 * metadata so an object literal is checked whole. Types only: nothing here runs.
 */
import type { ClusterSpec, MachineDeploymentSpec, MachineHealthCheckSpec } from './generated/cluster.x-k8s.io-v1beta2';
import type { KubeadmControlPlaneSpec } from './generated/controlplane.cluster.x-k8s.io-v1beta2';
import type { KubeadmConfigTemplateSpec } from './generated/bootstrap.cluster.x-k8s.io-v1beta2';
import type { OpenStackClusterSpec, OpenStackMachineTemplateSpec } from './generated/infrastructure.cluster.x-k8s.io-v1beta1';
import type { Metal3ClusterSpec, Metal3MachineTemplateSpec } from './generated/infrastructure.cluster.x-k8s.io-v1beta2';

export type {
  ClusterSpec as CapiClusterSpec,
  MachineDeploymentSpec,
  MachineHealthCheckSpec,
  KubeadmControlPlaneSpec,
  KubeadmConfigTemplateSpec,
  OpenStackClusterSpec,
  OpenStackMachineTemplateSpec,
  Metal3ClusterSpec,
  Metal3MachineTemplateSpec,
};

export const CLUSTER_API_VERSION = 'cluster.x-k8s.io/v1beta2';
export const CONTROL_PLANE_API_VERSION = 'controlplane.cluster.x-k8s.io/v1beta2';
export const BOOTSTRAP_API_VERSION = 'bootstrap.cluster.x-k8s.io/v1beta2';
/** CAPO v0.14 serves only v1beta1. */
export const OPENSTACK_API_VERSION = 'infrastructure.cluster.x-k8s.io/v1beta1';
export const METAL3_API_VERSION = 'infrastructure.cluster.x-k8s.io/v1beta2';

/** The metadata kprod writes: always a name, namespaced kinds also a namespace. */
export interface ObjectMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A whole object of `Kind` at `ApiVersion` with the generated `Spec`. */
export interface TypedObject<ApiVersion extends string, Kind extends string, Spec> {
  apiVersion: ApiVersion;
  kind: Kind;
  metadata: ObjectMetadata;
  spec: Spec;
}

/** The Cluster API `Cluster` (named to keep it apart from kprod's own ClusterSpec). */
export type CapiCluster = TypedObject<typeof CLUSTER_API_VERSION, 'Cluster', ClusterSpec>;
export type MachineDeployment = TypedObject<typeof CLUSTER_API_VERSION, 'MachineDeployment', MachineDeploymentSpec>;
export type MachineHealthCheck = TypedObject<typeof CLUSTER_API_VERSION, 'MachineHealthCheck', MachineHealthCheckSpec>;
export type KubeadmControlPlane = TypedObject<typeof CONTROL_PLANE_API_VERSION, 'KubeadmControlPlane', KubeadmControlPlaneSpec>;
export type KubeadmConfigTemplate = TypedObject<typeof BOOTSTRAP_API_VERSION, 'KubeadmConfigTemplate', KubeadmConfigTemplateSpec>;
export type OpenStackCluster = TypedObject<typeof OPENSTACK_API_VERSION, 'OpenStackCluster', OpenStackClusterSpec>;
export type OpenStackMachineTemplate = TypedObject<typeof OPENSTACK_API_VERSION, 'OpenStackMachineTemplate', OpenStackMachineTemplateSpec>;
export type Metal3Cluster = TypedObject<typeof METAL3_API_VERSION, 'Metal3Cluster', Metal3ClusterSpec>;
export type Metal3MachineTemplate = TypedObject<typeof METAL3_API_VERSION, 'Metal3MachineTemplate', Metal3MachineTemplateSpec>;

// Named parts the renderers build separately (indexed from the generated specs, so they cannot drift).

/** `KubeadmControlPlane.spec.kubeadmConfigSpec`. */
export type KubeadmConfigSpec = NonNullable<KubeadmControlPlaneSpec['kubeadmConfigSpec']>;
/** `kubeadmConfigSpec.clusterConfiguration` (kubeadm v1beta4 shape: extraArgs as lists). */
export type KubeadmClusterConfiguration = NonNullable<KubeadmConfigSpec['clusterConfiguration']>;
/** `clusterConfiguration.etcd`: local (stacked) or external. */
export type KubeadmEtcd = NonNullable<KubeadmClusterConfiguration['etcd']>;
/** One `apiServer.extraVolumes[]` entry. */
export type KubeadmHostPathMount = NonNullable<NonNullable<KubeadmClusterConfiguration['apiServer']>['extraVolumes']>[number];
/** `initConfiguration.nodeRegistration` (the same shape as joinConfiguration's). */
export type KubeadmNodeRegistration = NonNullable<NonNullable<KubeadmConfigSpec['initConfiguration']>['nodeRegistration']>;
/** One `files[]` entry. */
export type KubeadmConfigFile = NonNullable<KubeadmConfigSpec['files']>[number];
/** `KubeadmConfigTemplate.spec.template.spec`: the bootstrap config of a worker. */
export type WorkerKubeadmConfigSpec = NonNullable<KubeadmConfigTemplateSpec['template']['spec']>;
/** `OpenStackMachineTemplate.spec.template.spec`. */
export type OpenStackMachineSpec = OpenStackMachineTemplateSpec['template']['spec'];
/** One `ports[]` entry of an OpenStack machine. */
export type OpenStackPortOpts = NonNullable<OpenStackMachineSpec['ports']>[number];
