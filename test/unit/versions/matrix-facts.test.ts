/** The support matrix agrees with the recorded upstream facts (upstream/kubernetes.json). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KUBERNETES_MATRIX } from '../../../lib/versions/matrix';
import { PROVIDERS } from '../../../lib/versions/pins';

const facts = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'upstream', 'kubernetes.json'), 'utf8'));

/** The 28th of the month `months` after `date`'s month (the patch-release policy's dates). */
function plusMonthsOn28th(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-28`;
}

describe('support matrix against upstream facts', () => {
  it('has an entry for every minor the facts cover, with the recorded release date and newest patch', () => {
    expect(KUBERNETES_MATRIX.map((m) => m.minor)).toEqual(Object.keys(facts.minors));
    for (const m of KUBERNETES_MATRIX) {
      const f = facts.minors[m.minor];
      expect([m.minor, m.released, m.latestPatch ?? null]).toEqual([m.minor, f.released, f.latestPatch]);
    }
  });

  it('dates maintenance mode and end of life by the patch-release policy (28th, +12 and +14 months)', () => {
    for (const m of KUBERNETES_MATRIX)
      expect([m.minor, m.maintenanceModeStart, m.endOfLife]).toEqual([m.minor, plusMonthsOn28th(m.released, 12), plusMonthsOn28th(m.released, 14)]);
  });

  it('supports a minor only when the pinned Cluster API release lists it for workload clusters', () => {
    expect(facts.clusterApi.release).toBe(PROVIDERS.clusterApi.version);
    for (const m of KUBERNETES_MATRIX) if (m.supported) expect([m.minor, facts.minors[m.minor].clusterApiWorkload]).toEqual([m.minor, true]);
    expect(facts.minors['1.37'].clusterApiWorkload).toBe(false);
    expect(KUBERNETES_MATRIX.find((m) => m.minor === '1.37')!.supported).toBe(false);
  });
});
