// Admission rules of Cluster API v1.14.0 (kubernetes-sigs/cluster-api, tag v1.14.0, commit 560d4ac),
// written from the webhooks' Go source for the kinds kprod emits. Feature gates at their defaults.
import { isIP } from 'node:net';
import type { Segment } from '../paths';
import {
  at,
  deepEqual,
  err,
  isIntOrPercent,
  isObject,
  labelValueErrors,
  metadataErrors,
  selectorEmpty,
  selectorError,
  selectorMatches,
  SEMVER,
  str,
  type Json,
  type WebhookFinding,
  type WebhookRule,
} from './rule';

const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
const DEPLOYMENT_NAME_LABEL = 'cluster.x-k8s.io/deployment-name';
/** util/secret DefaultCACertificatesExpiryDays. */
const DEFAULT_CA_CERTIFICATES_EXPIRY_DAYS = 3650;
/** util/container ImageTagIsValid. */
const IMAGE_TAG = /^[\w][\w.-]{0,127}$/;

const defined = (v: unknown): boolean => isObject(v) && Object.values(v).some((x) => x !== undefined && x !== '' && !(isObject(x) && !defined(x)));
const int = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** intstr IntValue: an int, or a string parsed as an int (0 when it is not one). */
const intValue = (v: unknown): number => (typeof v === 'number' ? v : Number.parseInt(str(v), 10) || 0);

function nameErrors(obj: Json): WebhookFinding[] {
  return labelValueErrors(str(at(obj, 'metadata', 'name'))).map((e) => err(['metadata', 'name'], `must be a valid label value: ${e}`));
}

function cidrErrors(cidrs: unknown, segs: Segment[]): WebhookFinding[] {
  if (!Array.isArray(cidrs)) return [];
  return cidrs.flatMap((c, i) => {
    const [ip, bits, extra] = str(c).split('/');
    const max = isIP(ip) === 6 ? 128 : 32;
    const ok = extra === undefined && isIP(ip) !== 0 && /^\d+$/.test(bits ?? '') && Number(bits) <= max;
    return ok ? [] : [err([...segs, i], `invalid CIDR address: ${str(c)}`)];
  });
}

// cluster-api v1.14.0 internal/util/taints/validation.go ValidateMachineTaints (MachineTaintPropagation gate off by default)
function machineTaintErrors(taints: unknown, base: Segment[]): WebhookFinding[] {
  if (!Array.isArray(taints) || !taints.length) return [];
  const out: WebhookFinding[] = [err(base, 'taints are not allowed to be set when the feature gate MachineTaintPropagation is disabled')];
  taints.forEach((t, i) => {
    const key = str(at(t, 'key'));
    const path = [...base, i, 'key'];
    if (key === 'node.cluster.x-k8s.io/uninitialized' || key === 'node.cluster.x-k8s.io/outdated-revision') out.push(err(path, 'taint key is not allowed'));
    else if (key.startsWith('node.kubernetes.io/') && key !== 'node.kubernetes.io/out-of-service') {
      out.push(err(path, 'taint key must not have the prefix node.kubernetes.io/, except for node.kubernetes.io/out-of-service'));
    } else if (key.startsWith('node.cloudprovider.kubernetes.io/')) out.push(err(path, 'taint key must not have the prefix node.cloudprovider.kubernetes.io/'));
    else if (key === 'node-role.kubernetes.io/master') out.push(err(path, 'taint is deprecated since 1.24 and should not be used anymore'));
  });
  return out;
}

// cluster-api v1.14.0 core/webhooks/admission/cluster.go Cluster.validate (topology rules omitted: kprod emits no ClusterClass topology)
export const cluster: WebhookRule = (obj, old) => {
  const out = nameErrors(obj);
  const spec = at(obj, 'spec');
  if (old && !defined(at(spec, 'infrastructureRef')) && defined(at(old, 'spec', 'infrastructureRef'))) out.push(err(['spec', 'infrastructureRef'], 'cannot be removed'));
  if (!defined(at(spec, 'controlPlaneRef')) && !defined(at(spec, 'infrastructureRef')) && !defined(at(spec, 'topology'))) {
    out.push(err(['spec'], 'one of spec.controlPlaneRef, spec.infrastructureRef or spec.topology must be set'));
  }
  if (old && !defined(at(spec, 'controlPlaneRef')) && defined(at(old, 'spec', 'controlPlaneRef'))) out.push(err(['spec', 'controlPlaneRef'], 'cannot be removed'));
  out.push(...cidrErrors(at(spec, 'clusterNetwork', 'pods', 'cidrBlocks'), ['spec', 'clusterNetwork', 'pods', 'cidrBlocks']));
  out.push(...cidrErrors(at(spec, 'clusterNetwork', 'services', 'cidrBlocks'), ['spec', 'clusterNetwork', 'services', 'cidrBlocks']));
  if (old && defined(at(old, 'spec', 'topology')) && !defined(at(spec, 'topology'))) out.push(err(['spec', 'topology'], 'cannot be removed from an existing Cluster'));
  return out;
};

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
const KCP_ALLOWED_PATHS: readonly string[][] = (() => {
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

const AUTOSCALER_MIN = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
const AUTOSCALER_MAX = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';

// cluster-api v1.14.0 core/webhooks/admission/machinedeployment.go MachineDeployment.Default (the parts validation depends on)
function defaultMD(obj: Json): { md: Json; errors: WebhookFinding[] } {
  const md = structuredClone(obj);
  const errors: WebhookFinding[] = [];
  const spec = (md.spec ??= {}) as Json;
  const clusterName = str(spec.clusterName);
  const annotations = (at(md, 'metadata', 'annotations') ?? {}) as Json;
  if (spec.replicas === undefined && AUTOSCALER_MIN in annotations && AUTOSCALER_MAX in annotations) {
    for (const a of [AUTOSCALER_MIN, AUTOSCALER_MAX]) {
      if (!/^[-+]?\d+$/.test(str(annotations[a]))) errors.push(err(['metadata', 'annotations', a], `failed to caculate MachineDeployment replicas value: could not parse the value of the "${a}" annotation`));
    }
  }
  const selector = (spec.selector ??= {}) as Json;
  const matchLabels = (selector.matchLabels ??= {}) as Json;
  const template = (spec.template ??= {}) as Json;
  const tmeta = (template.metadata ??= {}) as Json;
  const labels = (tmeta.labels ??= {}) as Json;
  const rollout = (spec.rollout ??= {}) as Json;
  const strategy = (rollout.strategy ??= {}) as Json;
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = (strategy.rollingUpdate ??= {}) as Json;
    rolling.maxSurge ??= 1;
    rolling.maxUnavailable ??= 0;
  }
  if (!Object.keys(matchLabels).length && !(Array.isArray(selector.matchExpressions) && selector.matchExpressions.length)) {
    matchLabels[DEPLOYMENT_NAME_LABEL] = str(at(md, 'metadata', 'name'));
    labels[DEPLOYMENT_NAME_LABEL] = str(at(md, 'metadata', 'name'));
  }
  matchLabels[CLUSTER_NAME_LABEL] = clusterName;
  labels[CLUSTER_NAME_LABEL] = clusterName;
  const tspec = at(template, 'spec');
  if (isObject(tspec) && typeof tspec.version === 'string' && tspec.version && !tspec.version.startsWith('v')) tspec.version = `v${tspec.version}`;
  return { md, errors };
}

// cluster-api v1.14.0 core/webhooks/admission/machinedeployment.go MachineDeployment.validate, validateRolloutStrategy,
// validateRemediationMaxInFlight, validateMDMachineNaming
export const machineDeployment: WebhookRule = (obj, old) => {
  const { md, errors: out } = defaultMD(obj);
  out.push(...nameErrors(md));
  const spec = at(md, 'spec');
  const bootstrap = at(spec, 'template', 'spec', 'bootstrap');
  if (!defined(at(bootstrap, 'configRef')) && at(bootstrap, 'dataSecretName') === undefined) {
    out.push(err(['spec', 'template', 'spec', 'bootstrap'], 'expected either spec.template.spec.bootstrap.dataSecretName or spec.template.spec.bootstrap.configRef to be populated'));
  }
  const selector = at(spec, 'selector');
  const invalid = selectorError(selector);
  if (invalid) out.push(err(['spec', 'selector'], invalid));
  else if (!selectorMatches(selector, (at(spec, 'template', 'metadata', 'labels') ?? {}) as Json)) out.push(err(['spec', 'template', 'metadata', 'labels'], 'must match spec.selector'));
  if (old && str(at(old, 'spec', 'clusterName')) !== str(at(spec, 'clusterName'))) out.push(err(['spec', 'clusterName'], 'field is immutable'));
  if (str(at(spec, 'clusterName')) !== str(at(spec, 'template', 'spec', 'clusterName'))) {
    out.push(err(['spec', 'clusterName'], 'spec.clusterName and spec.template.spec.clusterName must be set to the same value'));
  }
  const rolling = at(spec, 'rollout', 'strategy', 'rollingUpdate');
  for (const f of ['maxUnavailable', 'maxSurge']) {
    const v = at(rolling, f);
    if (v !== undefined && !isIntOrPercent(v)) out.push(err(['spec', 'rollout', 'strategy', 'rollingUpdate', f], 'must be either an int or a percentage'));
  }
  if (at(rolling, 'maxUnavailable') === 0 && at(rolling, 'maxSurge') === 0) out.push(err(['spec', 'rollout', 'strategy', 'rollingUpdate'], 'maxUnavailable and maxSurge cannot both be 0'));
  const maxInFlight = at(spec, 'remediation', 'maxInFlight');
  if (maxInFlight !== undefined && !isIntOrPercent(maxInFlight)) out.push(err(['spec', 'remediation', 'maxInFlight'], 'must be either an int or a percentage'));
  const version = str(at(spec, 'template', 'spec', 'version'));
  if (version) {
    if (!version.startsWith('v')) out.push(err(['spec', 'template', 'spec', 'version'], 'must start with v'));
    if (!SEMVER.test(version.replace(/^v/, ''))) out.push(err(['spec', 'template', 'spec', 'version'], 'must be a valid semantic version'));
  }
  const naming = str(at(spec, 'machineNaming', 'template'));
  if (naming && !naming.includes('{{ .random }}')) out.push(err(['spec', 'machineNaming', 'template'], 'invalid template, {{ .random }} is missing'));
  out.push(...machineTaintErrors(at(spec, 'template', 'spec', 'taints'), ['spec', 'template', 'spec', 'taints']));
  out.push(...metadataErrors(at(spec, 'template', 'metadata'), ['spec', 'template', 'metadata']));
  return out;
};

// cluster-api v1.14.0 core/webhooks/admission/machinehealthcheck.go MachineHealthCheck.Default and validate
export const machineHealthCheck: WebhookRule = (obj, old) => {
  const out: WebhookFinding[] = [];
  const spec = at(obj, 'spec');
  const selector = at(spec, 'selector');
  const invalid = selectorError(selector);
  if (invalid) out.push(err(['spec', 'selector'], invalid));
  if (!invalid && selectorEmpty(selector)) out.push(err(['spec', 'selector'], 'selector must not be empty'));
  const selected = at(selector, 'matchLabels', CLUSTER_NAME_LABEL);
  if (selected !== undefined && selected !== str(at(spec, 'clusterName'))) out.push(err(['spec', 'selector'], 'cannot specify a cluster selector other than the one specified by ClusterName'));
  if (old && str(at(old, 'spec', 'clusterName')) !== str(at(spec, 'clusterName'))) out.push(err(['spec', 'clusterName'], 'field is immutable'));
  // Default: nodeStartupTimeoutSeconds 600; 0 disables the check, anything else must be at least 30
  const startup = at(spec, 'checks', 'nodeStartupTimeoutSeconds');
  if (typeof startup === 'number' && startup !== 0 && startup < 30) out.push(err(['spec', 'checks', 'nodeStartupTimeoutSeconds'], 'must be at least 30s'));
  const unhealthy = at(spec, 'remediation', 'triggerIf', 'unhealthyLessThanOrEqualTo');
  if (unhealthy !== undefined && !isIntOrPercent(unhealthy)) out.push(err(['spec', 'remediation', 'triggerIf', 'unhealthyLessThanOrEqualTo'], 'must be either an int or a percentage'));
  return out;
};

// cluster-api v1.14.0 core/webhooks/admission/clusterresourceset.go ClusterResourceSet.Default and validate
export const clusterResourceSet: WebhookRule = (obj, old) => {
  const out: WebhookFinding[] = [];
  const selector = at(obj, 'spec', 'clusterSelector');
  const invalid = selectorError(selector);
  if (invalid) out.push(err(['spec', 'clusterSelector'], invalid));
  if (!invalid && selectorEmpty(selector)) out.push(err(['spec', 'clusterSelector'], 'selector must not be empty'));
  if (old) {
    const strategy = (o: unknown) => str(at(o, 'spec', 'strategy')) || 'ApplyOnce';
    if (strategy(old) !== strategy(obj)) out.push(err(['spec', 'strategy'], 'field is immutable'));
    if (!deepEqual(at(old, 'spec', 'clusterSelector'), selector)) out.push(err(['spec', 'clusterSelector'], 'field is immutable'));
  }
  return out;
};
