import { SpecError, parseFleet } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';

function errorsOf(input: unknown): string[] {
  try {
    parseFleet(input);
  } catch (e) {
    if (e instanceof SpecError) return e.issues.map((i: any) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('addons.nodeProblemDetector.customMonitors', () => {
  const path = 'environments[0].clusters[0].addons.nodeProblemDetector.customMonitors[0]';

  it('accepts a valid monitor and defaults its lookback', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].addons.nodeProblemDetector = {
      customMonitors: [{ name: 'gpu', plugin: 'journald', journaldSource: 'kernel', conditions: [], rules: [{ type: 'temporary', reason: 'GpuXid', pattern: 'NVRM: Xid.*' }] }],
    };
    const { spec } = parseFleet(input);
    expect(spec.environments[0].clusters[0].addons.nodeProblemDetector.customMonitors[0].lookback).toBe('5m');
  });

  it('names the path of a permanent rule without a known condition, and of journaldSource on kmsg', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].addons.nodeProblemDetector = {
      customMonitors: [{ name: 'gpu', plugin: 'kmsg', journaldSource: 'kernel', rules: [{ type: 'permanent', condition: 'GpuBroken', reason: 'GpuXid', pattern: 'Xid' }] }],
    };
    const errors = errorsOf(input);
    expect(errors.some((e) => e.startsWith(`${path}.rules[0].condition`) && e.includes('"GpuBroken"'))).toBe(true);
    expect(errors.some((e) => e.startsWith(`${path}.journaldSource`))).toBe(true);
  });
});
