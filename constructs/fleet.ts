import { ApiObject, App, Chart } from 'cdk8s';
import { monitoringHelmApplication } from '../lib/observability/monitoring-application';
import { layout, manifestToYaml, objectFileName } from '../lib/gitops';
import { names } from '../lib/naming';
import type { ClusterSpec, EnvironmentSpec, FleetSpec } from '../lib/spec';
import { WorkloadCluster } from './cluster-api/cluster';
import type { ClusterContext, FolderOptions } from './context';
import { ControlPlane } from './control-plane/control-plane';
import { addEtcdBackup } from './etcd/backup';
import { NodePools } from './node-pools/node-pools';
import { Observability } from './observability';
import { addTenancy } from './tenancy';
import { ArgoApplications, IN_CLUSTER, type GitopsFolder } from './gitops/applications';

/** A capability adds its objects for one cluster through the context. */
export type Capability = (ctx: ClusterContext) => void;

/** Capabilities in the order they are built; each writes only through its context. */
export const CAPABILITIES: Capability[] = [
  (ctx) => new WorkloadCluster(ctx.managementChart, 'cluster', { ctx }),
  (ctx) => new ControlPlane(ctx.managementChart, 'control-plane', { ctx }),
  (ctx) => void addEtcdBackup(ctx),
  (ctx) => new NodePools(ctx.managementChart, 'node-pools', { ctx }),
  (ctx) => new Observability(ctx.managementChart, 'observability', { ctx }),
  (ctx) => {
    const monitoring = monitoringHelmApplication(ctx.cluster, ctx.environment);
    if (monitoring) ctx.addApplication(monitoring);
  },
  (ctx) => addTenancy(ctx),
];

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
export function synthCluster(fleet: FleetSpec, environment: EnvironmentSpec, cluster: ClusterSpec, capabilities = CAPABILITIES) {
  const app = new App();
  const folders: Folder[] = [];
  const plainFiles = new Map<string, string>();
  const applications: Array<Record<string, unknown>> = [];
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
  const addons = new Map<string, Chart>();
  const tenants = new Map<string, Chart>();
  const ctx: ClusterContext = {
    fleet,
    environment,
    cluster,
    capiNamespace: names.capiNamespace(cluster),
    managementChart,
    addonChart(name, options) {
      let chart = addons.get(name);
      if (!chart) addons.set(name, (chart = folder('addon', name, layout.addonDir(env, cluster.name, name), workload, options)));
      return chart;
    },
    tenantChart(name, options) {
      let chart = tenants.get(name);
      if (!chart) tenants.set(name, (chart = folder('tenant', name, layout.tenantDir(env, cluster.name, name), workload, options)));
      return chart;
    },
    addFile(relativePath, content) {
      plainFiles.set(`${layout.clusterDir(env, cluster.name)}/${relativePath}`, content);
    },
    addApplication(manifest) {
      applications.push(manifest);
    },
    addSummary(line) {
      summary.push(line);
    },
  };
  for (const capability of capabilities) capability(ctx);
  return { folders, plainFiles, applications, summary };
}

/** Adds each manifest of a chart as one file; two objects may never share a file. */
function addChartFiles(files: Map<string, string>, dir: string, chart: Chart): number {
  const manifests = chart.toJson() as Array<Record<string, any>>;
  for (const obj of manifests) {
    const file = `${dir}/${objectFileName(obj as never)}`;
    if (files.has(file)) throw new Error(`two objects map to ${file}: ${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`);
    files.set(file, manifestToYaml(obj));
  }
  return manifests.length;
}

/** Synthesizes the whole fleet in memory: nothing is written here. */
export function synthFleet(fleet: FleetSpec, capabilities = CAPABILITIES): SynthOutput {
  const files = new Map<string, string>();
  const summary: string[] = [];
  let objects = 0;
  for (const environment of fleet.environments) {
    const gitopsFolders: GitopsFolder[] = [];
    const applications: Array<Record<string, unknown>> = [];
    for (const cluster of environment.clusters) {
      const built = synthCluster(fleet, environment, cluster, capabilities);
      applications.push(...built.applications);
      for (const f of built.folders) {
        objects += addChartFiles(files, f.dir, f.chart);
        gitopsFolders.push(f.app);
      }
      for (const [p, content] of built.plainFiles) files.set(p, content);
      if (built.summary.length) summary.push(`${environment.name}/${cluster.name}:`, ...built.summary.map((l) => `  ${l}`));
    }
    const app = new App();
    const chart = new Chart(app, `argocd-${environment.name}`, { disableResourceNameHashes: true });
    new ArgoApplications(chart, 'applications', { environment, folders: gitopsFolders });
    // Helm-chart add-ons are Applications of their own, beside the folder Applications.
    for (const manifest of applications) new ApiObject(chart, (manifest.metadata as { name: string }).name, manifest as never);
    objects += addChartFiles(files, layout.argocdDir(environment.name), chart);
  }
  return { files: new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), summary, objects };
}
