import * as semver from 'semver';
import { parseKubernetesVersion, SUPPORTED_MINORS } from './supported';

/**
 * The Kubernetes version skew policy (kubernetes.io/releases/version-skew-policy), as data and
 * checks. Distances are counted in minor versions within major 1.
 */
export const SKEW_POLICY = {
  /** In an HA control plane the newest and oldest kube-apiserver differ by at most one minor. */
  apiserverSpread: 1,
  /** kubelet / kube-proxy may be up to three minors older than kube-apiserver (since 1.28), never newer. */
  kubeletMaxLag: 3,
  /** kube-controller-manager and kube-scheduler: never newer than kube-apiserver, at most one minor older. */
  controllerMaxLag: 1,
  /** One `kubeadm upgrade` moves one minor at a time; skipping minors is not supported. */
  maxMinorsPerUpgrade: 1,
} as const;

export type Component = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kubelet';

/** Minor-version distance `to - from` (negative when `to` is older); throws on an unparsable version. */
export function minorDistance(from: string, to: string): number {
  const a = mustParse(from);
  const b = mustParse(to);
  if (a.major !== b.major) throw new Error(`cannot compare Kubernetes versions across majors: ${from} and ${to}`);
  return b.minor - a.minor;
}

/** `"1.33"` for `"v1.33.4"`. */
export function minorOf(version: string): string {
  const v = mustParse(version);
  return `${v.major}.${v.minor}`;
}

export function isSupportedMinor(version: string): boolean {
  const v = parseKubernetesVersion(version);
  return !!v && SUPPORTED_MINORS.includes(`${v.major}.${v.minor}`);
}

/**
 * Whether `component` at `version` may run against kube-apiserver at `apiserver`.
 * Returns a sentence explaining the violation, or undefined when allowed.
 */
export function skewViolation(component: Component, version: string, apiserver: string): string | undefined {
  const lag = -minorDistance(apiserver, version); // minors the component is behind the apiserver
  if (component === 'kube-apiserver') {
    return Math.abs(lag) > SKEW_POLICY.apiserverSpread
      ? `kube-apiserver instances may differ by at most ${SKEW_POLICY.apiserverSpread} minor version (${version} vs ${apiserver})`
      : undefined;
  }
  if (lag < 0) return `${component} ${version} must not be newer than kube-apiserver ${apiserver}`;
  const maxLag = component === 'kubelet' ? SKEW_POLICY.kubeletMaxLag : SKEW_POLICY.controllerMaxLag;
  return lag > maxLag
    ? `${component} ${version} is ${lag} minor versions older than kube-apiserver ${apiserver}; at most ${maxLag} allowed`
    : undefined;
}

/** Why upgrading from `from` to `to` is not allowed, or undefined when it is one valid step. */
export function upgradeStepViolation(from: string, to: string): string | undefined {
  const a = parseKubernetesVersion(from);
  const b = parseKubernetesVersion(to);
  if (!a) return `current version ${JSON.stringify(from)} is not a Kubernetes version`;
  if (!b) return 'must be a Kubernetes version such as "1.36.2"';
  if (a.major !== b.major) return `changes the major version from ${a.major} to ${b.major}; not supported`;
  if (!isSupportedMinor(to)) return `target minor ${b.major}.${b.minor} is not supported; supported minors are ${SUPPORTED_MINORS.join(', ')}`;
  if (semver.eq(a, b)) return `equals the current kubernetesVersion ${from}; remove upgradeTo or pick a newer version`;
  if (semver.lt(b, a)) return `is older than the current kubernetesVersion ${from}; downgrades are not supported (restore from an etcd snapshot instead)`;
  const step = minorDistance(from, to);
  if (step > SKEW_POLICY.maxMinorsPerUpgrade)
    return `skips ${step - 1} minor version(s) from ${minorOf(from)}; upgrade one minor at a time (next: ${a.major}.${a.minor + 1})`;
  return undefined;
}

function mustParse(version: string): semver.SemVer {
  const v = parseKubernetesVersion(version);
  if (!v) throw new Error(`not a Kubernetes version: ${JSON.stringify(version)}`);
  return v;
}
