/**
 * Pinned versions of what the stack installs on the management cluster. Each can be overridden
 * by stack config (`kprod:versions`), so that an upgrade is a reviewed config change.
 */
export interface BootstrapVersions {
  /** Cluster API core, kubeadm bootstrap and kubeadm control-plane providers. @default "v1.14.0" */
  readonly clusterApi: string;
  /** Cluster API Provider OpenStack. @default "v0.14.7" */
  readonly capo: string;
  /** Cluster API Provider Metal3. @default "v1.13.2" */
  readonly capm3: string;
  /** OpenStack Resource Controller (CAPO ≥ v0.12 resolves images through it). @default "v2.3.0" */
  readonly orc: string;
  /** Helm chart `cluster-api-operator` (https://kubernetes-sigs.github.io/cluster-api-operator). @default "0.24.0" */
  readonly capiOperatorChart: string;
  /** Helm chart `cert-manager` (https://charts.jetstack.io), needed by the operator and the providers' webhooks. @default "v1.18.2" */
  readonly certManagerChart: string;
  /** Helm chart `argo-cd` (https://argoproj.github.io/argo-helm). @default "8.3.0" */
  readonly argoCdChart: string;
}

export const DEFAULT_VERSIONS: BootstrapVersions = {
  clusterApi: 'v1.14.0',
  capo: 'v0.14.7',
  capm3: 'v1.13.2',
  orc: 'v2.3.0',
  capiOperatorChart: '0.24.0',
  certManagerChart: 'v1.18.2',
  argoCdChart: '8.3.0',
};

export const CHART_REPOS = {
  capiOperator: 'https://kubernetes-sigs.github.io/cluster-api-operator',
  certManager: 'https://charts.jetstack.io',
  argoCd: 'https://argoproj.github.io/argo-helm',
} as const;

export function orcInstallUrl(version: string): string {
  return `https://github.com/k-orc/openstack-resource-controller/releases/download/${version}/install.yaml`;
}
