/**
 * Settings of postfinance/kubelet-csr-approver, which approves kubelet-serving CSRs
 * (signer `kubernetes.io/kubelet-serving`). kprod's kubelets run with `serverTLSBootstrap: true`
 * and the apiserver verifies them with `--kubelet-certificate-authority`, so without an approver
 * `kubectl logs/exec` and metrics-server fail.
 *
 * The approver checks each CSR before approving: requester `system:node:<name>`, at most one DNS
 * SAN, prefixed by the node name and matching PROVIDER_REGEX, every IP SAN inside
 * PROVIDER_IP_PREFIXES, and `expirationSeconds` at most MAX_EXPIRATION_SEC. Settings are passed
 * as environment variables: the binary reads each flag (`-provider-regex`, ...) also from the
 * upper-cased, underscored variable (peterbourgon/ff `WithEnvVars`).
 */
import type { ClusterSpec } from '../spec';
import { IMAGES, imageRef } from '../versions/pins';

export const KUBELET_CSR_APPROVER_IMAGE = imageRef(IMAGES.kubeletCsrApprover);
export const KUBELET_CSR_APPROVER_NAMESPACE = 'kubelet-csr-approver';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
/** Ports on the host network (the pod uses hostNetwork): chosen away from kubelet/kube-proxy/CCM ports. */
export const APPROVER_PORTS = { metrics: 10270, health: 10271 } as const;

/** Longest serving certificate approved: 30 days (the kubelet rotates well before expiry). */
export const DEFAULT_MAX_EXPIRATION_SECONDS = 30 * 24 * 3600;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Node names kprod's nodes get, as an anchored RE2 regex.
 * - OpenStack: node name = server hostname = the CAPO machine name, and machines are named after
 *   their KubeadmControlPlane (`<cluster>-control-plane-…`) or MachineDeployment
 *   (`<cluster>-<pool>-…`), so every name starts with `<cluster>-`.
 * - Metal3 / static hosts: node name = the host's name from the inventory, any DNS label; the
 *   IP prefix check (node CIDR) is what binds those CSRs to the cluster's machines.
 */
export function nodeNameRegex(cluster: Pick<ClusterSpec, 'name' | 'infrastructure'>): string {
  if (cluster.infrastructure.provider === 'openstack') return `^${escapeRegex(cluster.name)}-[a-z0-9]([-a-z0-9]*[a-z0-9])?$`;
  return '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
}

export interface ApproverSettings {
  readonly providerRegex: string;
  /** Comma-separated CIDRs every IP SAN must fall into. */
  readonly providerIpPrefixes: string;
  readonly maxExpirationSeconds: number;
  /**
   * Node names are not in DNS on kprod's networks (OpenStack hostnames, inventory names), so the
   * lookup check would deny every CSR; the name regex and the IP prefix check still apply.
   */
  readonly bypassDnsResolution: boolean;
}

export interface ApproverOptions {
  /** @default nodeNameRegex(cluster) */
  readonly providerRegex?: string;
  /**
   * CIDRs every IP SAN must fall into. The kubelet puts all node addresses in its CSR: on
   * OpenStack with floating IPs (`infrastructure.externalNetworkId`) the CCM reports them as
   * ExternalIP, so their range must be added here or those CSRs are denied.
   * @default [cluster.network.nodeCidr]
   */
  readonly ipPrefixes?: readonly string[];
  /** @default DEFAULT_MAX_EXPIRATION_SECONDS (30 days) */
  readonly maxExpirationSeconds?: number;
  /** @default true */
  readonly bypassDnsResolution?: boolean;
}

/** 367 days: the binary refuses anything larger. */
const MAX_ALLOWED_SECONDS = 367 * 24 * 3600;

export function approverSettings(cluster: Pick<ClusterSpec, 'name' | 'infrastructure' | 'network'>, o: ApproverOptions = {}): ApproverSettings {
  const max = o.maxExpirationSeconds ?? DEFAULT_MAX_EXPIRATION_SECONDS;
  if (!Number.isInteger(max) || max <= 0 || max > MAX_ALLOWED_SECONDS)
    throw new Error(`kubeletCsrApprover.maxExpirationSeconds: must be an integer in 1..${MAX_ALLOWED_SECONDS} (367 days) (got ${max})`);
  const prefixes = o.ipPrefixes ?? [cluster.network.nodeCidr];
  if (prefixes.length === 0) throw new Error('kubeletCsrApprover.ipPrefixes: must list at least one CIDR (got [])');
  return {
    providerRegex: o.providerRegex ?? nodeNameRegex(cluster),
    providerIpPrefixes: prefixes.join(','),
    maxExpirationSeconds: max,
    bypassDnsResolution: o.bypassDnsResolution ?? true,
  };
}

/** Container environment of the approver. */
export function approverEnv(s: ApproverSettings): Array<{ name: string; value: string }> {
  return [
    { name: 'PROVIDER_REGEX', value: s.providerRegex },
    { name: 'PROVIDER_IP_PREFIXES', value: s.providerIpPrefixes },
    { name: 'MAX_EXPIRATION_SEC', value: String(s.maxExpirationSeconds) },
    { name: 'BYPASS_DNS_RESOLUTION', value: String(s.bypassDnsResolution) },
  ];
}

/** Cluster-wide permissions: read CSRs, approve them, and only for the kubelet-serving signer. */
export const APPROVER_CLUSTER_RULES = [
  { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
  { apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: [KUBELET_SERVING_SIGNER], verbs: ['approve'] },
] as const;

/** Namespaced permissions for leader election (two replicas, one active). */
export const APPROVER_LEADER_ELECTION_RULES = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create'] },
] as const;
