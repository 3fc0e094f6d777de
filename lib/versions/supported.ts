import * as semver from 'semver';

import { SUPPORTED_MINOR_LIST } from './matrix';

/**
 * Kubernetes minors kprod supports: those upstream still patches and Cluster API v1.14 can create
 * as workload clusters (the support matrix in ./matrix.ts). kubeadm config is v1beta4 from 1.31 on.
 */
export const SUPPORTED_MINORS: readonly string[] = SUPPORTED_MINOR_LIST;

export function parseKubernetesVersion(version: string): semver.SemVer | null {
  return semver.parse(version.startsWith('v') ? version.slice(1) : version);
}

export function isSupportedVersion(version: string): boolean {
  const v = parseKubernetesVersion(version);
  return !!v && SUPPORTED_MINORS.includes(`${v.major}.${v.minor}`);
}

/** The version with a leading `v`, as Cluster API expects in `spec.version`. */
export function withV(version: string): string {
  return version.startsWith('v') ? version : `v${version}`;
}

/** kubeadm config API version for a Kubernetes version (DESIGN.md: v1beta4 from 1.31, v1beta3 before). */
export function kubeadmApiVersion(version: string): 'kubeadm.k8s.io/v1beta4' | 'kubeadm.k8s.io/v1beta3' {
  const v = parseKubernetesVersion(version);
  return v && semver.gte(v, '1.31.0') ? 'kubeadm.k8s.io/v1beta4' : 'kubeadm.k8s.io/v1beta3';
}
