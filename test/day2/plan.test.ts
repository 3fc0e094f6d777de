import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describePlan, PLAN_EXIT, planTransition } from '../../lib/day2/plan';
import { tempDir } from '../helpers/tmp';
import { edited, exampleTree } from './helpers';

describe('planTransition (library)', () => {
  it('no change: exit 0 and nothing listed', () => {
    const plan = planTransition(exampleTree().tree, exampleTree().tree, exampleTree().spec);
    expect(plan.exitCode).toBe(PLAN_EXIT.noChange);
    expect(describePlan(plan)).toEqual(['kprod plan: no change']);
  });

  it('an upgrade: exit 2, files by name, rollout impact and the upgrade order', () => {
    const next = edited((f) => Object.assign(f.environments[0].clusters[0], { kubernetesVersion: '1.34.2', infrastructure: { ...f.environments[0].clusters[0].infrastructure, imageName: 'ubuntu-2404-kube-v1.34.2' } }));
    const plan = planTransition(exampleTree().tree, next.tree, next.spec);
    expect(plan.exitCode).toBe(PLAN_EXIT.changes);
    const text = describePlan(plan);
    expect(text).toContain('  ~ prod/eu-west-1/cluster/kubeadmcontrolplane_prod-eu-west-1_eu-west-1-control-plane.yaml');
    expect(text.some((l) => /^ {2}\+ prod\/eu-west-1\/cluster\/openstackmachinetemplate_prod-eu-west-1_eu-west-1-control-plane-[0-9a-f]{8}\.yaml$/.test(l))).toBe(true);
    expect(text).toContain('  prod/eu-west-1 pool search: 3 machines roll: version v1.33.4 → v1.34.2, image changed');
    expect(plan.order[0]).toMatch(/^prod\/eu-west-1: 1\. control plane v1\.33\.4 → v1\.34\.2/);
    expect(plan.order[1]).toMatch(/^prod\/eu-west-1: 2\. pools general, search, gpu and the cluster-autoscaler once every control-plane machine runs v1\.34\.2/);
    expect(plan.order[2]).toMatch(/^prod\/eu-west-1: 3\. openstack-cloud-controller-manager for v1\.34\.2/);
    expect(text[text.length - 1]).toMatch(/^kprod plan: \+\d+ ~\d+ -\d+$/);
  });

  it('a refused transition: exit 3 with the path-named error; prune refusals reported, not enforced', () => {
    const skip = edited((f) => Object.assign(f.environments[0].clusters[0], { kubernetesVersion: '1.35.0', infrastructure: { ...f.environments[0].clusters[0].infrastructure, imageName: 'ubuntu-2404-kube-v1.35.0' } }));
    const refused = planTransition(exampleTree().tree, skip.tree, skip.spec);
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
  const variant = (name: string, version: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, spec.replace(/1\.34\.1/g, version));
    return file;
  };

  it('exits 0 without change, 2 with changes, 3 when refused, and writes nothing', () => {
    const out = path.join(dir, 'dist');
    expect(kprod('synth', '--spec', 'examples/clusters/edge-lab.yaml', '--out', out).status).toBe(0);
    const files = fs.readdirSync(out, { recursive: true }).length;
    const same = kprod('plan', '--spec', 'examples/clusters/edge-lab.yaml', '--out', out);
    expect([same.status, same.stdout.trim().split('\n').pop()]).toEqual([0, 'kprod plan: no change']);
    const up = kprod('plan', '--spec', variant('up.yaml', '1.35.0'), '--out', out);
    expect(up.status).toBe(2);
    expect(up.stdout).toMatch(/control plane: 3 machines roll: version v1\.34\.1 → v1\.35\.0/);
    expect(up.stdout).toMatch(/upgrade order:/);
    const skip = kprod('plan', '--spec', variant('skip.yaml', '1.36.0'), '--out', out);
    expect(skip.status).toBe(3);
    expect(skip.stdout).toMatch(/environments\[0\]\.clusters\[0\]\.kubernetesVersion: skips a minor from the running control plane v1\.34\.1/);
    expect(fs.readdirSync(out, { recursive: true }).length).toBe(files);
  });
});
