import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { parseFleet } from '../../../lib/spec';
import { tenantBundle } from '../../../lib/tenancy/bundle';
import { exampleFleet } from '../../helpers/fleet';
import { issuesOf } from '../../helpers/spec-issues';

const PROD = 'environments[0].clusters[0]';

const errorsAt = (input: unknown, path: string) => issuesOf(input).filter((i) => i.severity === 'error' && i.path === path);

function quotasOf(input: unknown, env: number, tenant: number) {
  const cluster = parseFleet(input).spec.environments[env].clusters[0];
  return tenantBundle(cluster, cluster.tenants[tenant]).filter((m) => m.kind === 'ResourceQuota') as any[];
}

describe('extended resources, ephemeral storage and pod scopes in tenant quotas', () => {
  it('renders the example ml tenant GPU quota as requests.nvidia.com/gpu in its compute quota', () => {
    const compute = quotasOf(exampleFleet(), 0, 1).find((q) => q.metadata.name === 'compute');
    expect(compute.spec.hard['requests.nvidia.com/gpu']).toBe('8');
    expect(() => new ResourceQuota(compute).validate()).not.toThrow();
  });

  it('renders ephemeral storage and one quota per pod scope', () => {
    const input = exampleFleet();
    const payments = input.environments[0].clusters[0].tenants[0];
    payments.quota['requests.ephemeral-storage'] = '100Gi';
    payments.quota['limits.ephemeral-storage'] = '200Gi';
    payments.scopeQuotas = { BestEffort: { pods: 5 }, Terminating: { 'requests.cpu': '4', pods: 10 } };
    const quotas = quotasOf(input, 0, 0).filter((q) => q.metadata.namespace === 'payments-dev');
    const compute = quotas.find((q) => q.metadata.name === 'compute');
    expect(compute.spec.hard).toMatchObject({ 'requests.ephemeral-storage': '100Gi', 'limits.ephemeral-storage': '200Gi' });
    expect(quotas.find((q) => q.metadata.name === 'scope-besteffort').spec).toEqual({ hard: { pods: '5' }, scopes: ['BestEffort'] });
    expect(quotas.find((q) => q.metadata.name === 'scope-terminating').spec).toEqual({ hard: { pods: '10', 'requests.cpu': '4' }, scopes: ['Terminating'] });
    for (const q of quotas) expect(() => new ResourceQuota(q).validate()).not.toThrow();
  });

  it('refuses an extended resource no pool of the tenant supplies, at its path', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].tenants[0].quota.extended = { 'nvidia.com/gpu': 1 };
    const [e] = errorsAt(input, `${PROD}.tenants[0].quota.extended.nvidia.com/gpu`);
    expect(e.message).toMatch(/shared pools: .*no allocatable nvidia\.com\/gpu/);
  });

  it('refuses more GPUs than the dedicated pools have beyond the hard overcommit ratio', () => {
    const input = exampleFleet();
    // 2 machines × 4 GPUs = 8; the hard ratio is 3
    input.environments[0].clusters[0].tenants[1].quota.extended = { 'nvidia.com/gpu': 25 };
    const [e] = errorsAt(input, `${PROD}.tenants[1].quota.extended.nvidia.com/gpu`);
    expect(e.message).toMatch(/may request 25 nvidia\.com\/gpu but the pools' allocatable at maximum size is 8 nvidia\.com\/gpu/);
  });

  it("checks ephemeral storage against the pools' allocatable ephemeral storage", () => {
    const input = exampleFleet();
    // two GPU machines of about 918Gi allocatable each; above 3× is an error
    input.environments[0].clusters[0].tenants[1].quota['requests.ephemeral-storage'] = '6Ti';
    const [e] = errorsAt(input, `${PROD}.tenants[1].quota.requests.ephemeral-storage`);
    expect(e.message).toMatch(/pools dedicated to ml \(gpu\): tenants may request 6144Gi but the pools' allocatable at maximum size is 1837\.\dGi/);
  });

  it('bounds a namespace by its scope quotas when it has no namespace or tier quota', () => {
    const input = exampleFleet();
    const ml = input.environments[0].clusters[0].tenants[1];
    ml.quota = {};
    ml.priorityQuotas = { low: { pods: 10 } };
    ml.scopeQuotas = { NotBestEffort: { 'requests.cpu': '1000' } };
    const [e] = errorsAt(input, `${PROD}.tenants[1].scopeQuotas`);
    expect(e.message).toMatch(/tenants may request 1000 cores/);
  });

  it('counts SKU extendedResources as supply', () => {
    const input = exampleFleet();
    input.skus['gpu-a100x4'].extendedResources = { 'example.com/fpga': 1 };
    input.environments[0].clusters[0].tenants[1].quota.extended = { 'example.com/fpga': 2 };
    expect(issuesOf(input).filter((i) => i.path.includes('example.com/fpga'))).toEqual([]);
  });

  it('names bad values with their paths', () => {
    const input = exampleFleet();
    const t = input.environments[0].clusters[0].tenants[1];
    t.quota.extended = { 'nvidia.com/gpu': '1.5', gpu: 1 };
    t.quota['requests.ephemeral-storage'] = '10Xi';
    t.scopeQuotas = { BestEffort: { 'requests.cpu': '1' }, Sometimes: { pods: 1 } };
    t.priorityQuotas = { low: { 'requests.storage': '1Ti' } };
    input.skus['gpu-a100x4'].extendedResources = { 'kubernetes.io/fpga': 1 };
    const paths = issuesOf(input).filter((i) => i.severity === 'error').map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        `${PROD}.tenants[1].quota.extended.gpu`,
        `${PROD}.tenants[1].quota.requests.ephemeral-storage`,
        `${PROD}.tenants[1].scopeQuotas.BestEffort.requests.cpu`,
        `${PROD}.tenants[1].scopeQuotas.Sometimes`,
        `${PROD}.tenants[1].priorityQuotas.low.requests.storage`,
        'skus.gpu-a100x4.extendedResources.kubernetes.io/fpga',
      ]),
    );
    const frac = input;
    frac.environments[0].clusters[0].tenants[1] = { ...exampleFleet().environments[0].clusters[0].tenants[1], quota: { extended: { 'nvidia.com/gpu': '1.5' } } };
    frac.skus = exampleFleet().skus;
    expect(errorsAt(frac, `${PROD}.tenants[1].quota.extended.nvidia.com/gpu`)[0].message).toMatch(/whole, non-negative number of devices/);
  });
});
