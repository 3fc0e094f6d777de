import { parseFleet, SpecError } from '../../../lib/spec';
import { daysUntil } from '../../../lib/spec/validate/kubernetes-version';
import { KUBERNETES_MATRIX } from '../../../lib/versions/matrix';
import { SUPPORTED_MINORS } from '../../../lib/versions/supported';
import { exampleFleet } from '../../helpers/fleet';

const DEC_1_2026 = new Date('2026-12-01T09:00:00Z');

function issuesOf(prodVersion: string, stagingVersion: string) {
  const input = exampleFleet();
  input.environments[0].clusters[0].kubernetesVersion = prodVersion;
  input.environments[1].clusters[0].kubernetesVersion = stagingVersion;
  try {
    parseFleet(input, { now: DEC_1_2026 });
    return [];
  } catch (e) {
    return (e as SpecError).issues.filter((i) => i.path.endsWith('kubernetesVersion')).map((i) => `${i.path}: ${i.message} (got ${i.value})`);
  }
}

describe('supported Kubernetes minors', () => {
  it('are the matrix minors upstream patches and Cluster API v1.14 supports: 1.35 and 1.36', () => {
    expect(SUPPORTED_MINORS).toEqual(['1.35', '1.36']);
    const m137 = KUBERNETES_MATRIX.find((m) => m.minor === '1.37')!;
    expect(m137.supported).toBe(false);
    // every supported minor carries the pins that follow it
    for (const m of KUBERNETES_MATRIX.filter((x) => x.supported)) {
      expect([m.minor, !!m.etcd, !!m.clusterAutoscaler, !!m.occmChart, m.latestPatch?.startsWith(`${m.minor}.`)]).toEqual([m.minor, true, true, true, true]);
      expect(m.clusterAutoscaler!.tag.startsWith(`v${m.minor}.`)).toBe(true);
      expect(m.occmChart!.version.startsWith(`2.${m.minor.split('.')[1]}.`)).toBe(true);
    }
  });

  it('refuses end-of-life and not-yet-supported minors, every cluster at once, naming why', () => {
    expect(issuesOf('1.34.4', '1.37.0')).toEqual([
      'environments[0].clusters[0].kubernetesVersion: unsupported Kubernetes version: Kubernetes 1.34 reached its end of life on 2026-10-27; supported minors are 1.35, 1.36 (got 1.34.4)',
      expect.stringMatching(/^environments\[1\]\.clusters\[0\]\.kubernetesVersion: unsupported Kubernetes version: Cluster API v1\.14 .* does not list Kubernetes 1\.37 .*; supported minors are 1\.35, 1\.36 \(got 1\.37\.0\)$/),
    ]);
    expect(issuesOf('1.29.1', '1.36.2')).toEqual([expect.stringMatching(/clusters\[0\]\.kubernetesVersion: unsupported Kubernetes version: Kubernetes 1\.29 is not in kprod's support matrix/)]);
  });

  it('warns, naming the date, when a minor is within 60 days of its end of life', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].kubernetesVersion = '1.35.6';
    // 2026-12-01: 1.35 ends on 2027-02-28, 89 days away: no warning
    expect(parseFleet(input, { now: DEC_1_2026 }).warnings.filter((w) => w.path.endsWith('kubernetesVersion'))).toEqual([]);
    const warnings = parseFleet(input, { now: new Date('2027-01-05T00:00:00Z') }).warnings.filter((w) => w.path.endsWith('kubernetesVersion'));
    expect(warnings).toEqual([
      expect.objectContaining({
        path: 'environments[1].clusters[0].kubernetesVersion',
        severity: 'warning',
        value: '1.35.6',
        message: 'Kubernetes 1.35 reaches its end of life on 2027-02-28 (in 54 days); upgrade to a newer minor (1.35, 1.36)',
      }),
    ]);
    // past the date the message says so; the minor is still accepted until the matrix drops it
    const after = parseFleet(input, { now: new Date('2027-03-02T00:00:00Z') }).warnings.filter((w) => w.path.endsWith('kubernetesVersion'));
    expect(after.map((w) => w.message)).toEqual([expect.stringMatching(/^Kubernetes 1\.35 reached its end of life on 2027-02-28;/)]);
  });

  it('counts whole days to the start of the end-of-life day', () => {
    expect(daysUntil('2027-02-28', new Date('2027-02-27T23:00:00Z'))).toBe(1);
    expect(daysUntil('2027-02-28', new Date('2027-02-28T00:00:00Z'))).toBe(0);
    expect(daysUntil('2027-02-28', new Date('2026-12-30T00:00:00Z'))).toBe(60);
  });
});
