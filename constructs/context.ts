import type { Chart } from 'cdk8s';
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

/**
 * What a capability construct gets for one cluster: the validated spec and the Charts of the
 * folders it may write to. A capability never creates Charts itself.
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
   */
  addApplication(manifest: Record<string, unknown>): void;
  /** Adds a line to the synth summary printed by the CLI. */
  addSummary(line: string): void;
}
