import { parseFleet, SpecError, type SpecIssue } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';

const PROD = 'environments[0].clusters[0]';

function errorIssues(input: unknown): SpecIssue[] {
  try {
    parseFleet(input);
    return [];
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.issues.filter((i) => i.severity === 'error');
  }
}
const errors = (input: unknown): string[] => errorIssues(input).map((i) => `${i.path}: ${i.message}`);

describe('etcd maintenance schedules', () => {
  it('rejects a schedule systemd cannot express on external etcd, naming the field', () => {
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].controlPlane.etcd.backup = { schedule: '0 3 1 * 1' };
    fleet.environments[0].clusters[0].controlPlane.etcd.defrag = { schedule: '0 3 * * MON' };
    // Both bad schedules are reported at once, each at its own field with its value and the reason.
    expect(errorIssues(fleet)).toEqual([
      expect.objectContaining({ path: `${PROD}.controlPlane.etcd.backup.schedule`, value: '0 3 1 * 1', message: expect.stringMatching(/systemd timer.*day of month together with a day of week/) }),
      expect.objectContaining({ path: `${PROD}.controlPlane.etcd.defrag.schedule`, value: '0 3 * * MON', message: expect.stringMatching(/systemd timer.*day of week "MON" is not a number/) }),
    ]);
  });

  it('accepts the same schedule on stacked etcd (a Kubernetes CronJob) and common forms on external etcd', () => {
    const stacked = exampleFleet();
    stacked.environments[1].clusters[0].controlPlane.etcd = { backup: { schedule: '0 3 1 * 1' } };
    expect(errors(stacked)).toEqual([]);
    const external = exampleFleet();
    external.environments[0].clusters[0].controlPlane.etcd.backup = { schedule: '*/30 * * * *' };
    external.environments[0].clusters[0].controlPlane.etcd.defrag = { schedule: '15 4 * * 6' };
    expect(errors(external)).toEqual([]);
  });
});
