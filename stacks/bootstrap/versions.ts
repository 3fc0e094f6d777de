import { CHARTS, PROVIDERS } from '../../lib/versions/pins';

/**
 * Pinned versions of what the stack installs on the management cluster, from the one pin module
 * (lib/versions/pins.ts). Each can be overridden by stack config (`kprod:versions`), so that an
 * upgrade is a reviewed config change.
 */
export interface BootstrapVersions {
  /** Cluster API core, kubeadm bootstrap and kubeadm control-plane providers. @default PROVIDERS.clusterApi ("v1.14.0") */
  readonly clusterApi: string;
  /** Cluster API Provider OpenStack. @default PROVIDERS.capo ("v0.14.7") */
  readonly capo: string;
  /** Cluster API Provider Metal3. @default PROVIDERS.capm3 ("v1.13.2") */
  readonly capm3: string;
  /** OpenStack Resource Controller (CAPO ≥ v0.12 resolves images through it). @default PROVIDERS.orc ("v2.6.0") */
  readonly orc: string;
  /** Helm chart `cluster-api-operator`. @default CHARTS.clusterApiOperator ("0.28.0") */
  readonly capiOperatorChart: string;
  /** Helm chart `cert-manager`, needed by the operator and the providers' webhooks. @default CHARTS.certManager ("v1.21.1") */
  readonly certManagerChart: string;
  /** Helm chart `argo-cd`. @default CHARTS.argoCd ("10.1.1") */
  readonly argoCdChart: string;
}

export const DEFAULT_VERSIONS: BootstrapVersions = {
  clusterApi: PROVIDERS.clusterApi.version,
  capo: PROVIDERS.capo.version,
  capm3: PROVIDERS.capm3.version,
  orc: PROVIDERS.orc.version,
  capiOperatorChart: CHARTS.clusterApiOperator.version,
  certManagerChart: CHARTS.certManager.version,
  argoCdChart: CHARTS.argoCd.version,
};

export const CHART_REPOS = {
  capiOperator: CHARTS.clusterApiOperator.repoURL,
  certManager: CHARTS.certManager.repoURL,
  argoCd: CHARTS.argoCd.repoURL,
} as const;

export function orcInstallUrl(version: string): string {
  return `https://github.com/k-orc/openstack-resource-controller/releases/download/${version}/install.yaml`;
}
