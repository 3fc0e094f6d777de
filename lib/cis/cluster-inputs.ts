import { parse } from 'yaml';
import { Remembered } from '../remembered';
import { ETCD_PKI_DIR } from '../pki/etcd-plan';
import { renderEtcdMemberConfig, etcdTuning } from '../render/etcd';
import {
  apiServerArgs,
  controllerManagerArgs,
  controlPlaneNodeRegistration,
  localEtcdArgs,
  mergeExtraArgs,
  schedulerArgs,
  usesAuthenticationConfig,
  type KubeadmOptions,
} from '../render/kubeadm';
import { kubeletConfiguration } from '../render/kubelet';
import type { ExtraArg } from '../render/types';
import type { ClusterSpec } from '../spec';
import { ANONYMOUS_LIMITED, ENCRYPTION_PROVIDER } from './checks';
import type { CisInputs } from './evaluate';
import {
  KUBEADM_APISERVER_FLAGS,
  KUBEADM_CONTROLLER_MANAGER_FLAGS,
  KUBEADM_ETCD_FLAGS,
  KUBEADM_KUBE_PROXY_CONFIG,
  KUBEADM_KUBELET_CONFIG,
  KUBEADM_SCHEDULER_FLAGS,
} from './kubeadm-defaults';

const record = (args: readonly ExtraArg[]): Record<string, string> => Object.fromEntries(args.map((a) => [a.name, a.value]));

/** Strategic-merge-like deep merge of plain objects (what kubeadm does with a kubeletconfiguration patch); arrays and scalars replace. */
function deepMerge(base: Readonly<Record<string, unknown>>, patch: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const b = out[k];
    out[k] = v && b && typeof v === 'object' && typeof b === 'object' && !Array.isArray(v) && !Array.isArray(b) ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** Flags of the etcd config files parsed before, by text. */
const parsedFlags = new Remembered<Readonly<Record<string, string>>>(64);

/** Flag form of an external member's etcd config file (the keys CIS section 2 reads). */
export function etcdFlagsFromConfig(configYaml: string): Record<string, string> {
  // A cluster's CIS result is taken several times per build (summary, weakenings, reviewer page), each parsing the same files.
  return { ...parsedFlags.get(configYaml, (text) => Object.freeze(flagsOf(parse(text) as Record<string, any>))) };
}

function flagsOf(c: Record<string, any>): Record<string, string> {
  const flags: Record<string, string> = {};
  const put = (name: string, v: unknown) => {
    if (v !== undefined && v !== null) flags[name] = String(v);
  };
  for (const [section, prefix] of [['client-transport-security', ''], ['peer-transport-security', 'peer-']] as const) {
    const t = c[section] ?? {};
    put(`${prefix}cert-file`, t['cert-file']);
    put(`${prefix}key-file`, t['key-file']);
    put(`${prefix}client-cert-auth`, t['client-cert-auth']);
    put(`${prefix}trusted-ca-file`, t['trusted-ca-file']);
    put(`${prefix}auto-tls`, t['auto-tls']);
  }
  for (const [k, v] of Object.entries(c)) if (typeof v !== 'object') put(k, v);
  return flags;
}

/**
 * The effective settings of a kprod cluster's control plane, as the CIS evaluator reads them:
 * kubeadm's own flags with kprod's extraArgs (and, when `withOverrides`, the spec's
 * `controlPlane.<component>.extraArgs`) merged over them; the control-plane kubelet's
 * KubeletConfiguration (kubeadm's plus kprod's patch); etcd flags of the stacked members, or the
 * config file of the first external member.
 */
export function clusterCisInputs(cluster: ClusterSpec, options: KubeadmOptions = {}, withOverrides = true): CisInputs {
  const cp = cluster.controlPlane;
  const over = (o: Readonly<Record<string, string>>) => (withOverrides ? o : {});
  const apiserver: Record<string, string> = {
    ...KUBEADM_APISERVER_FLAGS,
    ...record(mergeExtraArgs(apiServerArgs(cluster, options), over(cp.apiServer.extraArgs))),
  };
  if (apiserver['encryption-provider-config'] && cp.encryptionAtRest.enabled) apiserver[ENCRYPTION_PROVIDER] = cp.encryptionAtRest.provider;
  if (apiserver['authentication-config'] && usesAuthenticationConfig(cluster)) apiserver[ANONYMOUS_LIMITED] = 'true';

  let etcd: Record<string, string>;
  const external = cp.etcd.topology === 'external' ? cp.etcd.external : undefined;
  if (external) {
    const yaml = renderEtcdMemberConfig({
      name: external.members[0].name,
      members: external.members,
      tuning: etcdTuning(cp.etcd),
      clusterToken: `${cluster.name}-etcd`,
      pkiDir: ETCD_PKI_DIR,
    });
    etcd = etcdFlagsFromConfig(yaml);
  } else {
    etcd = { ...KUBEADM_ETCD_FLAGS, ...record(localEtcdArgs(cluster)) };
  }

  return {
    apiserver,
    controllerManager: { ...KUBEADM_CONTROLLER_MANAGER_FLAGS, ...record(mergeExtraArgs(controllerManagerArgs(cluster, options), over(cp.controllerManager.extraArgs))) },
    scheduler: { ...KUBEADM_SCHEDULER_FLAGS, ...record(mergeExtraArgs(schedulerArgs(cluster), over(cp.scheduler.extraArgs))) },
    etcd,
    kubelet: deepMerge(KUBEADM_KUBELET_CONFIG, kubeletConfiguration(cluster)),
    kubeletFlags: record(controlPlaneNodeRegistration(cluster).kubeletExtraArgs ?? []),
    kubeProxy: KUBEADM_KUBE_PROXY_CONFIG,
  };
}

/** Plain kubeadm: its own flags and configs with no extraArgs at all. */
export function kubeadmDefaultCisInputs(): CisInputs {
  return {
    apiserver: KUBEADM_APISERVER_FLAGS,
    controllerManager: KUBEADM_CONTROLLER_MANAGER_FLAGS,
    scheduler: KUBEADM_SCHEDULER_FLAGS,
    etcd: KUBEADM_ETCD_FLAGS,
    kubelet: KUBEADM_KUBELET_CONFIG,
    kubeletFlags: {},
    kubeProxy: KUBEADM_KUBE_PROXY_CONFIG,
  };
}
