// Admission rules of Cluster API v1.14.0 core webhooks (kubernetes-sigs/cluster-api, tag v1.14.0, commit 560d4ac),
// written from the Go source for the kinds kprod emits. Feature gates at their defaults.
import { isIP } from 'node:net';
import type { Segment } from '../paths';
import {
  at,
  deepEqual,
  defined,
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
export function machineTaintErrors(taints: unknown, base: Segment[]): WebhookFinding[] {
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
