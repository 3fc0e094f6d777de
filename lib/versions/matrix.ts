/**
 * The support matrix per Kubernetes minor: upstream's lifecycle dates, the newest patch release,
 * whether Cluster API v1.14 supports the minor for workload clusters, and the pins that follow the
 * minor (kubeadm's etcd image, cluster-autoscaler, the openstack-cloud-controller-manager chart).
 *
 * Recorded facts: upstream/kubernetes.json (scripts/refresh-kubernetes-facts.mjs); the test
 * test/unit/versions/matrix-facts.test.ts keeps this table and the facts in step.
 *
 * Sources (checked 2026-12-01):
 * - release dates: kubernetes/sig-release `releases/release-1.NN/README.md`; maintenance mode and
 *   end of life follow the patch-release policy (maintenance from the 28th of the month twelve
 *   months after the release, end of life two months later), as kubernetes.io/releases lists them;
 * - newest patch: the `k8s.io/kubernetes` version the autoscaler release of that minor builds with
 *   (kubernetes/autoscaler go.mod at the tag), the same the Metal3 e2e matrix runs;
 * - Cluster API: `docs/book/src/reference/versions.md` at kubernetes-sigs/cluster-api v1.14.0;
 * - etcd: kubeadm's `SupportedEtcdVersion` for the minor (registry.k8s.io/etcd tag);
 * - cluster-autoscaler: kubernetes/autoscaler tags `cluster-autoscaler-1.NN.x`;
 * - OCCM: kubernetes/cloud-provider-openstack tags `openstack-cloud-controller-manager-2.NN.x`.
 */
import type { ChartPin, ImagePin } from './pins';

export interface MinorSupport {
  /** "1.36". */
  readonly minor: string;
  /** First release (x.y.0) date. */
  readonly released: string;
  /** From this day only critical fixes are released. */
  readonly maintenanceModeStart: string;
  /** No patch releases after this day. */
  readonly endOfLife: string;
  /** Newest patch release known upstream, or undefined when none was found in the sources. */
  readonly latestPatch?: string;
  /**
   * Whether kprod accepts the minor: upstream still patches it and Cluster API v1.14 creates
   * workload clusters of it. When false, `unsupportedReason` says why.
   */
  readonly supported: boolean;
  readonly unsupportedReason?: string;
  /** Pins that follow the minor; present for every supported minor. */
  readonly etcd?: ImagePin;
  readonly clusterAutoscaler?: ImagePin;
  readonly occmChart?: ChartPin;
}

const OCCM_REPO = 'https://kubernetes.github.io/cloud-provider-openstack';
const occm = (version: string): ChartPin => ({
  repoURL: OCCM_REPO,
  chart: 'openstack-cloud-controller-manager',
  version,
  source: { repo: 'kubernetes/cloud-provider-openstack', ref: `openstack-cloud-controller-manager-${version}` },
});
const autoscaler = (version: string): ImagePin => ({
  repository: 'registry.k8s.io/autoscaling/cluster-autoscaler',
  tag: `v${version}`,
  source: { repo: 'kubernetes/autoscaler', ref: `cluster-autoscaler-${version}` },
});
const etcd = (tag: string): ImagePin => ({ repository: 'registry.k8s.io/etcd', tag, source: { repo: 'etcd-io/etcd', ref: `v${tag.replace(/-\d+$/, '')}` } });

export const KUBERNETES_MATRIX: readonly MinorSupport[] = [
  {
    minor: '1.35',
    released: '2025-12-17',
    maintenanceModeStart: '2026-12-28',
    endOfLife: '2027-02-28',
    latestPatch: '1.35.6',
    supported: true,
    etcd: etcd('3.6.9-0'),
    clusterAutoscaler: autoscaler('1.35.2'),
    occmChart: occm('2.35.0'),
  },
  {
    minor: '1.36',
    released: '2026-04-22',
    maintenanceModeStart: '2027-04-28',
    endOfLife: '2027-06-28',
    latestPatch: '1.36.2',
    supported: true,
    etcd: etcd('3.6.9-0'),
    clusterAutoscaler: autoscaler('1.36.1'),
    occmChart: occm('2.36.0'),
  },
  {
    minor: '1.37',
    released: '2026-08-26',
    maintenanceModeStart: '2027-08-28',
    endOfLife: '2027-10-28',
    supported: false,
    unsupportedReason:
      'Cluster API v1.14 (the newest release) does not list Kubernetes 1.37 for workload clusters, and no cluster-autoscaler or openstack-cloud-controller-manager release for 1.37 is pinned yet',
  },
];

/** The matrix entry of a minor ("1.36"), or undefined when kprod has none. */
export function minorSupport(minor: string): MinorSupport | undefined {
  return KUBERNETES_MATRIX.find((m) => m.minor === minor);
}

/** Minors kprod accepts, oldest first. */
export const SUPPORTED_MINOR_LIST: readonly string[] = KUBERNETES_MATRIX.filter((m) => m.supported).map((m) => m.minor);

/** Minors that have reached their end of life (refused with the date), for error messages. */
export const END_OF_LIFE: Readonly<Record<string, string>> = {
  '1.31': '2025-10-28',
  '1.32': '2026-02-28',
  '1.33': '2026-06-28',
  '1.34': '2026-10-27',
};

/** The end-of-life date (YYYY-MM-DD) of a version's minor, supported or past its end; undefined when kprod knows none. */
export function endOfLife(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined;
  const minor = `${m[1]}.${m[2]}`;
  return minorSupport(minor)?.endOfLife ?? END_OF_LIFE[minor];
}
