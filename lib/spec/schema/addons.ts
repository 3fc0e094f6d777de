import { z } from 'zod';
import { dnsSubdomain, duration } from './common';

/** Node condition / event types NPD reports: UpperCamelCase like the built-in ones. */
const conditionType = z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be UpperCamelCase, e.g. "NetworkDriverHung"');

/** A rule of a user-added system log monitor (NPD's systemLogMonitor schema). */
export const npdRule = z.strictObject({
  /** temporary: an Event only; permanent: also sets the node condition. */
  type: z.enum(['temporary', 'permanent']),
  /** Condition a permanent rule sets (must be one of the monitor's conditions). @default none */
  condition: conditionType.optional(),
  reason: conditionType,
  /** Go (RE2) regular expression matched against the whole log line. */
  pattern: z.string().min(1),
});

/** A user-added system log monitor. */
export const npdCustomMonitor = z.strictObject({
  /** File name stem and NPD `source`, e.g. "gpu-monitor". */
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label'),
  /** kmsg reads /dev/kmsg; journald reads the systemd journal. */
  plugin: z.enum(['kmsg', 'journald']),
  /** Journald SYSLOG_IDENTIFIER to follow (journald only), e.g. "kernel", "containerd". @default none */
  journaldSource: z.string().min(1).optional(),
  /** How far back to read at start. @default "5m" */
  lookback: duration.default('5m'),
  /** Conditions the monitor owns, with their healthy reason and message. @default [] */
  conditions: z.array(z.strictObject({ type: conditionType, reason: conditionType, message: z.string().min(1) })).default([]),
  rules: z.array(npdRule).min(1),
}).superRefine((m, ctx) => {
  const owned = new Set(m.conditions.map((c) => c.type));
  m.rules.forEach((r, i) => {
    if (r.type === 'permanent' && (!r.condition || !owned.has(r.condition))) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules', i, 'condition'],
        message: `permanent rule needs a condition listed in conditions (${[...owned].join(', ') || 'none defined'}), got ${JSON.stringify(r.condition ?? null)}`,
      });
    }
  });
  if (m.plugin === 'kmsg' && m.journaldSource) {
    ctx.addIssue({ code: 'custom', path: ['journaldSource'], message: 'journaldSource applies to plugin "journald" only' });
  }
});
export type NpdCustomMonitor = z.infer<typeof npdCustomMonitor>;

export const logOutput = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.enum(['elasticsearch', 'opensearch']),
    host: z.string().min(1),
    /** @default 9200 */
    port: z.number().int().default(9200),
    /** @default "kubernetes" */
    index: z.string().default('kubernetes'),
    /** Secret (in the logging namespace) with keys `username` and `password`. */
    credentialsSecret: dnsSubdomain.optional(),
    /** @default true */
    tls: z.boolean().default(true),
  }),
  z.strictObject({
    type: z.literal('loki'),
    host: z.string().min(1),
    /** @default 3100 */
    port: z.number().int().default(3100),
    /** Secret with keys `username` and `password`. */
    credentialsSecret: dnsSubdomain.optional(),
    /** @default true */
    tls: z.boolean().default(true),
  }),
]);

export const addons = z.strictObject({
  /** node-problem-detector. @default enabled */
  nodeProblemDetector: z
    .strictObject({
      /** @default true */
      enabled: z.boolean().default(true),
      /** Shell check run by the custom plugin monitor (exit 0 ok, 1 problem). @default none */
      customCheckScript: z.string().optional(),
      /** Extra system log monitors added to the built-in kernel, containerd and systemd ones. @default [] */
      customMonitors: z.array(npdCustomMonitor).default([]),
    })
    .prefault({}),
  /** Fluent Bit log shipping. @default disabled until an output is given */
  logging: z
    .strictObject({
      /** @default true */
      enabled: z.boolean().default(true),
      output: logOutput,
      /** Ship the apiserver audit log from control-plane nodes. @default true */
      auditLog: z.boolean().default(true),
      /** Filesystem buffer cap of the output (Fluent Bit `storage.total_limit_size`). @default "2G" */
      bufferLimit: z.string().regex(/^\d+[KMG]$/, 'must be a size such as "500M" or "2G"').default('2G'),
    })
    .optional(),
  /** metrics-server. @default enabled */
  metricsServer: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
  /** kube-prometheus-stack through Argo CD, plus kprod's alert rules. @default enabled */
  monitoring: z
    .strictObject({
      /** @default true */
      enabled: z.boolean().default(true),
      /** Helm chart version. @default pinned by kprod */
      chartVersion: z.string().optional(),
      /** Extra Helm values. @default {} */
      values: z.record(z.string(), z.unknown()).default({}),
      /** Base URL of the runbooks. @default "https://runbooks.kprod.io" */
      runbookBaseUrl: z.url().default('https://runbooks.kprod.io'),
    })
    .prefault({}),
  /** cluster-autoscaler (Cluster API provider). @default enabled when a pool autoscales */
  clusterAutoscaler: z.strictObject({ enabled: z.boolean().optional() }).prefault({}),
});
export type Addons = z.infer<typeof addons>;
