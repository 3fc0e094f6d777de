import type { ApiObject, Chart } from 'cdk8s';
import type { ClusterSpec, EnvironmentSpec, FleetSpec } from '../lib/spec';

/** Options of an Argo CD-applied folder (one Chart = one folder = one Application). */
export interface FolderOptions {
  /**
   * Argo CD sync wave of the folder's Application: CRDs and Namespaces first.
   * @default 0
   */
  readonly syncWave?: number;
  /**
   * Namespace Argo CD creates for the folder (`CreateNamespace=true`) and uses as the destination namespace.
   * @default none (objects carry their own namespaces)
   */
  readonly namespace?: string;
  /**
   * Per-object sync waves inside the folder are set by the objects' own
   * `argocd.argoproj.io/sync-wave` annotations; this only orders whole folders.
   */
}

/** Finds a rendered object: kind and metadata.name, optionally namespace and apiVersion. */
export interface ObjectQuery {
  readonly kind: string;
  readonly name: string;
  /** @default any namespace */
  readonly namespace?: string;
  /** @default any apiVersion */
  readonly apiVersion?: string;
}

/**
 * What a capability construct gets for one cluster: the validated spec and the Charts of the
 * folders it may write to. A capability never creates Charts itself. An add-on or tenant folder
 * belongs to the capability that asked for it first; another capability may add to it only when
 * it declares `extends: [<owner id>]` (otherwise synth fails naming both).
 */
export interface ClusterContext {
  readonly fleet: FleetSpec;
  readonly environment: EnvironmentSpec;
  readonly cluster: ClusterSpec;
  /** Namespace on the management cluster that holds this cluster's Cluster API objects. */
  readonly capiNamespace: string;
  /** Chart of `dist/<env>/<cluster>/cluster/` (applied to the management cluster). */
  readonly managementChart: Chart;
  /** Chart of `dist/<env>/<cluster>/addons/<name>/` (applied to the workload cluster); created on first use. */
  addonChart(name: string, options?: FolderOptions): Chart;
  /** Chart of `dist/<env>/<cluster>/tenants/<tenant>/` (applied to the workload cluster); created on first use. */
  tenantChart(tenant: string, options?: FolderOptions): Chart;
  /** Adds a plain file (not a Kubernetes object, never applied by Argo CD) under `dist/<env>/<cluster>/<relativePath>`. */
  addFile(relativePath: string, content: string): void;
  /**
   * Adds an Argo CD Application of its own (e.g. a pinned Helm chart) to `dist/<env>/argocd/`,
   * beside the folder Applications. The manifest must carry its own name, namespace and sync wave.
   * Returns the Application's API object: other capabilities find it (`find`) and patch it.
   */
  addApplication(manifest: Record<string, unknown>): ApiObject;
  /**
   * The object rendered so far (by any capability, in any of the cluster's folders, Argo CD
   * Applications included) with this kind and name (and namespace, apiVersion when given), for
   * `addJsonPatch`; undefined when there is none. Throws when the query matches several.
   */
  find(kind: string, name: string, namespace?: string): ApiObject | undefined;
  /** Every rendered object matching the query (construction order). */
  findAll(query: Partial<ObjectQuery>): ApiObject[];
  /** Id of the capability being built. */
  readonly capabilityId: string;
  /** Ids of every capability in the set, in build order. */
  readonly capabilityIds: readonly string[];
  /** Adds a line to the synth summary printed by the CLI. */
  addSummary(line: string): void;
}

/** Props of a construct that builds from the cluster context alone. */
export interface ClusterScopedProps {
  /** The cluster being built. */
  readonly ctx: ClusterContext;
}

/** Props of a construct that writes one add-on folder of its own. */
export interface AddonFolderProps extends ClusterScopedProps {
  /**
   * Argo CD sync wave of the add-on folder.
   * @default 0
   */
  readonly syncWave?: number;
}
