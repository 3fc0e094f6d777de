import { z } from 'zod';
import { dnsSubdomain } from './common';

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
    })
    .prefault({}),
  /** Fluent Bit log shipping. @default disabled until an output is given */
  logging: z.strictObject({ enabled: z.boolean().default(true), output: logOutput }).optional(),
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
