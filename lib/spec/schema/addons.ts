import * as semver from 'semver';
import { z } from 'zod';
import { clusterAutoscalerSettings } from './cluster-autoscaler';
import { reservedAddonNameReason } from '../../addons/builtin';
import { dnsLabel, dnsSubdomain, duration } from './common';
import { customLogOutput } from './log-output';

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
  customLogOutput,
]);

/**
 * An exact chart version ("1.2.3", "1.2.3-rc.1"): Argo CD would resolve a range ("^1", "1.x", "*")
 * to whatever is newest at sync time, so the same git commit could install different charts.
 */
export const pinnedChartVersion = z
  .string()
  .refine((v) => semver.valid(v) !== null, 'must be an exact chart version such as "1.2.3" (no ranges like "^1", "~1.2", "1.x" or "*")');

/** A chart repository: https (never plain http) or an OCI registry path without scheme. */
const chartRepoURL = z
  .string()
  .refine((v) => /^https:\/\/[^\s/]+/.test(v) || /^(oci:\/\/)?[a-z0-9.-]+(:\d+)?\/[^\s]+$/.test(v), 'must be an https:// Helm repository URL or an OCI registry path');

/**
 * An add-on the user declares: one Helm chart installed by an Argo CD Application into the
 * workload cluster. The built-in Helm add-ons (monitoring, dashboard, CNI, CCM) are this same form.
 */
export const helmAddon = z.strictObject({
  /** Application name suffix (`<cluster>-<name>`) and default Helm release name. */
  name: dnsLabel.max(40),
  /** Helm repository URL, e.g. "https://charts.jetstack.io". */
  repoURL: chartRepoURL,
  /** Chart name in the repository, e.g. "cert-manager". */
  chart: z.string().min(1),
  /** Exact chart version. */
  version: pinnedChartVersion,
  /** Namespace the release is installed into (created when missing). */
  namespace: dnsLabel,
  /** Helm release name. @default the add-on name */
  releaseName: dnsLabel.optional(),
  /** Helm values. @default {} */
  values: z.record(z.string(), z.unknown()).default({}),
  /** Argo CD sync wave of the Application. @default 0 */
  syncWave: z.number().int().default(0),
  /**
   * Pod Security level enforced on the namespace Argo CD creates (charts with host-level agents such
   * as node exporters need `privileged`). @default the cluster-wide default (baseline)
   */
  podSecurity: z.enum(['privileged', 'baseline', 'restricted']).optional(),
});
export type HelmAddon = z.infer<typeof helmAddon>;

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
      /** Exact Helm chart version. @default pinned by kprod */
      chartVersion: pinnedChartVersion.optional(),
      /** Extra Helm values. @default {} */
      values: z.record(z.string(), z.unknown()).default({}),
      /** Base URL of the runbooks. @default "https://runbooks.kprod.io" */
      runbookBaseUrl: z.url().default('https://runbooks.kprod.io'),
    })
    .prefault({}),
  /**
   * Kubernetes Dashboard, read-only: users sign in with their own token and see what the
   * `kprod:dashboard-viewer` ClusterRole bound to `viewerGroups` allows (get/list/watch, no Secrets).
   * @default disabled
   */
  dashboard: z
    .strictObject({
      /** @default false */
      enabled: z.boolean().default(false),
      /** Exact kubernetes-dashboard chart version. @default pinned by kprod */
      chartVersion: pinnedChartVersion.optional(),
      /** OIDC groups bound to the read-only viewer ClusterRole (the OIDC groups prefix is added). @default [] */
      viewerGroups: z.array(z.string().min(1)).default([]),
      /** Extra Helm values. @default {} */
      values: z.record(z.string(), z.unknown()).default({}),
    })
    .prefault({})
    .superRefine((d, ctx) => {
      if (d.enabled && d.viewerGroups.length === 0)
        ctx.addIssue({ code: 'custom', path: ['viewerGroups'], message: 'an enabled dashboard needs at least one viewer group', input: d.viewerGroups });
      // Sign-in without a token would show everything the Dashboard's own account can read.
      const loginBypass = JSON.stringify(d.values).match(/enable-(skip|insecure)-login/);
      if (loginBypass)
        ctx.addIssue({ code: 'custom', path: ['values'], message: 'the Dashboard is read-only with per-user sign-in; skip/insecure login flags are not allowed', input: loginBypass[0] });
    }),
  /** Helm charts installed as Argo CD Applications, each pinned to an exact version. @default [] */
  helm: z
    .array(helmAddon)
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Map<string, number>();
      list.forEach((addon, i) => {
        const first = seen.get(addon.name);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate add-on name: also used at addons.helm[${first}]`, input: addon.name });
        else seen.set(addon.name, i);
        const reserved = reservedAddonNameReason(addon.name);
        if (reserved) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: reserved, input: addon.name });
      });
    }),
  /** cluster-autoscaler (Cluster API provider). @default enabled when a pool autoscales */
  clusterAutoscaler: clusterAutoscalerSettings.prefault({}),
});
export type Addons = z.infer<typeof addons>;
