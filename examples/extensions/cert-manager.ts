/**
 * A capability a platform team writes itself: cert-manager (pinned Helm chart, an Argo CD
 * Application in `dist/<env>/argocd/`) and a Let's Encrypt ClusterIssuer in an add-on folder of
 * its own (`addons/cert-manager-issuers/`, with its own folder Application), for every cluster
 * whose spec has `extensions.cert-manager`. Its setting is typed and validated with the spec:
 * `environments[0].clusters[0].extensions.cert-manager.acme.email: ...` on a bad address.
 *
 *   kprod synth --spec examples/extensions/fleet.ts --plugin examples/extensions/cert-manager.ts
 *
 * In a project of your own, import from "kprod" instead of the relative paths.
 */
import { ApiObject } from 'cdk8s';
import { z } from 'zod';
import { defineCapability } from '../../constructs/capabilities/contract';
import { helmApplication } from '../../lib/addons/helm-application';

/** cert-manager chart (jetstack/cert-manager tag v1.21.1, released 2026-07-29; checked 2026-12-01; refresh: node scripts/refresh-example-pins.mjs). */
export const CERT_MANAGER_CHART = { repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.21.1' } as const;
export const CERT_MANAGER_NAMESPACE = 'cert-manager';

/** `extensions.cert-manager` of a cluster. */
export const certManagerSettings = z.strictObject({
  acme: z.strictObject({
    /** Account e-mail Let's Encrypt sends expiry notices to. */
    email: z.email({ message: 'must be an e-mail address' }),
    /** ACME directory. @default Let's Encrypt production */
    server: z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).default('https://acme-v02.api.letsencrypt.org/directory'),
    /** IngressClass the HTTP-01 solver uses. @default "nginx" */
    ingressClass: z.string().min(1).default('nginx'),
  }),
  /** Name of the ClusterIssuer. @default "letsencrypt" */
  issuerName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label').default('letsencrypt'),
});
export type CertManagerSettings = z.infer<typeof certManagerSettings>;

export default defineCapability({
  id: 'cert-manager',
  version: '1',
  settings: certManagerSettings,
  build(ctx, settings) {
    if (!settings) return; // only clusters that ask for it
    ctx.addApplication(
      helmApplication(ctx.cluster, ctx.environment, {
        name: 'cert-manager',
        ...CERT_MANAGER_CHART,
        namespace: CERT_MANAGER_NAMESPACE,
        // Before the issuers' folder (wave 0): the ClusterIssuer CRD comes with the chart.
        syncWave: -3,
        values: { crds: { enabled: true } },
      }),
    );
    const chart = ctx.addonChart('cert-manager-issuers', { syncWave: 1 });
    const name = settings.issuerName;
    new ApiObject(chart, 'cluster-issuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name, annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
      spec: {
        acme: {
          email: settings.acme.email,
          server: settings.acme.server,
          // cert-manager generates the account key into this Secret; nothing secret is in git.
          privateKeySecretRef: { name: `${name}-account-key` },
          solvers: [{ http01: { ingress: { ingressClassName: settings.acme.ingressClass } } }],
        },
      },
    });
    ctx.addSummary(`cert-manager: ${CERT_MANAGER_CHART.version}, ClusterIssuer ${name} (ACME account ${settings.acme.email})`);
  },
});
