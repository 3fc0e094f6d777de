import { parseFleet, type SpecIssue } from '../../../lib/spec';
import { capacityGroups } from '../../../lib/tenancy/capacity';

// The schema defaults of tenancy.overcommitWarnRatio / overcommitMaxRatio.
const OVERCOMMIT_WARN_RATIO = 1.5;
const OVERCOMMIT_MAX_RATIO = 3;
import { exampleFleet } from '../../helpers/fleet';
import { errorsOf } from '../../helpers/spec-issues';

const PROD = 'environments[0].clusters[0]';


const at = (issues: SpecIssue[], path: string) => issues.filter((i) => i.path === path);

describe('quota against allocatable capacity', () => {
  function withMlCpu(cpu: string) {
    const input = exampleFleet();
    input.environments[0].clusters[0].tenants[1].quota = { 'requests.cpu': cpu };
    return input;
  }
  const gpuCores = () => {
    const { spec } = parseFleet(withMlCpu('1'));
    const group = capacityGroups(spec.environments[0].clusters[0] as never).find((g) => g.label === 'pools dedicated to ml')!;
    return group.allocatable['requests.cpu'] / 1000;
  };

  it('counts only the dedicated pools for an isolated tenant, below raw capacity', () => {
    const cores = gpuCores();
    // two gpu-a100x4 machines of 48 cores, minus the kubelet reservations
    expect(cores).toBeLessThan(96);
    expect(cores).toBeGreaterThan(80);
  });

  it('warns between the warning and the hard ratio, at the quota field', () => {
    const cpu = String(Math.round(gpuCores() * (OVERCOMMIT_WARN_RATIO + OVERCOMMIT_MAX_RATIO) / 2));
    const { warnings } = parseFleet(withMlCpu(cpu));
    const w = at(warnings, `${PROD}.tenants[1].quota.requests.cpu`);
    expect(w).toHaveLength(1);
    expect(w[0].severity).toBe('warning');
    expect(w[0].message).toMatch(/pools dedicated to ml \(gpu\)/);
    expect(w[0].value).toBe(cpu);
  });

  it('fails above the hard ratio', () => {
    const cpu = String(Math.ceil(gpuCores() * OVERCOMMIT_MAX_RATIO) + 10);
    const e = at(errorsOf(withMlCpu(cpu)), `${PROD}.tenants[1].quota.requests.cpu`);
    expect(e).toHaveLength(1);
    expect(e[0].message).toMatch(/limit 3×/);
  });

  it('takes the ratios from the cluster\'s tenancy settings', () => {
    const cpu = String(Math.round(gpuCores() * 2));
    const strict = withMlCpu(cpu);
    strict.environments[0].clusters[0].tenancy = { overcommitWarnRatio: 1, overcommitMaxRatio: 1.5 };
    const e = at(errorsOf(strict), `${PROD}.tenants[1].quota.requests.cpu`);
    expect(e).toHaveLength(1);
    expect(e[0].message).toMatch(/limit 1\.5× \(tenancy\.overcommitMaxRatio\)/);
    const lax = withMlCpu(cpu);
    lax.environments[0].clusters[0].tenancy = { overcommitWarnRatio: 2.5, overcommitMaxRatio: 4 };
    expect(at(parseFleet(lax).warnings, `${PROD}.tenants[1].quota.requests.cpu`)).toEqual([]);
    const inverted = withMlCpu('1');
    inverted.environments[0].clusters[0].tenancy = { overcommitWarnRatio: 2, overcommitMaxRatio: 1 };
    expect(errorsOf(inverted).map((i) => i.path)).toContain(`${PROD}.tenancy.overcommitMaxRatio`);
  });

  it('stays quiet under the warning ratio', () => {
    const { warnings } = parseFleet(withMlCpu(String(Math.floor(gpuCores()))));
    expect(at(warnings, `${PROD}.tenants[1].quota.requests.cpu`)).toEqual([]);
  });

  it('multiplies the per-namespace quota by the namespace count on shared pools', () => {
    const input = exampleFleet();
    const payments = input.environments[1].clusters[0].tenants[0];
    // staging: 4 × general-8x32 (32 cores raw); 4 namespaces × 30 cores = 120 cores > 3×
    payments.namespaces = ['a', 'b', 'c', 'd'].map((n) => ({ name: `payments-${n}` }));
    payments.quota = { 'requests.cpu': '30' };
    const e = at(errorsOf(input), 'environments[1].clusters[0].tenants[0].quota.requests.cpu');
    expect(e).toHaveLength(1);
    expect(e[0].message).toMatch(/4 namespace\(s\) × 30 cores/);
  });

  it('uses the sum of the priority tiers when the namespace quota has no bound', () => {
    const input = exampleFleet();
    const payments = input.environments[1].clusters[0].tenants[0];
    payments.quota = {};
    payments.priorityQuotas = { high: { 'requests.memory': '400Gi' }, low: { 'requests.memory': '100Gi' } };
    expect(at(errorsOf(input), 'environments[1].clusters[0].tenants[0].priorityQuotas')).toHaveLength(1);
  });
});

describe('quota and limit quantities', () => {
  it('rejects requests above limits in a quota and in a tier quota', () => {
    const input = exampleFleet();
    const t = input.environments[0].clusters[0].tenants[0];
    t.quota = { 'requests.cpu': '8', 'limits.cpu': '4', 'requests.memory': '1Gi', 'limits.memory': '2Gi' };
    t.priorityQuotas = { high: { 'requests.memory': '3Gi', 'limits.memory': '2Gi' } };
    const errors = errorsOf(input);
    expect(at(errors, `${PROD}.tenants[0].quota.requests.cpu`)[0].message).toMatch(/limits\.cpu \(4\)/);
    expect(at(errors, `${PROD}.tenants[0].quota.requests.memory`)).toEqual([]);
    expect(at(errors, `${PROD}.tenants[0].priorityQuotas.high.requests.memory`)).toHaveLength(1);
  });

  it('rejects quantities the apiserver cannot parse', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].tenants[0].quota['limits.memory'] = '1.2.3Gi';
    const e = at(errorsOf(input), `${PROD}.tenants[0].quota.limits.memory`);
    expect(e).toHaveLength(1);
    expect(e[0].value).toBe('1.2.3Gi');
  });

  it('requires defaultRequest ≤ default ≤ max in the LimitRange', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].tenants[0].limits = {
      defaultRequest: { cpu: '2', memory: '128Mi' },
      default: { cpu: '1', memory: '64Gi' },
      max: { cpu: '8', memory: '32Gi' },
    };
    const errors = errorsOf(input);
    expect(at(errors, `${PROD}.tenants[0].limits.defaultRequest.cpu`)).toHaveLength(1);
    expect(at(errors, `${PROD}.tenants[0].limits.default.memory`)[0].message).toMatch(/limits\.max\.memory \(32Gi\)/);
    expect(at(errors, `${PROD}.tenants[0].limits.defaultRequest.memory`)).toEqual([]);
  });
});

describe('namespaces, network and isolation', () => {
  it('rejects system and add-on namespaces', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].tenants[0].namespaces = [{ name: 'kube-system' }, { name: 'argocd' }, { name: 'kube-extra' }, { name: 'payments-ok' }];
    const errors = errorsOf(input);
    for (const n of [0, 1, 2]) expect(at(errors, `${PROD}.tenants[0].namespaces[${n}].name`)).toHaveLength(1);
    expect(at(errors, `${PROD}.tenants[0].namespaces[3].name`)).toEqual([]);
  });

  it('rejects egress CIDRs that are not CIDRs', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].tenants[0].network.allowEgressToCidrs = ['10.0.0.0/8', '10.0.0.300/24'];
    const errors = errorsOf(input);
    expect(at(errors, `${PROD}.tenants[0].network.allowEgressToCidrs[1]`)).toHaveLength(1);
    expect(at(errors, `${PROD}.tenants[0].network.allowEgressToCidrs[0]`)).toEqual([]);
  });

  it('requires a tenant pool to be dedicated to that tenant', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].tenants[0].nodePools = ['search'];
    const e = at(errorsOf(input), `${PROD}.tenants[0].nodePools[0]`);
    expect(e).toHaveLength(1);
    expect(e[0].message).toMatch(/not dedicated to any tenant/);
  });

  it('requires a dedicated pool to be listed by its tenant', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].tenants[1].nodePools = [];
    const e = at(errorsOf(input), `${PROD}.nodePools[2].dedicatedTo`);
    expect(e).toHaveLength(1);
    expect(e[0].message).toMatch(/tenant ml does not list pool gpu/);
  });

  it('warns when a tenant names no owner', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].tenants[0].owners = {};
    const { warnings } = parseFleet(input);
    expect(at(warnings, 'environments[1].clusters[0].tenants[0].owners')).toHaveLength(1);
  });

  it('accepts the example fleet', () => {
    expect(() => parseFleet(exampleFleet())).not.toThrow();
  });
});

describe('capacity edge cases', () => {
  it('fails when tenants on shared pools have quota but every pool is dedicated', () => {
    const input = exampleFleet();
    const c = input.environments[0].clusters[0];
    c.nodePools = [c.nodePools[2]];
    const e = at(errorsOf(input), `${PROD}.tenants[0].quota.requests.cpu`);
    expect(e).toHaveLength(1);
    expect(e[0].message).toMatch(/shared pools: .*no allocatable cpu \(there is no such pool\)/);
  });

  it('leaves pools with an unknown SKU to the references rule', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[2].sku = 'no-such-sku';
    const errors = errorsOf(input);
    expect(at(errors, `${PROD}.nodePools[2].sku`)).toHaveLength(1);
    expect(errors.filter((i) => i.path.startsWith(`${PROD}.tenants[1].quota`))).toEqual([]);
  });
});
