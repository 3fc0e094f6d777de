import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { pinnedRelease } from './helm-release';
import { CHART_REPOS, DEFAULT_VERSIONS, orcInstallUrl, type BootstrapVersions } from './versions';

export const OPERATOR_API = 'operator.cluster.x-k8s.io/v1alpha2';

/** Feature gates of the Cluster API core controller (CoreProvider `spec.manager.featureGates`). */
export const CORE_FEATURE_GATES: Readonly<Record<string, boolean>> = { MachineSetPreflightChecks: true };

export interface CapiProvidersArgs {
  readonly provider: k8s.Provider;
  /** Infrastructure providers the environment's clusters use. */
  readonly infrastructure: ReadonlyArray<'openstack' | 'metal3'>;
  /** @default DEFAULT_VERSIONS */
  readonly versions?: BootstrapVersions;
}

/**
 * Cluster API on the management cluster through the Cluster API Operator: cert-manager and the
 * operator as pinned Helm releases, then one provider object per provider with its pinned
 * version (core, kubeadm bootstrap, kubeadm control plane, and the infrastructure providers the
 * environment uses). The operator fetches each provider's release manifests for that version;
 * an upgrade is a change of the version in stack config.
 */
export class CapiProviders extends pulumi.ComponentResource {
  public readonly providers: Readonly<Record<string, k8s.apiextensions.CustomResource>>;

  constructor(name: string, args: CapiProvidersArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:bootstrap:CapiProviders', name, {}, opts);
    const v = args.versions ?? DEFAULT_VERSIONS;
    const child = { parent: this, provider: args.provider };

    const certManager = pinnedRelease(
      `${name}-cert-manager`,
      { name: 'cert-manager', version: v.certManagerChart, repo: CHART_REPOS.certManager, namespace: 'cert-manager', values: { crds: { enabled: true } } },
      child,
    );
    const operator = pinnedRelease(
      `${name}-capi-operator`,
      { name: 'capi-operator', chart: 'cluster-api-operator', version: v.capiOperatorChart, repo: CHART_REPOS.capiOperator, namespace: 'capi-operator-system' },
      { ...child, dependsOn: [certManager] },
    );

    const providers: Record<string, k8s.apiextensions.CustomResource> = {};
    const provider = (kind: string, providerName: string, namespace: string, version: string, dependsOn: pulumi.Resource[], extra: Record<string, unknown> = {}) => {
      const ns = new k8s.core.v1.Namespace(`${name}-${namespace}`, { metadata: { name: namespace } }, child);
      const cr = new k8s.apiextensions.CustomResource(
        `${name}-${kind}-${providerName}`.toLowerCase(),
        { apiVersion: OPERATOR_API, kind, metadata: { name: providerName, namespace }, spec: { version, ...extra } },
        { ...child, dependsOn: [operator, ns, ...dependsOn] },
      );
      providers[`${kind}/${providerName}`] = cr;
      return cr;
    };
    // The operator installs other providers only once the core provider is ready.
    // MachineSet preflight checks hold new worker machines while the control plane upgrades (day-2
    // order, lib/day2/rollout-order.ts): on by default in v1.14, pinned on so an upgrade cannot drop them.
    const core = provider('CoreProvider', 'cluster-api', 'capi-system', v.clusterApi, [], { manager: { featureGates: CORE_FEATURE_GATES } });
    provider('BootstrapProvider', 'kubeadm', 'capi-kubeadm-bootstrap-system', v.clusterApi, [core]);
    provider('ControlPlaneProvider', 'kubeadm', 'capi-kubeadm-control-plane-system', v.clusterApi, [core]);
    if (args.infrastructure.includes('openstack')) {
      // The provider fetches the pinned release manifest at apply time (yaml/v2), not the program.
      const orc = new k8s.yaml.v2.ConfigFile(`${name}-orc`, { file: orcInstallUrl(v.orc) }, child);
      provider('InfrastructureProvider', 'openstack', 'capo-system', v.capo, [core, orc]);
    }
    if (args.infrastructure.includes('metal3')) provider('InfrastructureProvider', 'metal3', 'capm3-system', v.capm3, [core]);
    this.providers = providers;
    this.registerOutputs({});
  }
}
