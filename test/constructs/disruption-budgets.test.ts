import { synthFleet } from '../../constructs/fleet';
import { parseFleet } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';
import { synthObjects } from '../helpers/synth';

const objects = synthObjects(exampleFleet());

const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('PodDisruptionBudgets', () => {
  it("guard every multi-replica workload kprod renders itself (a drain never takes all replicas at once)", () => {
    const workloads = objects.filter(({ obj }) => (obj.kind === 'Deployment' || obj.kind === 'StatefulSet') && (obj.spec?.replicas ?? 1) > 1);
    expect(workloads.length).toBeGreaterThan(0);
    for (const { file, obj } of workloads) {
      const dir = file.slice(0, file.lastIndexOf('/'));
      const budgets = objects.filter(
        (o) => o.obj.kind === 'PodDisruptionBudget' && o.file.startsWith(dir) && o.obj.metadata.namespace === obj.metadata.namespace && selects(o.obj.spec.selector.matchLabels ?? {}, obj.spec.template.metadata.labels),
      );
      expect({ workload: `${file} ${obj.metadata.name}`, budgets: budgets.length }).toEqual({ workload: `${file} ${obj.metadata.name}`, budgets: 1 });
      const pdb = budgets[0].obj.spec;
      // At least one replica may always go (otherwise drains block), never all of them.
      if (pdb.maxUnavailable !== undefined) expect(pdb.maxUnavailable).toBeLessThan(obj.spec.replicas);
      else expect(pdb.minAvailable).toBeLessThan(obj.spec.replicas);
    }
  });

  it('warns in the summary about tenants without a budget of their own', () => {
    const { spec } = parseFleet(exampleFleet());
    const out = synthFleet(spec);
    const summary = out.summary.join('\n');
    expect(summary).toMatch(/eu-west-1:[\s\S]*tenants without a PodDisruptionBudget from kprod: payments, ml/);
    expect(summary).toMatch(/dc1:[\s\S]*tenants without a PodDisruptionBudget from kprod: payments/);
  });
});
