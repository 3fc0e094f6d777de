import { parseFleet, SpecError } from '../../../lib/spec';
import example from '../../../examples/fleet';
import { exampleFleet } from '../../helpers/fleet';

function errorsOf(input: unknown): string[] {
  try {
    parseFleet(input);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as SpecError).issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the spec to be rejected');
}

describe('parseFleet', () => {
  it('fills defaults and derived values and freezes the result', () => {
    const { spec } = parseFleet(example);
    const cluster = spec.environments[0].clusters[0];
    expect(cluster.environment).toBe('prod');
    expect(cluster.controlPlane.endpoint.port).toBe(8443);
    expect(cluster.controlPlane.endpoint.host).toBe('api.eu-west-1.prod.example.com');
    expect(cluster.controlPlane.etcd.quotaBackendBytes).toBe('8Gi');
    expect(cluster.network.cni).toEqual({ plugin: 'calico', encapsulation: 'ipip', rules: [], bandwidthLimits: false });
    const kubeVip = exampleFleet();
    kubeVip.environments[1].clusters[0].controlPlane.endpoint = { mode: 'kube-vip', vip: '192.168.100.5' };
    expect(parseFleet(kubeVip).spec.environments[1].clusters[0].controlPlane.endpoint).toEqual(
      expect.objectContaining({ port: 6443, host: '192.168.100.5' }),
    );
    expect(Object.isFrozen(cluster.controlPlane.endpoint)).toBe(true);
    expect(() => {
      (cluster as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });

  it('reports every schema error at once with its path and value', () => {
    const bad = exampleFleet();
    bad.environments[0].clusters[0].name = 'EU_West';
    bad.environments[0].clusters[0].infrastructure.flavour = 'oops';
    bad.environments[1].clusters[0].network.nodeCidr = 42;
    const err = (() => {
      try {
        parseFleet(bad);
      } catch (e) {
        return e as SpecError;
      }
      throw new Error('not rejected');
    })();
    const paths = err.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'environments[0].clusters[0].name',
        'environments[0].clusters[0].infrastructure.flavour',
        'environments[1].clusters[0].network.nodeCidr',
      ]),
    );
    expect(err.message).toContain('environments[0].clusters[0].name');
    expect(err.message).toContain('(got "EU_West")');
    expect(err.message).toMatch(/infrastructure\.flavour: unknown field.*\(got "oops"\)/);
  });

  it('rejects overlapping CIDRs, a VIP outside the node network and host bits', () => {
    const bad = exampleFleet();
    const c = bad.environments[0].clusters[0];
    c.network.podCidr = '10.10.8.0/21';
    c.network.serviceCidr = '10.96.0.1/12';
    delete c.network.controlPlaneCidr;
    c.infrastructure = { provider: 'metal3', imageUrl: 'http://images.example.com/x.raw', imageChecksum: 'abc' };
    c.controlPlane.endpoint.vip = '10.99.0.10';
    const errors = errorsOf(bad);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.network\.podCidr: overlaps nodeCidr 10\.10\.0\.0\/20/),
        expect.stringMatching(/network\.serviceCidr: has host bits set/),
        expect.stringMatching(/controlPlane\.endpoint\.vip: must lie inside the node network/),
      ]),
    );
  });

  it('control-plane CIDR: required on OpenStack with keepalived-haproxy, holds the VIP and the pinned range, overlaps nothing', () => {
    const missing = exampleFleet();
    delete missing.environments[0].clusters[0].network.controlPlaneCidr;
    missing.environments[0].clusters[0].controlPlane.endpoint.vip = '10.10.0.10';
    expect(errorsOf(missing)).toEqual([expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.network\.controlPlaneCidr: is required with infrastructure\.provider openstack and endpoint\.mode keepalived-haproxy/)]);

    const outside = exampleFleet();
    outside.environments[0].clusters[0].controlPlane.endpoint.vip = '10.10.0.10';
    expect(errorsOf(outside)).toEqual([expect.stringMatching(/controlPlane\.endpoint\.vip: must lie inside network\.controlPlaneCidr 10\.10\.16\.0\/27$/)]);

    const overlap = exampleFleet();
    overlap.environments[0].clusters[0].network.controlPlaneCidr = '10.10.15.0/27';
    overlap.environments[0].clusters[0].controlPlane.endpoint.vip = '10.10.15.10';
    expect(errorsOf(overlap)).toEqual([expect.stringMatching(/network\.controlPlaneCidr: overlaps nodeCidr 10\.10\.0\.0\/20/)]);

    const tooSmall = exampleFleet();
    tooSmall.environments[0].clusters[0].network.controlPlaneCidr = '10.10.16.0/29';
    tooSmall.environments[0].clusters[0].controlPlane.endpoint.vip = '10.10.16.2';
    tooSmall.environments[0].clusters[0].controlPlane.replicas = 5; // /29 = 8 addresses: enough for 3 replicas, not for 5
    expect(errorsOf(tooSmall)).toEqual([expect.stringMatching(/network\.controlPlaneCidr: is too small: needs at least 10 addresses/)]);

    const noRoom = exampleFleet();
    noRoom.environments[0].clusters[0].controlPlane.endpoint.vip = '10.10.16.27';
    expect(errorsOf(noRoom)).toEqual([expect.stringMatching(/controlPlane\.endpoint\.vip: leaves no room for 4 control-plane addresses .*10\.10\.16\.0\/27 \(would end at 10\.10\.16\.31\)/)]);

    const onGateway = exampleFleet();
    onGateway.environments[0].clusters[0].controlPlane.endpoint.vip = '10.10.16.1';
    expect(errorsOf(onGateway)).toEqual([expect.stringMatching(/controlPlane\.endpoint\.vip: must come after the gateway 10\.10\.16\.1/)]);

    // Metal3 pins in the node network: an etcd-free cluster, but a pinned address must not hit the broadcast.
    const metal = exampleFleet();
    metal.environments[1].clusters[0].controlPlane.endpoint.vip = '192.168.103.253';
    expect(errorsOf(metal)).toEqual([expect.stringMatching(/environments\[1\]\.clusters\[0\]\.controlPlane\.endpoint\.vip: leaves no room .*network\.nodeCidr 192\.168\.100\.0\/22/)]);
  });

  it('an etcd member on a pinned control-plane address is rejected', () => {
    const bad = exampleFleet();
    const c = bad.environments[0].clusters[0];
    delete c.network.controlPlaneCidr;
    c.infrastructure = { provider: 'metal3', imageUrl: 'http://images.example.com/x.raw', imageChecksum: 'abc' };
    c.controlPlane.endpoint.vip = '10.10.1.9';
    expect(errorsOf(bad)).toEqual(
      expect.arrayContaining([expect.stringMatching(/controlPlane\.etcd\.external\.members\[0\]\.ip: collides with the pinned control-plane addresses 10\.10\.1\.10–10\.10\.1\.13/)]),
    );
  });

  it('enforces odd control-plane replicas and HA, and a supported version', () => {
    const bad = exampleFleet();
    bad.environments[0].clusters[0].controlPlane.replicas = 4;
    bad.environments[1].clusters[0].controlPlane.replicas = 1;
    bad.environments[1].clusters[0].kubernetesVersion = '1.22.0';
    const errors = errorsOf(bad);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/clusters\[0\]\.controlPlane\.replicas: must be 1, 3, 5 or 7/),
        expect.stringMatching(/environments\[1\]\.clusters\[0\]\.controlPlane\.replicas: an HA control plane/),
        expect.stringMatching(/environments\[1\]\.clusters\[0\]\.kubernetesVersion: unsupported/),
      ]),
    );
    const single = exampleFleet();
    single.environments[1].clusters[0].controlPlane = { ha: false, replicas: 1, endpoint: { mode: 'kube-vip', vip: '192.168.100.5' } };
    expect(() => parseFleet(single)).not.toThrow();
  });

  it('rejects duplicate names in their scope and unknown references', () => {
    const bad = exampleFleet();
    const c = bad.environments[0].clusters[0];
    c.nodePools.push({ ...c.nodePools[0] });
    c.nodePools[1].sku = 'nope';
    c.tenants[1].namespaces.push({ name: 'payments-dev' });
    c.tenants[1].priorityQuotas = { urgent: { pods: 1 } };
    const errors = errorsOf(bad);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/nodePools\[3\]\.name: duplicate name in cluster eu-west-1/),
        expect.stringMatching(/nodePools\[1\]\.sku: unknown SKU/),
        expect.stringMatching(/tenants\[1\]\.namespaces\[1\]\.name: namespace already belongs to tenant payments/),
        expect.stringMatching(/tenants\[1\]\.priorityQuotas\.urgent: no PriorityClass/),
      ]),
    );
  });

  it('enforces upstream scale limits from the pools maximum sizes', () => {
    const big = exampleFleet();
    const c = big.environments[0].clusters[0];
    c.nodePools[0].autoscaling = { min: 3, max: 6000 };
    c.nodePools[1].kubelet = { maxPods: 250 };
    const errors = errorsOf(big);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/clusters\[0\]\.nodePools: can grow to 6008 nodes, above the upstream limit of 5000/),
        expect.stringMatching(/above the upstream limit of 150000/),
        expect.stringMatching(/nodePools\[1\]\.kubelet\.maxPods: exceeds 110 pods per node/),
      ]),
    );
    c.nodePools[0].autoscaling = { min: 3, max: 30 };
    c.maxPodsPerNodeLimit = 250;
    expect(() => parseFleet(big)).not.toThrow();
  });
});
