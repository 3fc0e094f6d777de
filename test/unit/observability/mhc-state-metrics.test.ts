import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { machineHealthCheckAlerts } from '../../../lib/observability/alerts';
import {
  machineHealthCheckMetricNames,
  machineHealthCheckStateMetrics,
  machineHealthCheckStateMetricsYaml,
  machineHealthCheckStateRbac,
  MHC_GVK,
} from '../../../lib/observability/mhc-state-metrics';

/** The committed compact CRD (upstream/schemas, Cluster API v1.14.0). */
const CRD = JSON.parse(readFileSync(path.join(__dirname, '../../../upstream/schemas/crds/cluster-api/machinehealthchecks.cluster.x-k8s.io.json'), 'utf8'));
const version = CRD.versions.find((v: any) => v.name === MHC_GVK.version);

/** The CRD schema node at `path` (object properties and array items followed), or undefined. */
function schemaAt(path: string[]): any {
  let node = version.schema;
  for (const segment of path) {
    if (node?.type === 'array') node = node.items;
    node = node?.properties?.[segment];
  }
  return node;
}

describe('MachineHealthCheck custom resource state metrics', () => {
  const config = machineHealthCheckStateMetrics();
  const resource = config.spec.resources[0];

  it('watches a served and stored MachineHealthCheck version of the CRD', () => {
    expect(CRD.group).toBe(MHC_GVK.group);
    expect(CRD.kind).toBe(MHC_GVK.kind);
    expect(version).toMatchObject({ served: true, storage: true });
  });

  it('produces every capi_machinehealthcheck_* metric the remediation alert reads', () => {
    const used = new Set(machineHealthCheckAlerts().flatMap((a) => a.expr.match(/capi_machinehealthcheck_\w+/g) ?? []));
    expect(used.size).toBeGreaterThanOrEqual(3);
    expect(machineHealthCheckMetricNames()).toEqual(expect.arrayContaining([...used]));
  });

  it('labels series with the name and namespace the alert joins on', () => {
    const joins = machineHealthCheckAlerts().flatMap((a) => [...a.expr.matchAll(/on \(([^)]*)\)/g)].flatMap((m) => m[1].split(',').map((l) => l.trim())));
    expect(joins.length).toBeGreaterThan(0);
    for (const label of joins) expect(Object.keys(resource.labelsFromPath)).toContain(label);
  });

  it('reads only fields the CRD defines, with the types the metrics need', () => {
    // metadata is not spelled out in CRD schemas; everything else must be.
    for (const path of Object.values(resource.labelsFromPath).filter((p) => p[0] !== 'metadata')) expect({ path, type: schemaAt(path)?.type }).toEqual({ path, type: 'string' });
    for (const m of resource.metrics) {
      const node = schemaAt(m.each.gauge.path);
      expect({ path: m.each.gauge.path, found: node !== undefined }).toEqual({ path: m.each.gauge.path, found: true });
      const gauge = m.each.gauge as { path: string[]; labelsFromPath?: Record<string, string[]> };
      for (const labelPath of Object.values(gauge.labelsFromPath ?? {})) expect(schemaAt([...gauge.path, ...labelPath])?.type).toBe('string');
      if (m.each.gauge.valueFrom) {
        const value = schemaAt([...m.each.gauge.path, ...m.each.gauge.valueFrom]);
        expect(value.enum).toEqual(expect.arrayContaining(['True', 'False']));
      } else expect(node.type).toBe('integer');
    }
  });

  it('renders YAML that reads back to the same config, and asks only for list/watch', () => {
    expect(parse(machineHealthCheckStateMetricsYaml())).toEqual(config);
    for (const rule of machineHealthCheckStateRbac()) expect(rule.verbs).toEqual(['list', 'watch']);
  });
});
