import { CIS_CHECKS, type CisCheck, type CisComponent, type CisCondition } from './checks';

/**
 * What the CIS evaluator reads: the effective command-line flags of each control-plane component
 * (names without `--`, values as text), the kubelet's KubeletConfiguration plus its command-line
 * flags, and the KubeProxyConfiguration. "Effective" means kubeadm's own flags with kprod's
 * extraArgs merged over them (see lib/cis/kubeadm-defaults and lib/cis/cluster-inputs).
 */
export interface CisInputs {
  readonly apiserver: Readonly<Record<string, string>>;
  readonly controllerManager: Readonly<Record<string, string>>;
  readonly scheduler: Readonly<Record<string, string>>;
  readonly etcd: Readonly<Record<string, string>>;
  readonly kubelet: Readonly<Record<string, unknown>>;
  readonly kubeletFlags: Readonly<Record<string, string>>;
  readonly kubeProxy: Readonly<Record<string, unknown>>;
}

export interface CisFailure {
  readonly check: CisCheck;
  /** The values the failed condition read (undefined: not set). */
  readonly values: Readonly<Record<string, string | undefined>>;
}

export interface CisResult {
  /** Number of checks evaluated (62 for CIS 1.12). */
  readonly total: number;
  readonly passed: readonly CisCheck[];
  readonly failed: readonly CisFailure[];
}

/** Text of a config value as kube-bench compares it: arrays joined by ",", scalars as written. */
function text(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String).join(',');
  return String(value);
}

function configValue(config: Readonly<Record<string, unknown>>, path: string): string | undefined {
  let cur: unknown = config;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return text(cur);
}

/** Reads one flag or config field of a component. */
export function readCisValue(inputs: CisInputs, component: CisComponent, flag: string): string | undefined {
  switch (component) {
    case 'kubelet':
      return text(inputs.kubeletFlags[flag]) ?? configValue(inputs.kubelet, flag);
    case 'kubeProxy':
      return configValue(inputs.kubeProxy, flag);
    default:
      return text(inputs[component][flag]);
  }
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

function holds(cond: CisCondition, read: (flag: string) => string | undefined, seen: Record<string, string | undefined>): boolean {
  if (cond.op === 'anyOf') return cond.conditions.map((c) => holds(c, read, seen)).some(Boolean);
  if (cond.op === 'allOf') return cond.conditions.map((c) => holds(c, read, seen)).every(Boolean);
  const v = read(cond.flag);
  seen[cond.flag] = v;
  switch (cond.op) {
    case 'set':
      return v !== undefined;
    case 'unset':
      return v === undefined;
    case 'eq':
      return v === cond.value;
    case 'noteq':
      return v !== undefined && v !== cond.value;
    case 'has':
      return v !== undefined && list(v).some((el) => el === cond.value || el.startsWith(`${cond.value}:`));
    case 'nothave':
      return v !== undefined && !list(v).includes(cond.value);
    case 'gte':
      return v !== undefined && Number.isFinite(Number(v)) && Number(v) >= cond.value;
    case 'validElements':
      return v !== undefined && list(v).length > 0 && list(v).every((el) => cond.values.includes(el));
  }
}

/** Evaluates the configuration-decidable CIS 1.12 checks against rendered inputs. */
export function evaluateCis(inputs: CisInputs, checks: readonly CisCheck[] = CIS_CHECKS): CisResult {
  const passed: CisCheck[] = [];
  const failed: CisFailure[] = [];
  for (const check of checks) {
    const seen: Record<string, string | undefined> = {};
    if (holds(check.pass, (flag) => readCisValue(inputs, check.component, flag), seen)) passed.push(check);
    else failed.push({ check, values: seen });
  }
  return { total: checks.length, passed, failed };
}

/** "CIS: 61/62 configuration checks pass (failing: 4.2.9)". */
export function describeCisResult(result: CisResult): string {
  const failing = result.failed.map((f) => f.check.id);
  return `CIS: ${result.passed.length}/${result.total} configuration checks pass${failing.length ? ` (failing: ${failing.join(', ')})` : ''}`;
}
