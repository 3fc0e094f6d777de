import { parseFleet, SpecError } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';

const PROD = 'environments[0].clusters[0]';

function errors(input: unknown): string[] {
  try {
    parseFleet(input);
    return [];
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
  }
}

describe('etcd maintenance schedules', () => {
  it('rejects a schedule systemd cannot express on external etcd, naming the field', () => {
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].controlPlane.etcd.backup = { schedule: '0 3 1 * 1' };
    const found = errors(fleet).filter((e) => e.startsWith(`${PROD}.controlPlane.etcd.backup.schedule: `));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/systemd timer/);
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
