import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CLUSTER_API_HEALTH_CHECKS } from '../../lib/day2/health-checks';
import { rootProject } from '../../lib/gitops/app-projects';
import { IN_CLUSTER, rootApplication } from '../../lib/gitops/root-application';
import type { EnvironmentSpec } from '../../lib/spec';
import { controllerSettings, controllerValues, IN_CLUSTER_NAME, type ControllerSettings } from './argocd-controller';
import { pinnedRelease } from './helm-release';
import { CHART_REPOS, DEFAULT_VERSIONS } from './versions';

export { IN_CLUSTER, rootApplicationName, rootApplicationPath } from '../../lib/gitops/root-application';
export const ARGOCD_SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

/** Credentials for the GitOps repository (stack secret config `kprod:gitCredentials`). */
export interface GitCredentials {
  readonly username?: string;
  readonly password?: pulumi.Input<string>;
  readonly sshPrivateKey?: pulumi.Input<string>;
}

export interface ArgoCdArgs {
  readonly environment: EnvironmentSpec;
  readonly provider: k8s.Provider;
  /** @default DEFAULT_VERSIONS.argoCdChart */
  readonly chartVersion?: string;
  /** Repository credentials; omitted for a public repository. */
  readonly gitCredentials?: GitCredentials;
}

/**
 * Argo CD stopped assessing the health of Application objects in 1.8, so an app of apps applies
 * its children's sync waves one after the other without waiting for any to become healthy. This
 * health check restores the wait, so the CNI (wave -5) is healthy before tenants (wave 10) sync.
 */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';
export const APPLICATION_HEALTH_LUA = [
  'local hs = { status = "Progressing", message = "" }',
  'if obj.status ~= nil and obj.status.health ~= nil then',
  '  hs.status = obj.status.health.status',
  '  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end',
  'end',
  'return hs',
].join('\n');

/**
 * Argo CD (pinned Helm chart) and the root Application (app of apps) pointing at
 * `dist/<env>/argocd` of the environment's GitOps repository. The application controller is
 * sized from the environment (`gitops.argocd.controller`, stacks/bootstrap/argocd-controller.ts);
 * with balanced shards the management cluster is declared as the `in-cluster` cluster Secret on
 * shard 0, and `clusterShard` gives each workload cluster's registration its shard.
 */
export class ArgoCd extends pulumi.ComponentResource {
  public readonly namespace: string;
  public readonly release: k8s.helm.v3.Release;
  public readonly rootApplication: k8s.apiextensions.CustomResource;
  /** The controller as installed: replicas, processors, algorithm, fixed shards, and the Application estimate they come from. */
  public readonly controller: ControllerSettings;
  /** The `in-cluster` cluster Secret (balanced shards only). */
  public readonly inClusterSecret: k8s.core.v1.Secret | undefined;

  constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:bootstrap:ArgoCd', name, {}, opts);
    const env = args.environment;
    const g = env.gitops;
    this.namespace = g.argocdNamespace;
    const child = { parent: this, provider: args.provider };
    this.controller = controllerSettings(env);
    const { controller, configs } = controllerValues(this.controller);
    this.release = pinnedRelease(
      `${name}-argo-cd`,
      {
        name: 'argo-cd',
        version: args.chartVersion ?? DEFAULT_VERSIONS.argoCdChart,
        repo: CHART_REPOS.argoCd,
        namespace: this.namespace,
        // Cluster API health checks make a rollout's sync waves wait for the control plane (lib/day2/rollout-order.ts).
        values: {
          ...(controller ? { controller } : {}),
          configs: { cm: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA, ...CLUSTER_API_HEALTH_CHECKS }, ...configs },
        },
      },
      child,
    );
    const deps: pulumi.Resource[] = [this.release];
    // The management cluster as a cluster Secret, so that it can have a fixed shard: without one
    // Argo CD uses its built-in in-cluster entry (util/db/cluster.go). No credentials: for this
    // server address Argo CD connects with its own service account (Cluster.RawRestConfig).
    this.inClusterSecret = this.controller.shards
      ? new k8s.core.v1.Secret(
          `${name}-in-cluster`,
          {
            metadata: {
              name: IN_CLUSTER_NAME,
              namespace: this.namespace,
              labels: { [ARGOCD_SECRET_TYPE_LABEL]: 'cluster', 'kprod.io/environment': env.name },
            },
            type: 'Opaque',
            stringData: { name: IN_CLUSTER_NAME, server: IN_CLUSTER, shard: String(this.controller.shards.inCluster) },
          },
          { ...child, dependsOn: [this.release] },
        )
      : undefined;
    // The root targets the management cluster: it is created once Argo CD knows that cluster's final entry.
    if (this.inClusterSecret) deps.push(this.inClusterSecret);
    if (args.gitCredentials) {
      const c = args.gitCredentials;
      deps.push(
        new k8s.core.v1.Secret(
          `${name}-repository`,
          {
            metadata: { name: `${env.name}-gitops-repository`, namespace: this.namespace, labels: { [ARGOCD_SECRET_TYPE_LABEL]: 'repository' } },
            stringData: pulumi.secret(repositoryData(g.repoURL, c)),
          },
          { ...child, dependsOn: [this.release], additionalSecretOutputs: ['data', 'stringData'] },
        ),
      );
    }
    // The root Application's own project (least privilege, lib/gitops/app-projects.ts), the same object as in dist/.
    deps.push(new k8s.apiextensions.CustomResource(`${name}-root-project`, rootProject(env), { ...child, dependsOn: [this.release], retainOnDelete: true }));
    // The same object as the synthesized `dist/<env>/argocd/` root Application (lib/gitops/root-application).
    this.rootApplication = new k8s.apiextensions.CustomResource(
      `${name}-root`,
      rootApplication(env),
      // Argo CD manages this object from git once it syncs; destroying the stack leaves it in place.
      { ...child, dependsOn: deps, retainOnDelete: true },
    );
    this.registerOutputs({});
  }

  /** The fixed shard of a workload cluster's registration, or undefined when Argo CD places it. */
  clusterShard(clusterName: string): number | undefined {
    return this.controller.shards?.clusters[clusterName];
  }
}

function repositoryData(url: string, c: GitCredentials): Record<string, pulumi.Input<string>> {
  const data: Record<string, pulumi.Input<string>> = { type: 'git', url };
  if (c.username) data.username = c.username;
  if (c.password) data.password = c.password;
  if (c.sshPrivateKey) data.sshPrivateKey = c.sshPrivateKey;
  return data;
}
