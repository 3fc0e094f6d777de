/**
 * Resolves every Chart of one App to plain manifests in a single pass (each object's JSON as
 * `toJson()` gives it; api-object-json.ts skips the resolve pass where it cannot change anything).
 *
 * Why not `chart.toJson()` per chart: cdk8s's `Chart.toJson()` prepares the WHOLE App each time it
 * is called (it walks every construct of the App to validate it and to infer dependencies, then
 * builds a dependency graph), so calling it for each of a cluster's ~30 charts walks the cluster's
 * ~1000 constructs ~30 times. `App.synth()` instead validates once and then asks each ApiObject
 * for `toJson()`; this does the same without writing files.
 *
 * Order of the manifests inside a chart: construction order. cdk8s orders by dependencies
 * (`addDependency`), which kprod does not use; and every object is written to its own file, so the
 * order never reaches the output.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { apiObjectJson, canSkipResolve } from './api-object-json';

/** Runs the constructs' validations once for the whole tree, like `App.synth()` does. */
function validateTree(all: readonly Construct[]): void {
  const errors: string[] = [];
  for (const c of all) for (const error of c.node.validate()) errors.push(`[${c.node.path}] ${error}`);
  if (errors.length) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * The manifests of each of `charts` (all in the same App), in the order given. An object belongs
 * to its closest enclosing Chart, as in cdk8s.
 */
export function chartManifests(app: Construct, charts: readonly Chart[]): Array<Array<Record<string, any>>> {
  const all = app.node.findAll();
  validateTree(all);
  const index = new Map<Chart, number>(charts.map((c, i) => [c, i]));
  const out: Array<Array<Record<string, any>>> = charts.map(() => []);
  const skippable = canSkipResolve(app);
  for (const c of all) {
    if (!ApiObject.isApiObject(c)) continue;
    const i = index.get(c.chart);
    if (i !== undefined) out[i].push(apiObjectJson(c, skippable));
  }
  return out;
}
