// Admission rules of CAPM3 v1.13.2 (metal3-io/cluster-api-provider-metal3, tag v1.13.2, commit e58645d),
// written from internal/webhooks/v1beta2 for the kinds kprod emits.
import { at, deepEqual, err, str, type WebhookFinding, type WebhookRule } from './rule';

/** url.ParseRequestURI: an absolute URI or an absolute path. */
function isRequestURI(v: string): boolean {
  if (v.startsWith('/')) return true;
  try {
    return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(v) && !!new URL(v);
  } catch {
    return false;
  }
}

// cluster-api-provider-metal3 v1.13.2 api/v1beta2/common_types.go Image.Validate
function imageErrors(image: unknown): WebhookFinding[] {
  const base = ['spec', 'template', 'spec', 'image'];
  const url = str(at(image, 'url'));
  const checksum = at(image, 'checksum');
  if (!url && checksum === undefined) return [err(base, 'either image or customDeploy is required')];
  const out: WebhookFinding[] = [];
  if (!url) out.push(err([...base, 'url'], 'cannot be empty'));
  else if (!isRequestURI(url)) out.push(err([...base, 'url'], 'not a valid URL'));
  if (at(image, 'diskFormat') !== 'live-iso') {
    const sum = str(checksum);
    if (!sum) out.push(err([...base, 'checksum'], 'cannot be empty'));
    else if (/^https?:\/\//.test(sum) && !isRequestURI(sum)) out.push(err([...base, 'checksum'], 'not a valid URL'));
  }
  return out;
}

// cluster-api-provider-metal3 v1.13.2 internal/webhooks/v1beta2/metal3machinetemplate_webhook.go validate
export const metal3MachineTemplate: WebhookRule = (obj) =>
  str(at(obj, 'spec', 'template', 'spec', 'customDeploy', 'method')) ? [] : imageErrors(at(obj, 'spec', 'template', 'spec', 'image'));

// cluster-api-provider-metal3 v1.13.2 internal/webhooks/v1beta2/metal3cluster_webhook.go validate
export const metal3Cluster: WebhookRule = (obj) => (str(at(obj, 'spec', 'controlPlaneEndpoint', 'host')) ? [] : [err(['spec', 'controlPlaneEndpoint'], 'is required')]);

// cluster-api-provider-metal3 v1.13.2 internal/webhooks/v1beta2/metal3datatemplate_webhook.go validate / ValidateUpdate
export const metal3DataTemplate: WebhookRule = (obj, old) => {
  const out: WebhookFinding[] = [];
  const spec = at(obj, 'spec');
  const interfaces = at(spec, 'metaData', 'fromHostInterfaces');
  (Array.isArray(interfaces) ? interfaces : []).forEach((h, i) => {
    const fromBootMAC = at(h, 'fromBootMAC') === true;
    const name = str(at(h, 'interface'));
    if (!fromBootMAC && !name) out.push(err(['spec', 'metaData', 'fromHostInterfaces', i, 'interface'], 'interface must be specified when fromBootMAC is false'));
    if (fromBootMAC && name) out.push(err(['spec', 'metaData', 'fromHostInterfaces', i, 'interface'], 'interface must be empty when fromBootMAC is true'));
  });
  for (const family of ['ipv4', 'ipv6']) {
    const networks = at(spec, 'networkData', 'networks', family);
    (Array.isArray(networks) ? networks : []).forEach((n, i) => {
      if (!str(at(n, 'fromPoolRef', 'name')) && !str(at(n, 'ipAddressFromIPPool')) && !str(at(n, 'fromPoolAnnotation', 'object'))) {
        out.push(err(['spec', 'networkData', 'networks', family, i, 'fromPoolRef', 'name'], 'fromPoolRef needs to contain a reference to an IPPool'));
      }
    });
  }
  if (old) {
    if (!deepEqual(at(old, 'spec', 'metaData'), at(spec, 'metaData'))) out.push(err(['spec', 'metaData'], 'cannot be modified'));
    if (!deepEqual(at(old, 'spec', 'networkData'), at(spec, 'networkData'))) out.push(err(['spec', 'networkData'], 'cannot be modified'));
  }
  return out;
};

// cluster-api-provider-metal3 v1.13.2 internal/webhooks/v1beta2/metal3remediationtemplate_webhook.go Default and validate
export const metal3RemediationTemplate: WebhookRule = (obj) => {
  const out: WebhookFinding[] = [];
  const strategy = at(obj, 'spec', 'template', 'spec', 'strategy');
  const base = ['spec', 'template', 'spec', 'strategy'];
  // Default: type Reboot, timeoutSeconds 600 when 0, retryLimit at least 1
  const type = str(at(strategy, 'type')) || 'Reboot';
  const timeout = Number(at(strategy, 'timeoutSeconds') ?? 0);
  if (timeout !== 0 && timeout < 100) out.push(err([...base, 'timeoutSeconds'], 'min duration is 100 seconds'));
  if (type !== 'Reboot') out.push(err([...base, 'type'], 'only supported remediation strategy is reboot'));
  return out;
};
