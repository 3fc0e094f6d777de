import { isDeepStrictEqual } from 'node:util';
import * as semver from 'semver';
import { OPENSTACK_CLUSTER_MUTABLE_SUMMARY, openStackClusterUpdate } from '../check/webhooks/capo';
import type { ClusterSpec, FleetSpec, SpecIssue } from '../spec';
import { formatPath } from '../spec/errors';
import { SKEW_POLICY } from '../versions/skew';
import { parseKubernetesVersion } from '../versions/supported';
import { firstOfKind, managementObjects, type Tree, type TreeObject } from './tree';

type Path = (string | number)[];
type Report = (path: Path, message: string, value: unknown) => void;

/** What one cluster was (previous tree) and becomes (new spec and tree). */
interface ClusterTransition {
  readonly cluster: ClusterSpec;
  readonly path: Path;
  readonly before: readonly TreeObject[];
  readonly after: readonly TreeObject[];
}

/**
 * Spec-level rules for the transition from the tree Argo CD has applied (`previous`) to the new
 * spec and its tree (`next`): the changes the management cluster's admission webhooks would refuse
 * as updates, or that Kubernetes cannot follow in place, each as a path-named error that says what
 * to do instead. A cluster absent from `previous` is new and has no transition.
 */
export function transitionIssues(previous: Tree, next: Tree, fleet: FleetSpec): SpecIssue[] {
  return fleet.environments.flatMap((env, e) => env.clusters.flatMap((_, c) => clusterTransitionIssues(previous, next, fleet, e, c)));
}

/**
 * transitionIssues for one cluster (environment `e`, cluster `c`): the streaming synth checks each
 * cluster as it is built, with only that cluster's `cluster/` folder of the old and new trees.
 */
export function clusterTransitionIssues(previous: Tree, next: Tree, fleet: FleetSpec, e: number, c: number): SpecIssue[] {
  const env = fleet.environments[e];
  const cluster = env.clusters[c];
  const before = managementObjects(previous, env.name, cluster.name);
  if (before.length === 0) return [];
  const issues: SpecIssue[] = [];
  const report: Report = (path, message, value) => issues.push({ path: formatPath(path), message, value, severity: 'error' });
  const t: ClusterTransition = { cluster, path: ['environments', e, 'clusters', c], before, after: managementObjects(next, env.name, cluster.name) };
  for (const rule of TRANSITION_RULES) rule(t, report);
  return issues;
}

type TransitionRule = (t: ClusterTransition, report: Report) => void;

/**
 * Kubernetes version: one minor at a time (Cluster API's KubeadmControlPlane webhook refuses a skip;
 * kubeadm upgrades one minor per step), never backwards (no upstream rule stops a downgrade on
 * Metal3, but etcd data and stored API versions written by the newer minor cannot be read back).
 */
const versionStep: TransitionRule = ({ cluster, path, before }, report) => {
  const kcp = firstOfKind(before, 'KubeadmControlPlane');
  const was = parseKubernetesVersion(String(kcp?.obj.spec?.version ?? ''));
  const to = parseKubernetesVersion(cluster.kubernetesVersion);
  if (!was || !to) return;
  const at = [...path, 'kubernetesVersion'];
  if (semver.lt(to, was))
    report(at, `is older than the running control plane v${was.version}; Kubernetes cannot be downgraded in place (restore the cluster from an etcd snapshot taken on the older version, or build a new cluster)`, cluster.kubernetesVersion);
  else if (to.major !== was.major || to.minor - was.minor > SKEW_POLICY.maxMinorsPerUpgrade)
    report(at, `skips a minor from the running control plane v${was.version}; upgrade one minor at a time: set ${was.major}.${was.minor + 1}.x, let the rollout finish, then the next`, cluster.kubernetesVersion);
  // Workers that lag from an earlier upgrade must stay within the kubelet skew of the new control plane.
  for (const md of before.filter((o) => o.kind === 'MachineDeployment')) {
    const v = parseKubernetesVersion(String(md.obj.spec?.template?.spec?.version ?? ''));
    if (v && v.major === to.major && to.minor - v.minor > SKEW_POLICY.kubeletMaxLag)
      report(at, `MachineDeployment ${md.name} still runs v${v.version}: a control plane more than ${SKEW_POLICY.kubeletMaxLag} minors newer than its kubelets breaks the skew policy; upgrade the pool first`, cluster.kubernetesVersion);
  }
};

/** KubeadmControlPlane's webhook forbids switching between stacked (local) and external etcd. */
const etcdTopology: TransitionRule = ({ cluster, path, before }, report) => {
  const kcp = firstOfKind(before, 'KubeadmControlPlane');
  if (!kcp) return;
  const wasExternal = kcp.obj.spec?.kubeadmConfigSpec?.clusterConfiguration?.etcd?.external !== undefined;
  const isExternal = cluster.controlPlane.etcd.topology === 'external';
  if (wasExternal !== isExternal)
    report([...path, 'controlPlane', 'etcd', 'topology'], `the running cluster uses ${wasExternal ? 'external' : 'stacked'} etcd; Cluster API refuses to switch a KubeadmControlPlane between stacked and external etcd: build a new cluster with the new topology and move the workloads (or restore a snapshot into it)`, cluster.controlPlane.etcd.topology);
};

/**
 * The Cluster object: provider, control-plane endpoint and pod/service networks. Cluster API accepts
 * a changed `clusterNetwork`, but the running cluster cannot follow it (existing Pod and Service
 * addresses, kube-proxy and the CNI keep the old ranges); the endpoint is in every kubeconfig and
 * certificate, and CAPO forbids moving it.
 */
const clusterIdentity: TransitionRule = ({ cluster, path, before, after }, report) => {
  const was = firstOfKind(before, 'Cluster')?.obj.spec;
  const now = firstOfKind(after, 'Cluster')?.obj.spec;
  if (!was || !now) return;
  if (was.infrastructureRef?.kind !== now.infrastructureRef?.kind)
    report([...path, 'infrastructure', 'provider'], `the running cluster is built on ${was.infrastructureRef?.kind}; a cluster cannot change its infrastructure provider: build a new cluster`, cluster.infrastructure.provider);
  const net = (s: any) => s?.clusterNetwork ?? {};
  const fields: Array<[string, (s: any) => unknown, unknown]> = [
    ['podCidr', (s) => net(s).pods?.cidrBlocks, cluster.network.podCidr],
    ['serviceCidr', (s) => net(s).services?.cidrBlocks, cluster.network.serviceCidr],
    ['dnsDomain', (s) => net(s).serviceDomain, cluster.network.dnsDomain],
  ];
  for (const [field, read, value] of fields)
    if (!isDeepStrictEqual(read(was), read(now)))
      report([...path, 'network', field], `differs from the running cluster's ${JSON.stringify(read(was))}; Pod and Service networks cannot change in place (existing addresses, kube-proxy and the CNI keep the old range): build a new cluster and move the workloads`, value);
  if (!isDeepStrictEqual(was.controlPlaneEndpoint, now.controlPlaneEndpoint))
    report([...path, 'controlPlane', 'endpoint'], `moves the API endpoint of the running cluster from ${was.controlPlaneEndpoint?.host}:${was.controlPlaneEndpoint?.port}; every kubelet, kubeconfig and certificate names it and CAPO forbids the update: keep the endpoint (add DNS names through controlPlane.certSANs) or build a new cluster`, cluster.controlPlane.endpoint);
};

/** Fields of OpenStackCluster spec that belong to the endpoint (reported there) rather than to infrastructure. */
const ENDPOINT_FIELDS = new Set(['apiServerFixedIP', 'apiServerPort', 'apiServerFloatingIP', 'disableAPIServerFloatingIP', 'apiServerLoadBalancer', 'controlPlaneEndpoint']);

/**
 * CAPO refuses every update of an OpenStackCluster's spec outside a short list of fields: the
 * decision of kprod check's port of its webhook (lib/check/webhooks/capo.ts), each refusal reported
 * at the spec setting that made the field.
 */
const openStackCluster: TransitionRule = ({ cluster, path, before, after }, report) => {
  const was = firstOfKind(before, 'OpenStackCluster')?.obj.spec;
  const now = firstOfKind(after, 'OpenStackCluster')?.obj.spec;
  if (!was || !now) return;
  const { refusals, immutableChanges } = openStackClusterUpdate(was, now);
  // Bastion and managed subnets: kprod renders neither, so only a previous tree from elsewhere holds them.
  for (const r of refusals)
    report([...path, 'infrastructure'], `changes OpenStackCluster ${formatPath(r.segs)} of the running cluster in a way CAPO's webhook refuses (${r.message}): revert it, or build a new cluster`, cluster.infrastructure);
  for (const field of immutableChanges) {
    const endpoint = ENDPOINT_FIELDS.has(field);
    report(
      [...path, ...(endpoint ? ['controlPlane', 'endpoint'] : ['infrastructure'])],
      `changes OpenStackCluster spec.${field} of the running cluster, which CAPO's webhook refuses (only ${OPENSTACK_CLUSTER_MUTABLE_SUMMARY} may change): revert it, or build a new cluster`,
      endpoint ? cluster.controlPlane.endpoint : cluster.infrastructure,
    );
  }
};

/** Every transition rule, in this order. */
export const TRANSITION_RULES: readonly TransitionRule[] = [versionStep, etcdTopology, clusterIdentity, openStackCluster];
