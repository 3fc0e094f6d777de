import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { names } from '../../lib/naming';
import type { ClusterScopedProps } from '../context';
import { CLUSTER_NAME_LABEL } from '../cluster-api/cluster';

export const CLUSTER_RESOURCE_SET_API_VERSION = 'addons.cluster.x-k8s.io/v1beta2';

/** The fields of a v1beta2 ClusterResourceSet kprod sets. */
interface ClusterResourceSet {
  readonly apiVersion: typeof CLUSTER_RESOURCE_SET_API_VERSION;
  readonly kind: 'ClusterResourceSet';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly clusterSelector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly resources: ReadonlyArray<{ readonly kind: 'Secret' | 'ConfigMap'; readonly name: string }>;
    readonly strategy: 'ApplyOnce' | 'Reconcile';
  };
}

/** Props: the OpenStack cluster being built. */
export type OccmCloudConfigProps = ClusterScopedProps;

/**
 * Delivers OCCM's `kube-system/cloud-config` Secret to the workload cluster without it ever
 * entering `dist/`: a ClusterResourceSet (management cluster, in the cluster's Cluster API
 * namespace) selecting this cluster's `Cluster` by its `kprod.io/cluster` label and naming the
 * Secret `<cluster>-occm-cloud-config` that the Pulumi stack writes from `kprod:occmCloudConf`.
 * Strategy `Reconcile`, so a changed cloud.conf is re-applied, not only the first one.
 */
export class OccmCloudConfig extends Construct {
  constructor(scope: Construct, id: string, { ctx }: OccmCloudConfigProps) {
    super(scope, id);
    const cluster = ctx.cluster;
    const crs: ClusterResourceSet = {
      apiVersion: CLUSTER_RESOURCE_SET_API_VERSION,
      kind: 'ClusterResourceSet',
      metadata: { name: `${cluster.name}-occm-cloud-config`, namespace: ctx.capiNamespace },
      spec: {
        clusterSelector: { matchLabels: { [CLUSTER_NAME_LABEL]: cluster.name } },
        resources: [{ kind: 'Secret', name: names.secrets.occmCloudConfig(cluster) }],
        strategy: 'Reconcile',
      },
    };
    new ApiObject(ctx.managementChart, `${id}-crs`, crs);
  }
}
