import { parseFleet, SpecError } from '../../../lib/spec';
import { IssueCollector } from '../../../lib/spec/errors';
import { upgradeRules } from '../../../lib/spec/validate/upgrades';
import { minorDistance, skewViolation, upgradeStepViolation } from '../../../lib/versions/skew';
import { describeUpgradePlan, planUpgrade, upgradePlan } from '../../../lib/versions/upgrade-plan';
import { exampleFleet } from '../../helpers/fleet';
import { PROD_BEFORE, PROD_NOW, setVersion } from '../../helpers/versions';

describe('version skew policy', () => {
  it('counts minors across patch releases and v prefixes', () => {
    expect(minorDistance('v1.33.4', '1.35.0')).toBe(2);
    expect(minorDistance('1.33.4', '1.32.9')).toBe(-1);
  });

  it('kubelet may lag the apiserver by up to 3 minors, never lead it', () => {
    expect(skewViolation('kubelet', '1.31.0', '1.34.2')).toBeUndefined();
    expect(skewViolation('kubelet', '1.30.0', '1.34.2')).toMatch(/4 minor versions older.*at most 3/);
    expect(skewViolation('kubelet', '1.35.0', '1.34.2')).toMatch(/must not be newer/);
  });

  it('controller-manager and scheduler may lag by one minor only, never lead', () => {
    expect(skewViolation('kube-controller-manager', '1.33.1', '1.34.0')).toBeUndefined();
    expect(skewViolation('kube-scheduler', '1.32.1', '1.34.0')).toMatch(/at most 1 allowed/);
    expect(skewViolation('kube-scheduler', '1.35.0', '1.34.0')).toMatch(/must not be newer/);
  });

  it('HA apiservers may differ by one minor in either direction', () => {
    expect(skewViolation('kube-apiserver', '1.35.0', '1.34.0')).toBeUndefined();
    expect(skewViolation('kube-apiserver', '1.32.0', '1.34.0')).toMatch(/at most 1 minor/);
  });

  it('rejects a skipped minor, a downgrade, a same-version and an unsupported target', () => {
    expect(upgradeStepViolation('1.34.4', '1.36.0')).toMatch(/skips 1 minor.*next: 1\.35/);
    expect(upgradeStepViolation('1.36.2', '1.35.6')).toMatch(/downgrades are not supported/);
    expect(upgradeStepViolation('1.35.6', '1.35.6')).toMatch(/equals the current/);
    expect(upgradeStepViolation('1.36.2', '1.37.0')).toMatch(/target minor 1\.37 is not supported; supported minors are 1\.35, 1\.36/);
    expect(upgradeStepViolation('1.33.4', '1.34.2')).toMatch(/target minor 1\.34 is not supported/);
    expect(upgradeStepViolation('1.35.6', 'latest')).toMatch(/must be a Kubernetes version/);
  });

  it('accepts a patch upgrade and a one-minor upgrade', () => {
    expect(upgradeStepViolation('1.35.4', '1.35.6')).toBeUndefined();
    expect(upgradeStepViolation('1.35.6', 'v1.36.2')).toBeUndefined();
    // the last minor before the window may still move into it
    expect(upgradeStepViolation('1.34.4', '1.35.6')).toBeUndefined();
  });
});

describe('upgrade plan', () => {
  it('1.35 -> 1.36: control plane first, then every node pool in spec order', () => {
    const plan = planUpgrade('1.35.6', '1.36.2', ['general', 'search', 'gpu']);
    expect(plan.problems).toEqual([]);
    expect(plan.steps.map((s) => s.target)).toEqual(['control-plane', 'node-pool/general', 'node-pool/search', 'node-pool/gpu']);
    expect(plan.steps.every((s) => s.from === 'v1.35.6' && s.to === 'v1.36.2')).toBe(true);
    expect(describeUpgradePlan(plan)[0]).toMatch(/^upgrade step 1: control-plane v1\.35\.6 -> v1\.36\.2/);
  });

  it('a rejected upgrade has no steps and explains why', () => {
    const plan = planUpgrade('1.34.4', '1.36.0', ['general']);
    expect(plan.steps).toEqual([]);
    expect(describeUpgradePlan(plan)).toEqual([expect.stringMatching(/not allowed: skips 1 minor/)]);
  });

  it('upgradePlan(cluster) reads kubernetesVersion and controlPlane.upgradeTo', () => {
    // prod runs the newest supported minor: it plans its upgrade from one minor down (image following).
    const input = exampleFleet();
    setVersion(input.environments[0].clusters[0], PROD_BEFORE);
    input.environments[0].clusters[0].controlPlane.upgradeTo = PROD_NOW;
    const { spec } = parseFleet(input);
    const prod = spec.environments[0].clusters[0];
    expect(upgradePlan(prod)!.steps.map((s) => s.target)).toEqual(['control-plane', 'node-pool/general', 'node-pool/search', 'node-pool/gpu']);
    expect(upgradePlan(prod)!.steps.every((s) => s.from === `v${PROD_BEFORE}` && s.to === `v${PROD_NOW}`)).toBe(true);
    expect(upgradePlan(spec.environments[1].clusters[0])).toBeUndefined();
  });
});

describe('upgrades rule', () => {
  function issuesFor(upgradeTo: string, kubernetesVersion = '1.35.6') {
    const input = exampleFleet();
    const { spec } = parseFleet(input);
    const cluster = spec.environments[0].clusters[0];
    const changed = {
      ...spec,
      environments: [{ ...spec.environments[0], clusters: [{ ...cluster, kubernetesVersion, controlPlane: { ...cluster.controlPlane, upgradeTo } }] }],
    };
    const issues = new IssueCollector();
    upgradeRules(changed as typeof spec, issues);
    return issues.errors;
  }

  it('reports a skipped minor at the upgradeTo path with the value', () => {
    expect(issuesFor('1.36.0', '1.34.4')).toEqual([
      expect.objectContaining({ path: 'environments[0].clusters[0].controlPlane.upgradeTo', value: '1.36.0', message: expect.stringMatching(/skips/) }),
    ]);
  });

  it('reports a downgrade', () => {
    expect(issuesFor('1.35.0', '1.36.2')).toEqual([expect.objectContaining({ path: 'environments[0].clusters[0].controlPlane.upgradeTo', message: expect.stringMatching(/downgrade/) })]);
  });

  it('accepts the next minor', () => {
    expect(issuesFor('1.36.2')).toEqual([]);
  });

  it('is a no-op without upgradeTo', () => {
    const issues = new IssueCollector();
    upgradeRules(parseFleet(exampleFleet()).spec, issues);
    expect(issues.issues).toEqual([]);
  });

  it('once registered, parseFleet rejects a downgrade (newest minor -> the one below) with the path', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].controlPlane.upgradeTo = PROD_BEFORE;
    let error: unknown;
    try {
      parseFleet(input);
    } catch (e) {
      error = e;
    }
    expect(require('../../../lib/spec/validate').RULES).toContain(upgradeRules);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).issues).toContainEqual(
      expect.objectContaining({ path: 'environments[0].clusters[0].controlPlane.upgradeTo', severity: 'error', value: PROD_BEFORE, message: expect.stringMatching(/downgrade/) }),
    );
  });
});
