import { parseFleet, SpecError, type SpecIssue } from '../../../lib/spec';
import { controlPlanePlacement, roundRobinSpread, survivesDomainLoss } from '../../../lib/spec/validate/control-plane-placement';
import { validateFleet } from '../../../lib/spec/validate';
import { exampleFleet } from '../../helpers/fleet';

/**
 * The issues the placement rule reports for a spec. The rule is registered in RULES, so a spec it
 * rejects fails parseFleet; its own issues are then read from the SpecError (other rules' too, so
 * filter by what the test looks for), and a spec it accepts gives its warnings.
 */
const issuesOf = (input: any): SpecIssue[] => {
  try {
    return validateFleet(parseFleet(input).spec, [controlPlanePlacement]).issues;
  } catch (e) {
    if (e instanceof SpecError) return [...e.issues];
    throw e;
  }
};

describe('control-plane placement and size rule', () => {
  it.each([
    [3, ['a', 'b', 'c'], true],
    [3, ['a', 'b'], false],
    [5, ['a', 'b'], false],
    [5, ['a', 'b', 'c'], true],
    [7, ['a', 'b', 'c'], true],
    [5, ['a', 'b', 'c', 'd'], true],
  ])('%i members over %j survive the loss of one domain: %s', (n, domains, ok) => {
    expect(survivesDomainLoss(roundRobinSpread(n, domains))).toBe(ok);
  });

  it('accepts the example fleet', () => {
    expect(issuesOf(exampleFleet())).toEqual([]);
  });

  it('3 control-plane machines over 2 failure domains is an error at failureDomains, unless allowDegradedSpread', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].failureDomains = ['rack-a', 'rack-b'];
    const issues = issuesOf(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', path: 'environments[1].clusters[0].failureDomains', value: 'rack-a: 2, rack-b: 1' });
    expect(issues[0].message).toContain('loses etcd quorum');
    input.environments[1].clusters[0].controlPlane.allowDegradedSpread = true;
    expect(issuesOf(input)).toEqual([]);
  });

  it('a single failure domain is a warning, not an error', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].failureDomains = ['rack-a'];
    expect(issuesOf(input).map((i) => [i.severity, i.path])).toEqual([['warning', 'environments[1].clusters[0].failureDomains']]);
  });

  it('external etcd members: explicit failure domains are checked for membership and spread', () => {
    const input = exampleFleet();
    const members = input.environments[0].clusters[0].controlPlane.etcd.external.members;
    members[0].failureDomain = 'az1';
    members[1].failureDomain = 'az1';
    members[2].failureDomain = 'az9';
    const issues = issuesOf(input);
    expect(issues.map((i) => i.path)).toEqual([
      'environments[0].clusters[0].controlPlane.etcd.external.members[2].failureDomain',
      'environments[0].clusters[0].controlPlane.etcd.external.members',
    ]);
    expect(issues[1]).toMatchObject({ severity: 'error', value: 'az1: 2, az9: 1' });
  });

  it('an explicit flavor smaller than the size table is an error unless allowUndersized; larger is fine', () => {
    const input = exampleFleet();
    input.skus['cp-2x8'] = { cpu: 2, memory: '8Gi', ephemeralStorage: '100Gi', flavor: 'm1.medium' };
    input.environments[0].clusters[0].controlPlane.flavor = 'm1.medium'; // prod: up to 35 nodes → 4 CPU / 16 GiB
    const issues = issuesOf(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', path: 'environments[0].clusters[0].controlPlane.flavor', value: 'm1.medium' });
    expect(issues[0].message).toContain('4 CPU / 16Gi');
    input.environments[0].clusters[0].controlPlane.allowUndersized = true;
    expect(issuesOf(input)).toEqual([]);
    input.environments[0].clusters[0].controlPlane.flavor = 'r1.4xlarge';
    input.environments[0].clusters[0].controlPlane.allowUndersized = false;
    expect(issuesOf(input)).toEqual([]);
  });

  it('rollout.maxSurge 0 needs at least 3 replicas', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].controlPlane.rollout = { maxSurge: 0 };
    expect(issuesOf(input)).toEqual([]);
    input.environments[1].clusters[0].controlPlane.replicas = 1;
    input.environments[1].clusters[0].controlPlane.ha = false;
    const issues = issuesOf(input);
    expect(issues.map((i) => [i.severity, i.path])).toEqual([['error', 'environments[1].clusters[0].controlPlane.rollout.maxSurge']]);
  });

  it('rollout.maxSurge accepts only 0 or 1', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].controlPlane.rollout = { maxSurge: 2 };
    expect(() => parseFleet(input)).toThrow(/controlPlane\.rollout\.maxSurge/);
  });
});
