import { synthClusterFiles, synthFleet } from '../../../constructs/fleet';
import { formatPath, parseFleet, SpecError } from '../../../lib/spec';
import { fleet as fleetSchema } from '../../../lib/spec/schema/cluster';
import { exampleFleet } from '../../helpers/fleet';
import { mutate } from '../../helpers/mutate';
import { stringFields } from '../../helpers/string-fields';

/** Malformed strings: empty, huge, spaces and punctuation, doubled units, a sign, a newline. */
const MALFORMED = ['', 'x'.repeat(300), 'Not Valid!', '32GiGi', '1Gi Mi', '1.2.3', '-1', 'a\nb'];

function errorsOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseFleet(input);
    return [];
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.issues.filter((i) => i.severity === 'error').map(({ path, message }) => ({ path, message }));
  }
}

describe('every string field of the schema, malformed, is a spec error or synthesizes', () => {
  const fields = stringFields(fleetSchema);

  it('finds the string fields by walking the schema', () => {
    expect(fields.length).toBeGreaterThan(120);
    const patterns = fields.map((f) => f.pattern.join('.'));
    expect(patterns).toContain('environments.[].clusters.[].controlPlane.etcd.quotaBackendBytes');
    expect(patterns).toContain('environments.[].clusters.[].tenants.[].quota.requests.memory');
    expect(patterns).toContain('skus.{}.flavor');
    // Inside a discriminated union: each option's fields, with the discriminator they need.
    expect(fields.find((f) => f.pattern.at(-1) === 'imageUrl')?.requires?.[0].value).toBe('metal3');
  });

  it.each(fields.map((f) => [`${f.pattern.join('.')}${f.key ? ' (key)' : ''}${f.requires ? ` [${f.requires.map((r) => r.value).join(',')}]` : ''}`, f] as const))('%s', (_, field) => {
    const base = exampleFleet();
    for (const value of MALFORMED) {
      const m = mutate(base, field, value);
      let parsed;
      try {
        parsed = parseFleet(m.input);
      } catch (e) {
        // Only spec errors may come out of validation; anything else is a crash on user input.
        if (!(e instanceof SpecError)) throw new Error(`${formatPath(m.path)} = ${JSON.stringify(value)}: parseFleet threw ${(e as Error).message}`);
        continue;
      }
      try {
        if (m.cluster) synthClusterFiles(parsed.spec, m.cluster.env, m.cluster.cluster);
        else synthFleet(parsed.spec);
      } catch (e) {
        throw new Error(`${formatPath(m.path)} = ${JSON.stringify(value)}: valid for parseFleet, but synth threw: ${(e as Error).message}`);
      }
    }
  });
});

describe('inputs only a renderer used to parse are spec errors with indexed paths', () => {
  it('a quantity with a doubled unit', () => {
    const f = exampleFleet();
    f.environments[0].clusters[0].controlPlane.etcd.quotaBackendBytes = '32GiGi';
    f.environments[0].clusters[0].tenants[0].quota['requests.memory'] = '1.2.3Gi';
    const errors = errorsOf(f);
    expect(errors).toContainEqual({ path: 'environments[0].clusters[0].controlPlane.etcd.quotaBackendBytes', message: expect.stringMatching(/at most one unit/) });
    expect(errors.map((e) => e.path)).toContain('environments[0].clusters[0].tenants[0].quota.requests.memory');
  });

  it('a catalogue with no SKU big enough for the control plane', () => {
    const f = exampleFleet();
    // 2000 nodes: the control plane needs more than any non-GPU SKU of the example has.
    f.environments[0].clusters[0].nodePools[0].autoscaling = { min: 3, max: 2000 };
    const errors = errorsOf(f);
    expect(errors).toContainEqual({ path: 'environments[0].clusters[0].controlPlane.flavor', message: expect.stringMatching(/^not set, and no non-GPU SKU of the fleet catalogue with a flavor has at least \d+ CPUs/) });
    expect(errors.some((e) => e.message.includes('environments.prod'))).toBe(false);
  });

  it('fitting SKUs that say nothing to boot: the pick skips them, and none left is an error', () => {
    const f = exampleFleet();
    delete f.skus['cp-4x16'].flavor;
    // The next larger SKU with a flavor is used instead: no error for the control plane.
    expect(errorsOf(f).map((e) => e.path)).not.toContain('environments[0].clusters[0].controlPlane.flavor');
    for (const name of ['general-8x32', 'memory-16x128']) delete f.skus[name].flavor;
    expect(errorsOf(f)).toContainEqual({ path: 'environments[0].clusters[0].controlPlane.flavor', message: expect.stringMatching(/^not set, and no non-GPU SKU of the fleet catalogue with a flavor has at least 4 CPUs/) });
  });

  it('an OpenStack pool whose SKU has no flavor, and an empty flavor', () => {
    const f = exampleFleet();
    delete f.skus['memory-16x128'].flavor;
    f.skus['general-8x32'].flavor = '';
    const errors = errorsOf(f);
    expect(errors).toContainEqual({ path: 'environments[0].clusters[0].nodePools[1].sku', message: expect.stringMatching(/SKU memory-16x128 has no flavor/) });
    expect(errors).toContainEqual({ path: 'skus.general-8x32.flavor', message: 'must not be empty; omit it instead' });
  });

  it('an endpoint interface that is not an interface name', () => {
    const f = exampleFleet();
    f.environments[0].clusters[0].controlPlane.endpoint.interface = 'eth0; reboot';
    expect(errorsOf(f)).toContainEqual({ path: 'environments[0].clusters[0].controlPlane.endpoint.interface', message: expect.stringMatching(/^must be a network interface name/) });
    f.environments[0].clusters[0].controlPlane.endpoint.interface = 'bond0.100';
    expect(errorsOf(f)).toEqual([]);
  });
});

describe('stacked etcd CronJob schedules', () => {
  const withSchedule = (schedule: string) => {
    const f = exampleFleet();
    f.environments[1].clusters[0].controlPlane.etcd = { ...f.environments[1].clusters[0].controlPlane.etcd, backup: { schedule } };
    return errorsOf(f).filter((e) => e.path === 'environments[1].clusters[0].controlPlane.etcd.backup.schedule');
  };
  it.each([
    ['every hour', /must have 5 fields/],
    ['61 * * * *', /minute "61" is outside 0-59/],
    ['*/0 * * * *', /step "\*\/0" must be at least 1/],
    ['0 5-2 * * *', /range "5-2" runs backwards/],
    ['0 0 * FOO *', /month "FOO" is outside 1-12/],
    ['@sometimes', /unknown macro/],
    ['TZ=UTC 0 * * * *', /time zone/],
  ])('refuses %j', (schedule, message) => {
    expect(withSchedule(schedule)).toEqual([{ path: 'environments[1].clusters[0].controlPlane.etcd.backup.schedule', message: expect.stringMatching(message) }]);
  });
  it.each(['0 * * * *', '*/15 2-4 1,15 JAN-MAR mon-fri', '@hourly', '0 0 ? * SUN'])('accepts %j', (schedule) => {
    expect(withSchedule(schedule)).toEqual([]);
  });
});

describe('every number field of the schema, out of range, is a spec error or valid (parseFleet only)', () => {
  const fields = stringFields(fleetSchema, 'number');
  it('finds the number fields', () => {
    expect(fields.length).toBeGreaterThan(60);
    expect(fields.map((f) => f.pattern.join('.'))).toContain('environments.[].clusters.[].controlPlane.replicas');
  });
  // Cross-field rules run on every value the schema lets through: none may crash or run away.
  it.each(fields.map((f) => [f.pattern.join('.'), f] as const))('%s', (_, field) => {
    for (const value of [-1, 0.5, 1e9, 2 ** 31]) {
      const m = mutate(exampleFleet(), field, value);
      try {
        parseFleet(m.input);
      } catch (e) {
        if (!(e instanceof SpecError)) throw new Error(`${formatPath(m.path)} = ${value}: parseFleet threw ${(e as Error).message}`);
      }
    }
  });
  it('a negative or huge control-plane replica count is one spec error, not a crash', () => {
    for (const replicas of [-1, 1e9]) {
      const f = exampleFleet();
      f.environments[0].clusters[0].controlPlane.replicas = replicas;
      expect(errorsOf(f)).toContainEqual({ path: 'environments[0].clusters[0].controlPlane.replicas', message: expect.stringMatching(/^must be 1, 3, 5 or 7/) });
    }
  });
});

describe('a broken SKU catalogue does not cascade', () => {
  it('reports the SKU error only, not "no SKU for the control plane" or "pool without a flavor"', () => {
    const f = exampleFleet();
    f.skus['general-8x32'].cpus = 8; // unknown field: the whole catalogue fails the schema
    const errors = errorsOf(f);
    expect(errors).toContainEqual({ path: 'skus.general-8x32.cpus', message: expect.stringMatching(/^unknown field/) });
    expect(errors.filter((e) => /controlPlane\.flavor$|nodePools\[\d+\]\.sku$/.test(e.path))).toEqual([]);
  });
});
