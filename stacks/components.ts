/**
 * kprod's Pulumi components for use in a Pulumi program of your own (`import { ClusterNetwork }
 * from 'kprod/stacks'`): each takes a validated ClusterSpec (`parseFleet(...).spec.environments[i]
 * .clusters[j]`) plus the handful of inputs the kprod stacks pass it, and exposes its resources and
 * outputs as typed properties. Importing this module runs no Pulumi program (stacks/index.ts does).
 */
// OpenStack
export { ClusterNetwork, type ClusterNetworkArgs } from './openstack/cluster-network';
export { ClusterSecurityGroups, type ClusterSecurityGroupsArgs } from './openstack/security-groups';
export { ingressRules, machineRoles, cniRules, hasEtcdMachines, type IngressRule, type MachineRole } from './openstack/security-rules';
export { EndpointVip, type EndpointVipArgs } from './openstack/endpoint-vip';
export { EtcdMembers, type EtcdMembersArgs, type EtcdMemberResources } from './openstack/etcd-members';
export { ClusterServerGroups, type ClusterServerGroupsArgs, type ServerGroupRole } from './openstack/server-groups';
export { OpenStackClusterInfra, type OpenStackClusterInfraArgs } from './openstack/cluster-infra';
export { ManagementCluster, type ManagementClusterArgs } from './openstack/management-cluster';
// Bare metal
export { KubeadmHosts, type KubeadmHostsArgs, type HostSteps } from './baremetal/kubeadm-hosts';
export { IronicFlavors, type IronicFlavorsArgs } from './baremetal/ironic-flavors';
export { staticHost, parseHosts, type StaticHost } from './baremetal/inventory';
// PKI and secrets
export { ClusterPki, type ClusterPkiArgs } from './pki/cluster-pki';
export { EtcdPki, type EtcdPkiArgs, type EtcdMemberCerts } from './pki/etcd-pki';
export { ClusterSecrets, type ClusterSecretsArgs } from './pki/cluster-secrets';
// Bootstrap of the management cluster
export { CapiProviders, type CapiProvidersArgs } from './bootstrap/capi-providers';
export { ArgoCd, type ArgoCdArgs, type GitCredentials } from './bootstrap/argocd';
