import { yamlText } from './yaml-text';
import type { ClusterSpec } from '../spec';
import { tenancyAdmissionPlugins, type AdmissionPlugin } from '../tenancy/admission';
import { priorityQuotaAdmissionPlugin } from '../tenancy/priority-admission';

export const ADMISSION_CONFIG_DIR = '/etc/kubernetes/admission';
export const ADMISSION_CONFIG_PATH = `${ADMISSION_CONFIG_DIR}/admission-config.yaml`;

/** Options of the cluster's admission configuration. */
export interface AdmissionOptions {
  /**
   * Enable EventRateLimit (CIS 1.2.9) so that a noisy controller cannot flood etcd with events.
   * @default true
   */
  readonly eventRateLimit?: boolean;
}

/**
 * Pod Security Admission defaults: `baseline` enforced in every namespace without its own label
 * (tenant namespaces carry their own labels), `restricted` audited and warned. kube-system is
 * exempt: kubeadm's static pods and CNI daemons need host access.
 */
export function podSecurityPlugin(): AdmissionPlugin {
  return {
    name: 'PodSecurity',
    configuration: {
      apiVersion: 'pod-security.admission.config.k8s.io/v1',
      kind: 'PodSecurityConfiguration',
      defaults: {
        enforce: 'baseline',
        'enforce-version': 'latest',
        audit: 'restricted',
        'audit-version': 'latest',
        warn: 'restricted',
        'warn-version': 'latest',
      },
      exemptions: { usernames: [], runtimeClasses: [], namespaces: ['kube-system'] },
    },
  };
}

/** EventRateLimit limits: per API server and per namespace (eventratelimit.admission.k8s.io/v1alpha1). */
export function eventRateLimitPlugin(): AdmissionPlugin {
  return {
    name: 'EventRateLimit',
    configuration: {
      apiVersion: 'eventratelimit.admission.k8s.io/v1alpha1',
      kind: 'Configuration',
      limits: [
        { type: 'Server', qps: 500, burst: 1000 },
        { type: 'Namespace', qps: 50, burst: 100, cacheSize: 2000 },
      ],
    },
  };
}

/** Every admission plugin kprod configures for the cluster, in a stable order (no duplicates). */
export function admissionPlugins(cluster: ClusterSpec, options: AdmissionOptions = {}): AdmissionPlugin[] {
  const priorityQuota = priorityQuotaAdmissionPlugin(cluster);
  const plugins = [
    podSecurityPlugin(),
    ...(options.eventRateLimit ?? true ? [eventRateLimitPlugin()] : []),
    ...(priorityQuota ? [priorityQuota] : []),
    ...tenancyAdmissionPlugins(cluster),
  ];
  const seen = new Set<string>();
  return plugins.filter((p) => !seen.has(p.name) && seen.add(p.name));
}

/**
 * Names for kube-apiserver `--enable-admission-plugins` (defaults such as PodSecurity stay on regardless).
 * Besides the configured plugins: NodeRestriction (CIS 1.2.14), DenyServiceExternalIPs (CIS 1.2.3,
 * blocks Service externalIPs, CVE-2020-8554) and AlwaysPullImages unless `controlPlane.alwaysPullImages` is false (CIS 1.2.11).
 */
export function enabledAdmissionPluginNames(cluster: ClusterSpec, options: AdmissionOptions = {}): string[] {
  const always = cluster.controlPlane.alwaysPullImages ? ['AlwaysPullImages'] : [];
  return ['NodeRestriction', 'DenyServiceExternalIPs', ...always, ...admissionPlugins(cluster, options).map((p) => p.name)];
}

/** The apiserver.config.k8s.io/v1 AdmissionConfiguration (`--admission-control-config-file`). */
export function admissionConfiguration(cluster: ClusterSpec, options: AdmissionOptions = {}): Record<string, unknown> {
  return {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AdmissionConfiguration',
    plugins: admissionPlugins(cluster, options)
      .filter((p) => p.configuration)
      .map((p) => ({ name: p.name, configuration: p.configuration })),
  };
}

export function renderAdmissionConfiguration(cluster: ClusterSpec, options: AdmissionOptions = {}): string {
  return yamlText(admissionConfiguration(cluster, options));
}
