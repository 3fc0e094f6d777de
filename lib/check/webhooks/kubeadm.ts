// Admission rules of Cluster API v1.14.0 kubeadm bootstrap and control-plane webhooks
// (kubernetes-sigs/cluster-api, tag v1.14.0, commit 560d4ac). Feature gates at their defaults.
import type { Segment } from '../paths';
import { machineTaintErrors } from './cluster-api';
import { at, deepEqual, defined, err, int, intValue, isObject, metadataErrors, SEMVER, str, type Json, type WebhookFinding, type WebhookRule } from './rule';

/** util/secret DefaultCACertificatesExpiryDays. */
const DEFAULT_CA_CERTIFICATES_EXPIRY_DAYS = 3650;
/** util/container ImageTagIsValid. */
const IMAGE_TAG = /^[\w][\w.-]{0,127}$/;

// cluster-api v1.14.0 bootstrap/kubeadm/webhooks/admission/kubeadmconfig.go Validate (validateFiles, validateUsers,
// validateIgnition with the KubeadmBootstrapFormatIgnition gate off, validateDiskSetup, discovery user, KCP timeouts)
export function kubeadmConfigSpecErrors(spec: unknown, isKCP: boolean, base: Segment[]): WebhookFinding[] {
  const out: WebhookFinding[] = [];
  const seen = new Set<string>();
  const files = at(spec, 'files');
  (Array.isArray(files) ? files : []).forEach((f, i) => {
    const from = at(f, 'contentFrom');
    if (str(at(f, 'content')) && defined(from)) out.push(err([...base, 'files', i], 'only one of content or contentFrom may be specified for a single file'));
    if (defined(from)) {
      if (!str(at(from, 'secret', 'name'))) out.push(err([...base, 'files', i, 'contentFrom', 'secret', 'name'], 'secret file source must specify non-empty secret name'));
      if (!str(at(from, 'secret', 'key'))) out.push(err([...base, 'files', i, 'contentFrom', 'secret', 'key'], 'secret file source must specify non-empty secret key'));
    }
    const path = str(at(f, 'path'));
    if (seen.has(path)) out.push(err([...base, 'files', i, 'path'], 'path property must be unique among all files'));
    seen.add(path);
  });
  const users = at(spec, 'users');
  (Array.isArray(users) ? users : []).forEach((u, i) => {
    const from = at(u, 'passwdFrom');
    if (str(at(u, 'passwd')) && defined(from)) out.push(err([...base, 'users', i], 'only one of passwd or passwdFrom may be specified for a single user'));
    if (defined(from)) {
      if (!str(at(from, 'secret', 'name'))) out.push(err([...base, 'users', i, 'passwdFrom', 'secret', 'name'], 'secret file source must specify non-empty secret name'));
      if (!str(at(from, 'secret', 'key'))) out.push(err([...base, 'users', i, 'passwdFrom', 'secret', 'key'], 'secret file source must specify non-empty secret key'));
    }
  });
  const gateOff = 'can be set only if the KubeadmBootstrapFormatIgnition feature gate is enabled';
  if (at(spec, 'format') === 'ignition') out.push(err([...base, 'format'], gateOff));
  if (defined(at(spec, 'ignition'))) out.push(err([...base, 'ignition'], gateOff));
  const partitions = at(spec, 'diskSetup', 'partitions');
  (Array.isArray(partitions) ? partitions : []).forEach((p, i) => {
    const layout = at(p, 'diskLayout');
    const total = (Array.isArray(layout) ? layout : []).reduce((sum: number, l) => sum + (int(at(l, 'percentage')) ?? 0), 0);
    if (total > 100) out.push(err([...base, 'diskSetup', 'partitions', i, 'diskLayout'], 'the sum of all partition percentages must not be greater than 100'));
  });
  const user = at(spec, 'joinConfiguration', 'discovery', 'file', 'kubeConfig', 'user');
  if (defined(at(user, 'authProvider')) && defined(at(user, 'exec'))) {
    out.push(err([...base, 'joinConfiguration', 'discovery', 'file', 'kubeConfig', 'user'], 'only one of authProvider or exec must be defined'));
  }
  if (isKCP) {
    const tInit = int(at(spec, 'initConfiguration', 'timeouts', 'controlPlaneComponentHealthCheckSeconds'));
    const tJoin = int(at(spec, 'joinConfiguration', 'timeouts', 'controlPlaneComponentHealthCheckSeconds'));
    if (tInit !== tJoin) {
      const msg = `controlPlaneComponentHealthCheckSeconds must be set to the same value both in initConfiguration.timeouts (${tInit ?? 'unset'}) and in joinConfiguration.timeouts (${tJoin ?? 'unset'})`;
      out.push(err([...base, 'initConfiguration', 'timeouts', 'controlPlaneComponentHealthCheckSeconds'], msg));
    }
  }
  return out;
}

// cluster-api v1.14.0 bootstrap/kubeadm/webhooks/admission/kubeadmconfigtemplate.go KubeadmConfigTemplate.validate
export const kubeadmConfigTemplate: WebhookRule = (obj) => [
  ...kubeadmConfigSpecErrors(at(obj, 'spec', 'template', 'spec'), false, ['spec', 'template', 'spec']),
  ...metadataErrors(at(obj, 'spec', 'template', 'metadata'), ['spec', 'template', 'metadata']),
];

// cluster-api v1.14.0 controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane.go KubeadmControlPlane.Default
function defaultKCP(obj: Json): Json {
  const k = structuredClone(obj);
  const spec = (k.spec ??= {}) as Json;
  spec.replicas ??= 1;
  if (typeof spec.version === 'string' && !spec.version.startsWith('v')) spec.version = `v${spec.version}`;
  const rollout = (spec.rollout ??= {}) as Json;
  const strategy = (rollout.strategy ??= {}) as Json;
  strategy.type = 'RollingUpdate';
  const rolling = (strategy.rollingUpdate ??= {}) as Json;
  rolling.maxSurge ??= 1;
  return k;
}

// cluster-api v1.14.0 controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane.go validateKubeadmControlPlaneSpec,
// validateRolloutAndCertValidityFields, validateNaming
function kcpSpecErrors(spec: unknown): WebhookFinding[] {
  const out: WebhookFinding[] = [];
  const replicas = int(at(spec, 'replicas'));
  if (replicas === undefined) out.push(err(['spec', 'replicas'], 'is required'));
  else if (replicas <= 0) out.push(err(['spec', 'replicas'], 'cannot be less than or equal to 0'));
  const clusterConfiguration = at(spec, 'kubeadmConfigSpec', 'clusterConfiguration');
  if (!defined(at(clusterConfiguration, 'etcd', 'external')) && replicas !== undefined && replicas % 2 === 0) {
    out.push(err(['spec', 'replicas'], 'cannot be an even number when etcd is stacked'));
  }
  for (const f of ['apiGroup', 'kind', 'name']) {
    if (!str(at(spec, 'machineTemplate', 'spec', 'infrastructureRef', f))) out.push(err(['spec', 'machineTemplate', 'spec', 'infrastructureRef', f], 'cannot be empty'));
  }
  out.push(...machineTaintErrors(at(spec, 'machineTemplate', 'spec', 'taints'), ['spec', 'machineTemplate', 'spec', 'taints']));
  out.push(...metadataErrors(at(spec, 'machineTemplate', 'metadata'), ['spec', 'machineTemplate', 'metadata']));
  const version = str(at(spec, 'version'));
  if (!version.startsWith('v')) out.push(err(['spec', 'version'], 'must start with v'));
  if (!SEMVER.test(version.replace(/^v/, ''))) out.push(err(['spec', 'version'], 'must be a valid semantic version'));
  const rollout = at(spec, 'rollout');
  const strategy = at(rollout, 'strategy');
  if (defined(strategy)) {
    if (at(strategy, 'type') !== 'RollingUpdate') out.push(err(['spec', 'rollout', 'strategy', 'type'], 'only RollingUpdate is supported'));
    const maxSurge = at(strategy, 'rollingUpdate', 'maxSurge');
    if (maxSurge !== undefined) {
      if (intValue(maxSurge) === 0 && replicas !== undefined && replicas < 3) {
        out.push(err(['spec', 'rollout', 'strategy', 'rollingUpdate'], 'when KubeadmControlPlane is configured to scale-in, replica count needs to be at least 3'));
      }
      if (intValue(maxSurge) !== 1 && intValue(maxSurge) !== 0) out.push(err(['spec', 'rollout', 'strategy', 'rollingUpdate', 'maxSurge'], 'value must be 1 or 0'));
    }
    const certDays = int(at(clusterConfiguration, 'certificateValidityPeriodDays')) ?? 0;
    const caDays = int(at(clusterConfiguration, 'caCertificateValidityPeriodDays')) ?? 0;
    const certPath = ['spec', 'kubeadmConfigSpec', 'clusterConfiguration', 'certificateValidityPeriodDays'];
    if (certDays !== 0) {
      if (caDays !== 0 && certDays > caDays) out.push(err(certPath, `must be less than or equal to caCertificateValidityPeriodDays (${caDays})`));
      else if (caDays === 0 && certDays > DEFAULT_CA_CERTIFICATES_EXPIRY_DAYS) {
        out.push(err(certPath, `must be less than or equal to the default value of caCertificateValidityPeriodDays (${DEFAULT_CA_CERTIFICATES_EXPIRY_DAYS})`));
      }
      const before = int(at(rollout, 'before', 'certificatesExpiryDays')) ?? 0;
      if (before !== 0 && before >= certDays) out.push(err(['spec', 'rollout', 'before', 'certificatesExpiryDays'], `must be less than certificateValidityPeriodDays (${certDays})`));
    }
  }
  const template = str(at(spec, 'machineNaming', 'template'));
  if (template && !template.includes('{{ .random }}')) out.push(err(['spec', 'machineNaming', 'template'], 'invalid template, {{ .random }} is missing'));
  return out;
}

// cluster-api v1.14.0 controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane.go validateClusterConfiguration
function clusterConfigurationErrors(oldCC: unknown, newCC: unknown): WebhookFinding[] {
  const base = ['spec', 'kubeadmConfigSpec', 'clusterConfiguration'];
  const out: WebhookFinding[] = [];
  const dnsTag = at(newCC, 'dns', 'imageTag');
  if (dnsTag !== undefined && dnsTag !== '' && !IMAGE_TAG.test(str(dnsTag))) out.push(err([...base, 'dns', 'imageTag'], `tag ${str(dnsTag)} is invalid`));
  const local = at(newCC, 'etcd', 'local');
  const localTag = str(at(local, 'imageTag'));
  if (defined(local) && localTag && !IMAGE_TAG.test(localTag)) out.push(err([...base, 'etcd', 'local', 'imageTag'], `tag ${localTag} is invalid`));
  const external = defined(at(newCC, 'etcd', 'external'));
  if (defined(local) && external) out.push(err([...base, 'etcd', 'local'], 'cannot have both external and local etcd'));
  if (oldCC !== undefined && external !== defined(at(oldCC, 'etcd', 'external'))) out.push(err([...base, 'etcd', 'external'], 'cannot change between external and local etcd'));
  return out;
}

// cluster-api v1.14.0 controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane.go ValidateUpdate allowedPaths
export const KCP_ALLOWED_PATHS: readonly string[][] = (() => {
  const kcs = ['spec', 'kubeadmConfigSpec'];
  const cc = [...kcs, 'clusterConfiguration'];
  const init = [...kcs, 'initConfiguration'];
  const join = [...kcs, 'joinConfiguration'];
  return [
    ['metadata', '*'],
    [...cc, 'etcd'], [...cc, 'etcd', '*'], [...cc, 'etcd', 'local'], [...cc, 'etcd', 'local', '*'], [...cc, 'etcd', 'external', '*'],
    [...cc, 'dns'], [...cc, 'dns', '*'], [...cc, 'imageRepository'], [...cc, 'featureGates'], [...cc, 'featureGates', '*'],
    [...cc, 'apiServer'], [...cc, 'apiServer', '*'], [...cc, 'controllerManager'], [...cc, 'controllerManager', '*'],
    [...cc, 'scheduler'], [...cc, 'scheduler', '*'], [...cc, 'certificateValidityPeriodDays'], [...cc, 'encryptionAlgorithm'],
    [...init, 'nodeRegistration'], [...init, 'nodeRegistration', '*'], [...init, 'patches', 'directory'], [...init, 'patches'],
    [...init, 'skipPhases'], [...init, 'bootstrapTokens'], [...init, 'localAPIEndpoint'], [...init, 'localAPIEndpoint', '*'],
    [...init, 'timeouts'], [...init, 'timeouts', '*'],
    [...join, 'nodeRegistration'], [...join, 'nodeRegistration', '*'], [...join, 'patches', 'directory'], [...join, 'patches'],
    [...join, 'skipPhases'], [...join, 'caCertPath'], [...join, 'controlPlane'], [...join, 'controlPlane', '*'],
    [...join, 'discovery'], [...join, 'discovery', '*'], [...join, 'timeouts'], [...join, 'timeouts', '*'],
    [...kcs, 'bootCommands'], [...kcs, 'preKubeadmCommands'], [...kcs, 'postKubeadmCommands'], [...kcs, 'files'], [...kcs, 'verbosity'],
    [...kcs, 'users'], [...kcs, 'ntp'], [...kcs, 'ntp', '*'], [...kcs, 'ignition'], [...kcs, 'ignition', '*'],
    [...kcs, 'diskSetup'], [...kcs, 'diskSetup', '*'], [...kcs, 'format'], [...kcs, 'mounts'],
    ['spec', 'machineTemplate', 'metadata'], ['spec', 'machineTemplate', 'metadata', '*'],
    ['spec', 'machineTemplate', 'spec'], ['spec', 'machineTemplate', 'spec', '*'],
    ['spec', 'replicas'], ['spec', 'version'], ['spec', 'remediation'], ['spec', 'remediation', '*'],
    ['spec', 'machineNaming'], ['spec', 'machineNaming', '*'], ['spec', 'rollout'], ['spec', 'rollout', '*'],
  ];
})();

// cluster-api v1.14.0 controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane.go pathsMatch
function pathsMatch(allowed: readonly string[], path: readonly string[]): boolean {
  if (!allowed.length || !path.length) return false;
  let i = 0;
  for (i = 0; i < path.length; i++) {
    if (i > allowed.length - 1) return false;
    if (allowed[i] === '*') return true;
    if (path[i] !== allowed[i]) return false;
  }
  return i - 1 >= allowed.length - 1;
}

/** The leaf paths of a JSON merge patch from a to b (lists are replaced whole, as in the upstream diff). */
export function mergePatchPaths(a: unknown, b: unknown, prefix: string[] = []): string[][] {
  const from = isObject(a) ? a : {};
  const to = isObject(b) ? b : {};
  const keys = new Set([...Object.keys(from), ...Object.keys(to)]);
  return [...keys].sort().flatMap((k) => {
    if (deepEqual(from[k], to[k])) return [];
    // an object in the new value is patched field by field; anything else (removal, scalar, list) is a leaf
    if (isObject(to[k])) return mergePatchPaths(from[k], to[k], [...prefix, k]);
    return [[...prefix, k]];
  });
}

const minorOf = (v: string): [number, number] | undefined => {
  const m = /^v?(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
};

// cluster-api v1.14.0 controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane.go ValidateCreate / ValidateUpdate
export const kubeadmControlPlane: WebhookRule = (rawObj, rawOld) => {
  const obj = defaultKCP(rawObj);
  const spec = at(obj, 'spec');
  const out = kcpSpecErrors(spec);
  const cc = at(spec, 'kubeadmConfigSpec', 'clusterConfiguration');
  if (!rawOld) {
    out.push(...clusterConfigurationErrors(undefined, cc));
  } else {
    const old = defaultKCP(rawOld);
    for (const path of mergePatchPaths(old, obj)) {
      if (path.length && !KCP_ALLOWED_PATHS.some((a) => pathsMatch(a, path))) out.push(err(path, 'cannot be modified'));
    }
    // validateVersion: at most one minor up per update
    const from = minorOf(str(at(old, 'spec', 'version')));
    const to = minorOf(str(at(spec, 'version')));
    if (from && to && (to[0] > from[0] || (to[0] === from[0] && to[1] >= from[1] + 2))) {
      out.push(err(['spec', 'version'], `cannot update Kubernetes version from ${str(at(old, 'spec', 'version'))} to ${str(at(spec, 'version'))}`));
    }
    out.push(...clusterConfigurationErrors(at(old, 'spec', 'kubeadmConfigSpec', 'clusterConfiguration'), cc));
    // validateCoreDNSVersion needs the CoreDNS migration table of coredns/corefile-migration
    const oldTag = str(at(old, 'spec', 'kubeadmConfigSpec', 'clusterConfiguration', 'dns', 'imageTag'));
    const newTag = str(at(cc, 'dns', 'imageTag'));
    if (oldTag && newTag && oldTag !== newTag) {
      out.push({ ...err(['spec', 'kubeadmConfigSpec', 'clusterConfiguration', 'dns', 'imageTag'], `CoreDNS migration ${oldTag} → ${newTag} (corefile-migration table not available offline)`), unevaluated: true });
    }
  }
  out.push(...kubeadmConfigSpecErrors(at(spec, 'kubeadmConfigSpec'), true, ['spec', 'kubeadmConfigSpec']));
  return out;
};

