import { generateFleet } from '../../../bench/fleet-gen';
import { parseFleet, SpecError } from '../../../lib/spec';
import type { KnownCluster } from '../../../lib/spec/known-clusters';
import { END_OF_LIFE, minorSupport } from '../../../lib/versions/matrix';
import { exampleFleet } from '../../helpers/fleet';

/** A fleet whose clusters have warnings of cluster-local rules (owners, capped quotas) in some clusters only, two in one. */
function fleetWithWarnings(): any {
  const input: any = generateFleet({ clusters: 6, tenants: 2, namespacesPerTenant: 1 });
  const clusters = input.environments.flatMap((env: any) => env.clusters);
  clusters[1].tenants[0].owners = { groups: [], users: [] };
  clusters[1].tenants[1].owners = { groups: [], users: [] };
  clusters[3].tenants[1].owners = { groups: [], users: [] };
  clusters[4].tenants[0].priorityQuotas = { ...(clusters[4].tenants[0].priorityQuotas ?? {}), high: { 'requests.cpu': '100000' } };
  return input;
}

/** Verdicts of a whole parse as a cache keeps them (through JSON), by position. */
function verdictsOf(input: unknown, options: Parameters<typeof parseFleet>[1] = {}): Map<string, KnownCluster> {
  const out = new Map<string, KnownCluster>();
  parseFleet(input, { ...options, verdicts: true }).verdicts!.forEach((env, e) =>
    env.forEach((v, c) => {
      if (v) out.set(`${e}/${c}`, JSON.parse(JSON.stringify(v)));
    }),
  );
  return out;
}

const knownExcept = (verdicts: Map<string, KnownCluster>, ...fresh: string[]) => (e: number, c: number) => (fresh.includes(`${e}/${c}`) ? undefined : verdicts.get(`${e}/${c}`));

describe('parseFleet with known clusters (an earlier verdict stands in for parsing a cluster again)', () => {
  it('gives the spec and the warnings, in order, of a whole parse', () => {
    const input = fleetWithWarnings();
    const whole = parseFleet(input, { freeze: false });
    expect(whole.warnings.length).toBeGreaterThanOrEqual(4);
    const verdicts = verdictsOf(input);
    expect(verdicts.size).toBe(6);
    for (const fresh of [[], ['0/0'], ['0/1', '1/1'], ['0/2', '1/0', '1/2']]) {
      const known = parseFleet(input, { freeze: false, known: knownExcept(verdicts, ...fresh) });
      expect(known.spec).toStrictEqual(whole.spec);
      expect(known.warnings).toEqual(whole.warnings);
    }
  });

  it('takes a known cluster\'s spec and warnings as stored, without parsing it again', () => {
    const input = fleetWithWarnings();
    const verdicts = verdictsOf(input);
    const stored = verdicts.get('0/1')!;
    // A verdict that no parse would give: proof that it stands in for the cluster.
    verdicts.set('0/1', { spec: { ...stored.spec, kubernetesVersion: '1.36.1' }, warnings: stored.warnings.map((w) => ({ ...w, message: `stored: ${w.message}` })) });
    const { spec, warnings } = parseFleet(input, { known: knownExcept(verdicts) });
    expect(spec.environments[0].clusters[1].kubernetesVersion).toBe('1.36.1');
    expect(warnings.filter((w) => w.path.startsWith('environments[0].clusters[1].')).map((w) => w.message.slice(0, 8))).toEqual(['stored: ', 'stored: ']);
  });

  it('the example fleet too, frozen as a whole parse is', () => {
    const input = exampleFleet();
    const whole = parseFleet(input);
    const known = parseFleet(input, { known: knownExcept(verdictsOf(input)) });
    expect(known.spec).toStrictEqual(whole.spec);
    expect(known.warnings).toEqual(whole.warnings);
    expect(Object.isFrozen(known.spec.environments[0].clusters[0].controlPlane)).toBe(true);
  });

  it('the rules across clusters still see the known ones: a changed cluster taking a known one\'s name is refused as in a whole parse', () => {
    const input = fleetWithWarnings();
    const verdicts = verdictsOf(input);
    input.environments[0].clusters[1].name = input.environments[0].clusters[0].name;
    const report = (known?: (e: number, c: number) => KnownCluster | undefined) => {
      try {
        parseFleet(input, { known });
      } catch (e) {
        expect(e).toBeInstanceOf(SpecError);
        return (e as SpecError).issues;
      }
      throw new Error('expected the spec to be rejected');
    };
    const whole = report();
    expect(whole.map((i) => i.path)).toContain('environments[0].clusters[1].name');
    expect(report(knownExcept(verdicts, '0/1'))).toEqual(whole);
  });

  it('the date rules still see the known ones: the end-of-life warning comes when its day is near', () => {
    const input = fleetWithWarnings();
    const verdicts = verdictsOf(input);
    const minor = input.environments[0].clusters[0].kubernetesVersion.split('.').slice(0, 2).join('.');
    const endOfLife = new Date(`${minorSupport(minor)?.endOfLife ?? END_OF_LIFE[minor]}T00:00:00Z`);
    const later = new Date(endOfLife.getTime() - 10 * 24 * 3600 * 1000);
    const whole = parseFleet(input, { now: later });
    const known = parseFleet(input, { now: later, known: knownExcept(verdicts) });
    expect(known.warnings.some((w) => w.path === 'environments[0].clusters[0].kubernetesVersion' && /end of life/.test(w.message))).toBe(true);
    expect(known.warnings).toEqual(whole.warnings);
  });

  it('a schema error in a changed cluster is reported exactly as by a whole parse', () => {
    const input = fleetWithWarnings();
    const verdicts = verdictsOf(input);
    input.environments[0].clusters[2].nodePools[0].replicas = -1;
    input.environments[0].clusters[2].typo = true;
    const issuesOf = (known?: (e: number, c: number) => KnownCluster | undefined) => {
      try {
        parseFleet(input, { known });
        return [];
      } catch (e) {
        return (e as SpecError).issues;
      }
    };
    const whole = issuesOf();
    expect(whole.length).toBeGreaterThanOrEqual(2);
    expect(issuesOf(knownExcept(verdicts, '0/2'))).toEqual(whole);
  });

  it('verdicts leave out the clusters that were known', () => {
    const input = fleetWithWarnings();
    const verdicts = verdictsOf(input);
    const again = parseFleet(input, { known: knownExcept(verdicts, '1/2'), verdicts: true }).verdicts!;
    expect(again.flatMap((env, e) => env.flatMap((v, c) => (v ? [`${e}/${c}`] : [])))).toEqual(['1/2']);
    expect(JSON.parse(JSON.stringify(again[1][2]))).toEqual(verdicts.get('1/2'));
  });
});
