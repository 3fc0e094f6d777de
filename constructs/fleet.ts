import { ApiObject, App, Chart } from 'cdk8s';
import { layout, manifestToYaml, objectFileName } from '../lib/gitops';
import { withNoPrune } from '../lib/gitops/argocd-annotations';
import { clusterApplicationName, rootApplicationName } from '../lib/gitops/root-application';
import { names } from '../lib/naming';
import { platformProjectName, rootProjectName } from '../lib/gitops/app-project-names';
import { applicationSources } from '../lib/platform/helm-application';
import { chartManifests } from './chart-manifests';
import type { ClusterSpec, EnvironmentSpec, FleetSpec } from '../lib/spec';
import { BUILTIN_CAPABILITIES } from './capabilities/builtin';
import { toCapability, type Capability, type CapabilityInput } from './capabilities/contract';
import { FolderClaims } from './capabilities/folders';
import { findObject, findObjects } from './capabilities/find';
import { applySpecPatches } from './capabilities/patches';
import { checkCapabilitySet } from './capabilities/selection';
import type { ClusterContext, FolderOptions } from './context';
import { autoscaledIgnoreDifferences } from './node-pools/argocd-ignore';
import { ArgoApplications, IN_CLUSTER, type GitopsFolder } from './gitops/applications';
import { clusterIndexRow, clusterReadme, environmentReadme, type ApplicationManifest, type IndexRow } from '../lib/report/environment-readme';

export type { Capability, CapabilityInput } from './capabilities/contract';

/**
 * kprod's capabilities in the order they are built; each writes only through its context. Frozen:
 * to change the set, pass `capabilities` (a CapabilitySelection) to synth / synthAsync, or a
 * list of your own (e.g. from `resolveCapabilities`) to synthFleet.
 */
export const CAPABILITIES: readonly Capability[] = BUILTIN_CAPABILITIES;

export interface SynthOutput {
  /** File path relative to the output folder → content. */
  files: Map<string, string>;
  /** Lines for the synth summary. */
  summary: string[];
  /** Number of Kubernetes objects. */
  objects: number;
}

interface Folder extends FolderOptions {
  chart: Chart;
  dir: string;
  app: GitopsFolder;
}

/** Sync waves of whole folders: the management-cluster objects first, tenants last. */
const WAVE = { cluster: -10, addon: 0, tenant: 10 };

/** Builds every object of one cluster; returns its folders and plain files. */
export function synthCluster(fleet: FleetSpec, environment: EnvironmentSpec, cluster: ClusterSpec, capabilities: readonly CapabilityInput[] = CAPABILITIES) {
  const set = capabilities.map(toCapability);
  checkCapabilitySet(set);
  const app = new App();
  // Helm Applications live in the cluster's App too, so capabilities can find and patch them;
  // they are written to the environment's argocd/ folder (mergeFleet).
  const applicationsChart = new Chart(app, 'argocd-applications', { disableResourceNameHashes: true });
  const claims = new FolderClaims(set);
  let current: Capability = set[0];
  const folders: Folder[] = [];
  const plainFiles = new Map<string, string>();
  const summary: string[] = [];
  const env = environment.name;
  const workload = { name: names.argocdCluster(cluster) };
  const folder = (kind: 'cluster' | 'addon' | 'tenant', name: string, dir: string, destination: GitopsFolder['destination'], options: FolderOptions = {}) => {
    const chart = new Chart(app, `${kind}-${name}`, { disableResourceNameHashes: true });
    const syncWave = options.syncWave ?? WAVE[kind];
    folders.push({
      ...options,
      chart,
      dir,
      app: {
        name: kind === 'cluster' ? `${cluster.name}-cluster` : `${cluster.name}-${kind}-${name}`,
        path: dir,
        destination,
        syncWave,
        namespace: options.namespace,
        labels: { 'kprod.io/cluster': cluster.name, 'kprod.io/folder': kind },
      },
    });
    return chart;
  };
  const managementChart = folder('cluster', 'cluster', layout.managementDir(env, cluster.name), { server: IN_CLUSTER });
  // The autoscaler owns the replicas of autoscaled MachineDeployments; Argo CD must not reset them.
  const ignore = autoscaledIgnoreDifferences(cluster);
  if (ignore.length) folders[0].app = { ...folders[0].app, ignoreDifferences: ignore as unknown as Array<Record<string, unknown>> };
  const addons = new Map<string, Chart>();
  const tenants = new Map<string, Chart>();
  const ctx: ClusterContext = {
    fleet,
    environment,
    cluster,
    capiNamespace: names.capiNamespace(cluster),
    managementChart,
    get capabilityId() {
      return current.id;
    },
    capabilityIds: set.map((c) => c.id),
    addonChart(name, options) {
      claims.claim('add-on', name, current);
      let chart = addons.get(name);
      if (!chart) addons.set(name, (chart = folder('addon', name, layout.addonDir(env, cluster.name, name), workload, options)));
      return chart;
    },
    tenantChart(name, options) {
      claims.claim('tenant', name, current);
      let chart = tenants.get(name);
      if (!chart) tenants.set(name, (chart = folder('tenant', name, layout.tenantDir(env, cluster.name, name), workload, options)));
      return chart;
    },
    addFile(relativePath, content) {
      plainFiles.set(`${layout.clusterDir(env, cluster.name)}/${relativePath}`, content);
    },
    addApplication(manifest) {
      return new ApiObject(applicationsChart, (manifest.metadata as { name: string }).name, manifest as never);
    },
    find(kind, name, namespace) {
      return findObject(app, { kind, name, namespace });
    },
    findAll(query) {
      return findObjects(app, query);
    },
    addSummary(line) {
      summary.push(line);
    },
  };
  for (const capability of set) {
    current = capability;
    capability.build(ctx, cluster.extensions[capability.id]);
  }
  applySpecPatches(app, fleet, environment, cluster);
  return { app, folders, plainFiles, applicationsChart, summary };
}

/** The manifests of one folder of `dist/`, in construction order. */
export interface FolderManifests {
  dir: string;
  manifests: Array<Record<string, any>>;
}

/** One cluster's objects as plain JSON, before serialization. */
export interface ClusterManifests {
  folders: FolderManifests[];
  plainFiles: Map<string, string>;
  gitopsFolders: GitopsFolder[];
  /** Argo CD Applications for the environment's `argocd/` folder (Helm add-ons). */
  applications: Array<Record<string, unknown>>;
  summary: string[];
}

/** What one cluster contributes to the fleet's output: the unit of work of a synth thread. */
export interface ClusterFiles {
  /** [path, content] pairs, Kubernetes objects first (folder by folder), then plain files. */
  files: Array<[string, string]>;
  /** How many of `files` are Kubernetes objects (the rest are plain files). */
  objects: number;
  gitopsFolders: GitopsFolder[];
  applications: Array<Record<string, unknown>>;
  summary: string[];
}

/** Builds one cluster (synthCluster) and resolves its Charts to plain manifests. */
export function clusterManifests(fleet: FleetSpec, envIndex: number, clusterIndex: number, capabilities: readonly CapabilityInput[] = CAPABILITIES): ClusterManifests {
  const environment = fleet.environments[envIndex];
  const cluster = environment.clusters[clusterIndex];
  const built = synthCluster(fleet, environment, cluster, capabilities);
  // One pass over the cluster's App for all its charts (chart.toJson() would walk the App per chart).
  const manifests = chartManifests(built.app, [...built.folders.map((f) => f.chart), built.applicationsChart]);
  return {
    folders: built.folders.map((f, i) => ({ dir: f.dir, manifests: manifests[i] })),
    plainFiles: built.plainFiles,
    gitopsFolders: built.folders.map((f) => f.app),
    applications: manifests[built.folders.length],
    summary: built.summary.length ? [`${environment.name}/${cluster.name}:`, ...built.summary.map((l) => `  ${l}`)] : [],
  };
}

/**
 * The Argo CD folder of one environment (`<env>/argocd/`): an Application per folder, plus the
 * Applications clusters added themselves (Helm add-ons).
 */
export function argocdManifests(
  environment: EnvironmentSpec,
  gitopsFolders: readonly GitopsFolder[],
  applications: ReadonlyArray<Record<string, unknown>> = [],
  chartRepos: readonly string[] = chartReposOf(applications),
): FolderManifests {
  const app = new App();
  const chart = new Chart(app, `argocd-${environment.name}`, { disableResourceNameHashes: true });
  new ArgoApplications(chart, 'applications', { environment, folders: gitopsFolders, chartRepos });
  for (const manifest of applications) new ApiObject(chart, (manifest.metadata as { name: string }).name, manifest as never);
  return { dir: layout.argocdDir(environment.name), manifests: chartManifests(app, [chart])[0] };
}

/** [path, YAML] pairs of a folder: one file per object. */
export function folderFiles(folder: FolderManifests): Array<[string, string]> {
  return folder.manifests.map((obj) => [`${folder.dir}/${objectFileName(obj as never)}`, manifestToYaml(obj)]);
}

/** One cluster's share of its environment's `argocd/` folder. */
export interface ClusterArgocd {
  /** [path, YAML] pairs: one file per object. */
  files: Array<[string, string]>;
  /** The cluster's own Applications and tenant projects (not its per-cluster Application), as written. */
  manifests: Array<Record<string, any>>;
}

/**
 * The objects one cluster contributes to its environment's `argocd/` folder: its folder and Helm
 * Applications and its tenant projects (not the root's objects, rootArgocdFiles). Every object is its
 * own file, so the folder is the root's files plus the union of these, byte for byte what one
 * argocdManifests call writes for all clusters. `flat` layout: all in `<env>/argocd/`. `per-cluster`:
 * in `<env>/argocd/<cluster>/`, plus the cluster's Application (`<cluster>-applications`) in
 * `<env>/argocd/`. With `handover` every object of the share carries `Prune=false`.
 */
export function clusterArgocdFiles(
  environment: EnvironmentSpec,
  cluster: string,
  gitopsFolders: readonly GitopsFolder[],
  applications: ReadonlyArray<Record<string, unknown>>,
): ClusterArgocd {
  const { layout: shape, handover } = environment.gitops.argocd;
  const folder = argocdManifests(environment, gitopsFolders, applications);
  const shared = new Set(environmentLevelNames(environment));
  const parent = clusterApplicationName(cluster);
  const ownDir = shape === 'per-cluster' ? layout.clusterArgocdDir(environment.name, cluster) : folder.dir;
  const out: ClusterArgocd = { files: [], manifests: [] };
  for (const m of folder.manifests) {
    const name = m.metadata?.name;
    if (shared.has(name)) continue;
    if (m.kind === 'Application' && name === parent && shape === 'per-cluster') {
      out.files.push([`${folder.dir}/${objectFileName(m as never)}`, manifestToYaml(m)]);
      continue;
    }
    const placed = handover ? withNoPrune(m) : m;
    out.manifests.push(placed);
    out.files.push([`${ownDir}/${objectFileName(placed as never)}`, manifestToYaml(placed)]);
  }
  return out;
}

/** The reviewer index page of an environment (`<env>/README.md`), from its clusters' rows (clusterIndexRow). */
export function environmentReadmeFile(fleet: FleetSpec, envIndex: number, rows: readonly IndexRow[]): [string, string] {
  return [layout.environmentReadme(fleet.environments[envIndex].name), environmentReadme(fleet, envIndex, rows)];
}

/** The reviewer page of a cluster (`<env>/<cluster>/README.md`), given its Argo CD Applications (for the sync order). */
export function clusterReadmeFile(fleet: FleetSpec, envIndex: number, clusterIndex: number, applications: readonly ApplicationManifest[]): [string, string] {
  const env = fleet.environments[envIndex];
  const cluster = env.clusters[clusterIndex];
  return [layout.clusterReadme(env.name, cluster.name), clusterReadme(fleet, envIndex, cluster, applications)];
}

/**
 * The environment-level files of an `argocd/` folder: the root Application, the root project and the
 * platform project, whose sources are the chart repositories of every cluster (`chartRepos`, the union
 * of the clusters' chartReposOf).
 */
export function rootArgocdFiles(environment: EnvironmentSpec, chartRepos: readonly string[] = []): Array<[string, string]> {
  return folderFiles(argocdManifests(environment, [], [], chartRepos));
}

/** Names of the objects every cluster of an environment shares in `argocd/` (written once, by rootArgocdFiles). */
function environmentLevelNames(environment: EnvironmentSpec): string[] {
  return [rootApplicationName(environment), rootProjectName(environment), platformProjectName(environment)];
}

/** The repositories of every source of the Helm Applications (a CRD chart next to its operator chart included). */
export function chartReposOf(applications: ReadonlyArray<Record<string, unknown>>): string[] {
  const repos = applications.flatMap((a) => applicationSources(a as { spec?: { sources?: unknown[] } }).map((s) => s.repoURL));
  return [...new Set(repos.filter((r): r is string => typeof r === 'string' && r !== ''))].sort();
}

/** Builds and serializes one cluster. */
export function synthClusterFiles(fleet: FleetSpec, envIndex: number, clusterIndex: number, capabilities: readonly CapabilityInput[] = CAPABILITIES): ClusterFiles {
  const built = clusterManifests(fleet, envIndex, clusterIndex, capabilities);
  const files = built.folders.flatMap(folderFiles);
  const objects = files.length;
  for (const entry of built.plainFiles) files.push(entry);
  return { files, objects, gitopsFolders: built.gitopsFolders, applications: built.applications, summary: built.summary };
}

/**
 * Merges per-cluster results (in fleet order) and adds each environment's Argo CD folder. Two
 * objects may never share a file.
 */
export function mergeFleet(fleet: FleetSpec, results: ClusterFiles[][]): SynthOutput {
  const files = new Map<string, string>();
  const summary: string[] = [];
  let objects = 0;
  const addObject = ([file, content]: [string, string]) => {
    if (files.has(file)) throw new Error(`two objects map to ${file}`);
    files.set(file, content);
  };
  fleet.environments.forEach((environment, e) => {
    // As the streaming synth builds it: each cluster's share of argocd/, then the root's objects.
    const repos = new Set<string>();
    results[e].forEach((r, c) => {
      r.files.forEach((entry, i) => (i < r.objects ? addObject(entry) : files.set(entry[0], entry[1])));
      objects += r.objects;
      summary.push(...r.summary);
      const cluster = environment.clusters[c];
      const argo = clusterArgocdFiles(environment, cluster.name, r.gitopsFolders, r.applications);
      argo.files.forEach(addObject);
      objects += argo.files.length;
      for (const repo of chartReposOf(r.applications)) repos.add(repo);
      files.set(...clusterReadmeFile(fleet, e, c, argo.manifests));
    });
    const root = rootArgocdFiles(environment, [...repos].sort());
    root.forEach(addObject);
    objects += root.length;
    files.set(...environmentReadmeFile(fleet, e, environment.clusters.map((cluster) => clusterIndexRow(fleet, cluster))));
  });
  return { files: new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), summary, objects };
}

/** Synthesizes the whole fleet in memory on the calling thread: nothing is written here. */
export function synthFleet(fleet: FleetSpec, capabilities: readonly CapabilityInput[] = CAPABILITIES): SynthOutput {
  return mergeFleet(
    fleet,
    fleet.environments.map((env, e) => env.clusters.map((_, c) => synthClusterFiles(fleet, e, c, capabilities))),
  );
}
