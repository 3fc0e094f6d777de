/**
 * The one place for every version kprod installs: container images, Helm charts and Cluster API
 * provider releases. Per-Kubernetes-minor pins (etcd, cluster-autoscaler, OCCM chart) live in
 * ./matrix.ts. Each pin names the upstream repository and git ref it was checked against; the
 * recorded facts (commit, release date, chart value keys) are in upstream/images.json and
 * upstream/charts/<chart>.json, refreshed by scripts/refresh-image-facts.mjs and
 * scripts/refresh-chart-facts.mjs from mirrors of those repositories. Exact tags only.
 */

/** Date the pins were last checked against upstream. */
export const PINS_CHECKED = '2026-12-01';

/** Where a pin was checked: a GitHub repository and the git tag (or branch) read there. */
export interface PinSource {
  /** `owner/name` on GitHub. */
  readonly repo: string;
  /** Git tag of the release (or the branch of an index such as docker-library/official-images). */
  readonly ref: string;
}

/** One container image at an exact tag. */
export interface ImagePin {
  readonly repository: string;
  readonly tag: string;
  readonly source: PinSource;
}

/** One Helm chart at an exact version. */
export interface ChartPin {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
  readonly source: PinSource;
}

/** One Cluster API provider (or companion controller) release. */
export interface ReleasePin {
  readonly version: string;
  readonly source: PinSource;
}

/** `repository:tag`. */
export const imageRef = (pin: ImagePin): string => `${pin.repository}:${pin.tag}`;

const gh = (repo: string, ref: string): PinSource => ({ repo, ref });

export const IMAGES = {
  kubeletCsrApprover: { repository: 'ghcr.io/postfinance/kubelet-csr-approver', tag: 'v1.2.14', source: gh('postfinance/kubelet-csr-approver', 'v1.2.14') },
  kubeVip: { repository: 'ghcr.io/kube-vip/kube-vip', tag: 'v1.2.3', source: gh('kube-vip/kube-vip', 'v1.2.3') },
  /** HAProxy LTS branch (official image, `lts` tag points at 3.4.x), pinned to the exact patch. */
  haproxy: { repository: 'docker.io/library/haproxy', tag: '3.4.3-alpine', source: gh('docker-library/official-images', 'master') },
  /** busybox stable line (1.38 is tagged `unstable` upstream). */
  busybox: { repository: 'docker.io/library/busybox', tag: '1.37.0', source: gh('docker-library/official-images', 'master') },
  awsCli: { repository: 'docker.io/amazon/aws-cli', tag: '2.36.7', source: gh('aws/aws-cli', '2.36.7') },
  /** Fluent Bit 4.2 line, still patched upstream; 5.x is a separate, reviewed move. */
  fluentBit: { repository: 'cr.fluentbit.io/fluent/fluent-bit', tag: '4.2.8', source: gh('fluent/fluent-bit', 'v4.2.8') },
  metricsServer: { repository: 'registry.k8s.io/metrics-server/metrics-server', tag: 'v0.9.0', source: gh('kubernetes-sigs/metrics-server', 'v0.9.0') },
  nodeProblemDetector: { repository: 'registry.k8s.io/node-problem-detector/node-problem-detector', tag: 'v1.36.0', source: gh('kubernetes/node-problem-detector', 'v1.36.0') },
} as const satisfies Record<string, ImagePin>;

export const CHARTS = {
  /** Calico's operator chart; from v3.32 it ships no CRDs (see calicoCrds). */
  tigeraOperator: { repoURL: 'https://docs.tigera.io/calico/charts', chart: 'tigera-operator', version: 'v3.32.1', source: gh('projectcalico/calico', 'v3.32.1') },
  /** The CRDs tigera-operator needs (crd.projectcalico.org and operator.tigera.io), released with Calico. */
  calicoCrds: { repoURL: 'https://docs.tigera.io/calico/charts', chart: 'crd.projectcalico.org.v1', version: 'v3.32.1', source: gh('projectcalico/calico', 'v3.32.1') },
  cilium: { repoURL: 'https://helm.cilium.io', chart: 'cilium', version: '1.19.6', source: gh('cilium/charts', 'master') },
  kubePrometheusStack: { repoURL: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '88.5.3', source: gh('prometheus-community/helm-charts', 'kube-prometheus-stack-88.5.3') },
  headlamp: { repoURL: 'https://kubernetes-sigs.github.io/headlamp/', chart: 'headlamp', version: '0.45.0', source: gh('kubernetes-sigs/headlamp', 'headlamp-helm-0.45.0') },
  clusterApiOperator: { repoURL: 'https://kubernetes-sigs.github.io/cluster-api-operator', chart: 'cluster-api-operator', version: '0.28.0', source: gh('kubernetes-sigs/cluster-api-operator', 'v0.28.0') },
  certManager: { repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.21.1', source: gh('cert-manager/cert-manager', 'v1.21.1') },
  argoCd: { repoURL: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.1.1', source: gh('argoproj/argo-helm', 'argo-cd-10.1.1') },
  /** NVIDIA's device plugin for GPU pools (chart version = the tag without "v"); v0.20.0 is the newest tag. */
  nvidiaDevicePlugin: { repoURL: 'https://nvidia.github.io/k8s-device-plugin', chart: 'nvidia-device-plugin', version: '0.20.0', source: gh('NVIDIA/k8s-device-plugin', 'v0.20.0') },
} as const satisfies Record<string, ChartPin>;

/**
 * Provider releases the bootstrap stack installs through cluster-api-operator. Cluster API v1.14
 * is the newest minor (no v1.15 tag upstream); its book's support table stops at Kubernetes 1.36.
 */
export const PROVIDERS = {
  clusterApi: { version: 'v1.14.0', source: gh('kubernetes-sigs/cluster-api', 'v1.14.0') },
  capo: { version: 'v0.14.7', source: gh('kubernetes-sigs/cluster-api-provider-openstack', 'v0.14.7') },
  capm3: { version: 'v1.13.2', source: gh('metal3-io/cluster-api-provider-metal3', 'v1.13.2') },
  orc: { version: 'v2.6.0', source: gh('k-orc/openstack-resource-controller', 'v2.6.0') },
} as const satisfies Record<string, ReleasePin>;
