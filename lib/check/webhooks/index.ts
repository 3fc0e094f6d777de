import * as capi from './cluster-api';
import * as kubeadm from './kubeadm';
import * as capo from './capo';
import * as ipam from './ipam';
import * as metal3 from './metal3';
import type { WebhookRule } from './rule';

export type { WebhookFinding, WebhookRule } from './rule';

/** `apiVersion|Kind` → the provider webhook's rules, for the versions they were written for. */
export const WEBHOOK_RULES: ReadonlyMap<string, WebhookRule> = new Map([
  ['cluster.x-k8s.io/v1beta2|Cluster', capi.cluster],
  ['cluster.x-k8s.io/v1beta2|MachineDeployment', capi.machineDeployment],
  ['cluster.x-k8s.io/v1beta2|MachineHealthCheck', capi.machineHealthCheck],
  ['controlplane.cluster.x-k8s.io/v1beta2|KubeadmControlPlane', kubeadm.kubeadmControlPlane],
  ['bootstrap.cluster.x-k8s.io/v1beta2|KubeadmConfigTemplate', kubeadm.kubeadmConfigTemplate],
  ['addons.cluster.x-k8s.io/v1beta2|ClusterResourceSet', capi.clusterResourceSet],
  ['infrastructure.cluster.x-k8s.io/v1beta1|OpenStackCluster', capo.openStackCluster],
  ['infrastructure.cluster.x-k8s.io/v1beta1|OpenStackMachineTemplate', capo.openStackMachineTemplate],
  ['infrastructure.cluster.x-k8s.io/v1beta2|Metal3Cluster', metal3.metal3Cluster],
  ['infrastructure.cluster.x-k8s.io/v1beta2|Metal3MachineTemplate', metal3.metal3MachineTemplate],
  ['infrastructure.cluster.x-k8s.io/v1beta2|Metal3DataTemplate', metal3.metal3DataTemplate],
  ['infrastructure.cluster.x-k8s.io/v1beta2|Metal3RemediationTemplate', metal3.metal3RemediationTemplate],
  ['ipam.metal3.io/v1alpha1|IPPool', ipam.ipPool],
]);

/** Kinds whose webhooks have rules here for another version only: an object of another version is unevaluated. */
export const WEBHOOK_KINDS: ReadonlySet<string> = new Set([...WEBHOOK_RULES.keys()].map((k) => `${k.split('/')[0]}|${k.split('|')[1]}`));
