import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

export interface PinnedReleaseArgs {
  /** Release name; also the chart name unless `chart` is given. */
  readonly name: string;
  /** @default name */
  readonly chart?: string;
  readonly version: string;
  readonly repo: string;
  /** Created with the release. */
  readonly namespace: string;
  readonly values?: Record<string, unknown>;
}

/** A Helm release of a pinned chart version into its own namespace, rolled back when it fails (`atomic`). */
export function pinnedRelease(resourceName: string, args: PinnedReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    resourceName,
    {
      name: args.name,
      chart: args.chart ?? args.name,
      version: args.version,
      repositoryOpts: { repo: args.repo },
      namespace: args.namespace,
      createNamespace: true,
      atomic: true,
      ...(args.values ? { values: args.values } : {}),
    },
    opts,
  );
}
