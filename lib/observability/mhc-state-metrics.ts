/**
 * kube-state-metrics Custom Resource State config (`--custom-resource-state-config`) exposing
 * Cluster API MachineHealthCheck status as the `capi_machinehealthcheck_*` metrics the
 * `MachineHealthCheckRemediationBlocked` alert (alerts.ts, machineHealthCheckAlerts) reads.
 *
 * MachineHealthChecks live on the management cluster, whose monitoring kprod does not deploy (the
 * kube-prometheus-stack Application targets workload clusters). So this is exported as data for
 * whoever runs the management cluster's kube-state-metrics, e.g. the kube-prometheus-stack value
 * `kube-state-metrics.customResourceState.config`, together with `machineHealthCheckStateRbac()`.
 */
import { yamlText } from '../render/yaml-text';

/** Prefix of every metric of the config; alerts must use the same names. */
export const MHC_METRIC_PREFIX = 'capi_machinehealthcheck';

/** The MachineHealthCheck API the config watches (Cluster API v1beta2). */
export const MHC_GVK = { group: 'cluster.x-k8s.io', version: 'v1beta2', kind: 'MachineHealthCheck' } as const;

type Path = string[];
interface GaugeMetric {
  name: string;
  help: string;
  each: { type: 'Gauge'; gauge: { path: Path; valueFrom?: Path; labelsFromPath?: Record<string, Path>; nilIsZero?: boolean } };
}

/** Gauges read straight from a numeric status field; a missing field counts as 0. */
const statusGauge = (name: string, field: string, help: string): GaugeMetric => ({
  name,
  help,
  each: { type: 'Gauge', gauge: { path: ['status', field], nilIsZero: true } },
});

/** The `CustomResourceStateMetrics` document. */
export function machineHealthCheckStateMetrics() {
  return {
    kind: 'CustomResourceStateMetrics',
    spec: {
      resources: [
        {
          groupVersionKind: { ...MHC_GVK },
          metricNamePrefix: MHC_METRIC_PREFIX,
          labelsFromPath: { name: ['metadata', 'name'], namespace: ['metadata', 'namespace'], cluster_name: ['spec', 'clusterName'] },
          metrics: [
            statusGauge('status_expected_machines', 'expectedMachines', 'Machines the MachineHealthCheck selects.'),
            statusGauge('status_current_healthy', 'currentHealthy', 'Selected machines that are healthy.'),
            statusGauge('status_remediations_allowed', 'remediationsAllowed', 'Unhealthy machines that may still be remediated before the unhealthy limit is reached.'),
            {
              name: 'status_condition',
              help: 'MachineHealthCheck conditions: 1 when the condition status is True, 0 otherwise.',
              each: { type: 'Gauge', gauge: { path: ['status', 'conditions'], labelsFromPath: { type: ['type'], reason: ['reason'] }, valueFrom: ['status'] } },
            },
          ] satisfies GaugeMetric[],
        },
      ],
    },
  };
}

/** The config as the YAML kube-state-metrics takes in `--custom-resource-state-config`. */
export function machineHealthCheckStateMetricsYaml(): string {
  return yamlText(machineHealthCheckStateMetrics());
}

/** Full names of the metrics the config produces. */
export function machineHealthCheckMetricNames(): string[] {
  return machineHealthCheckStateMetrics().spec.resources.flatMap((r) => r.metrics.map((m) => `${r.metricNamePrefix}_${m.name}`));
}

/** What kube-state-metrics' ClusterRole needs on top of its defaults to serve the config. */
export function machineHealthCheckStateRbac() {
  return [
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['list', 'watch'] },
    { apiGroups: [MHC_GVK.group], resources: ['machinehealthchecks'], verbs: ['list', 'watch'] },
  ];
}
