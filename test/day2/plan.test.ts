import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describePlan, PLAN_EXIT, planTransition } from '../../lib/day2/plan';
import { parse } from 'yaml';
import { tempDir } from '../helpers/tmp';
import { latestPatch, literal, minorStep, PROD_BEFORE, PROD_NOW } from '../helpers/versions';
import { atVersion, edited, exampleTree, prod, withRunningVersion, writeRunningVersion } from './helpers';

describe('planTransition (library)', () => {
  it('no change: exit 0 and nothing listed', () => {
    const plan = planTransition(exampleTree().tree, exampleTree().tree, exampleTree().spec);
    expect(plan.exitCode).toBe(PLAN_EXIT.noChange);
    expect(describePlan(plan)).toEqual(['kprod plan: no change']);
  });

  it('an upgrade: exit 2, files by name, rollout impact and the upgrade order', () => {
    // prod runs the newest supported minor: the live tree is one minor down, the spec is the example.
    const previous = atVersion(prod, PROD_BEFORE);
    const next = exampleTree();
    const plan = planTransition(previous.tree, next.tree, next.spec);
    expect(plan.exitCode).toBe(PLAN_EXIT.changes);
    const text = describePlan(plan);
    expect(text).toContain('  ~ prod/eu-west-1/cluster/kubeadmcontrolplane_prod-eu-west-1_eu-west-1-control-plane.yaml');
    expect(text.some((l) => /^ {2}\+ prod\/eu-west-1\/cluster\/openstackmachinetemplate_prod-eu-west-1_eu-west-1-control-plane-[0-9a-f]{8}\.yaml$/.test(l))).toBe(true);
    expect(text).toContain(`  prod/eu-west-1 pool search: 3 machines roll: version v${PROD_BEFORE} → v${PROD_NOW}, image changed`);
    expect(plan.order[0]).toMatch(new RegExp(`^prod/eu-west-1: 1\\. control plane ${literal(`v${PROD_BEFORE} → v${PROD_NOW}`)}`));
    expect(plan.order[1]).toMatch(new RegExp(`^prod/eu-west-1: 2\\. pools general, search, gpu and the cluster-autoscaler once every control-plane machine runs ${literal(`v${PROD_NOW}`)}`));
    expect(plan.order[2]).toMatch(new RegExp(`^prod/eu-west-1: 3\\. openstack-cloud-controller-manager for ${literal(`v${PROD_NOW}`)}`));
    expect(text[text.length - 1]).toMatch(/^kprod plan: \+\d+ ~\d+ -\d+$/);
  });

  it('a refused transition: exit 3 with the path-named error; prune refusals reported, not enforced', () => {
    // A live control plane two minors below the spec (an end-of-life minor only an old tree holds).
    const live = withRunningVersion(exampleTree().tree, 'prod', 'eu-west-1', `${minorStep(PROD_NOW, -2)}.4`);
    const refused = planTransition(live, exampleTree().tree, exampleTree().spec);
    expect(refused.exitCode).toBe(PLAN_EXIT.refused);
    expect(describePlan(refused)).toContainEqual(expect.stringMatching(/^ {2}environments\[0\]\.clusters\[0\]\.kubernetesVersion: skips a minor/));

    const gone = edited((f) => f.environments[1].clusters[0].tenants.splice(0, 1));
    const noNamespaces = planTransition(exampleTree().tree, gone.tree, gone.spec);
    expect(noNamespaces.exitCode).toBe(PLAN_EXIT.refused);
    expect(noNamespaces.pruneRefusals.map((v) => v.folder)).toEqual(['staging/dc1']);
    expect(planTransition(exampleTree().tree, gone.tree, gone.spec, { allowPrune: true }).exitCode).toBe(PLAN_EXIT.changes);
  });
});

describe('kprod plan (CLI)', () => {
  const ROOT = path.resolve(__dirname, '../..');
  const kprod = (...args: string[]) =>
    spawnSync(process.execPath, ['-r', path.join(ROOT, 'test/helpers/ts-register.js'), path.join(ROOT, 'bin/kprod.ts'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 90_000 });
  const { dir, cleanup } = tempDir('kprod-plan-');
  afterAll(cleanup);
  const spec = fs.readFileSync(path.join(ROOT, 'examples/clusters/edge-lab.yaml'), 'utf8');
  const NOW: string = parse(spec).environments[0].clusters[0].kubernetesVersion;
  const NEXT = latestPatch(minorStep(NOW, 1));
  /** The spec file with its version (and the image named after it) replaced. */
  const variant = (name: string, version: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, spec.split(NOW).join(version));
    return file;
  };

  it('exits 0 without change, 2 with changes, 3 when refused, and writes nothing', () => {
    const out = path.join(dir, 'dist');
    expect(kprod('synth', '--spec', 'examples/clusters/edge-lab.yaml', '--out', out).status).toBe(0);
    const files = fs.readdirSync(out, { recursive: true }).length;
    const same = kprod('plan', '--spec', 'examples/clusters/edge-lab.yaml', '--out', out);
    expect([same.status, same.stdout.trim().split('\n').pop()]).toEqual([0, 'kprod plan: no change']);
    const up = kprod('plan', '--spec', variant('up.yaml', NEXT), '--out', out);
    expect(up.status).toBe(2);
    expect(up.stdout).toMatch(new RegExp(`control plane: 3 machines roll: version ${literal(`v${NOW} → v${NEXT}`)}`));
    expect(up.stdout).toMatch(/upgrade order:/);
    // The next minor after NEXT is outside the supported window, so the skip starts from a live
    // control plane one minor below NOW and goes to NEXT.
    const running = `${minorStep(NOW, -1)}.4`;
    writeRunningVersion(out, 'lab', 'edge-lab', running);
    const skip = kprod('plan', '--spec', variant('skip.yaml', NEXT), '--out', out);
    expect(skip.status).toBe(3);
    expect(skip.stdout).toMatch(new RegExp(`environments\\[0\\]\\.clusters\\[0\\]\\.kubernetesVersion: skips a minor from the running control plane ${literal(`v${running}`)}`));
    expect(fs.readdirSync(out, { recursive: true }).length).toBe(files);
  });
});
