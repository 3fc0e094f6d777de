/** The measured pipelines. Each writes the whole fleet into a fresh, empty `outDir`. */
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { streamSynth, streamSynthAsync } from '../constructs/stream-synth';
import { defaultCacheDir, synthAsync } from '../constructs/synth';
import { manifestToYaml, objectFileName } from '../lib/gitops';
import { parseFleet, type FleetInput } from '../lib/spec';
import type { PreparedFleet } from './prepared';
import { BENCH_CAPABILITIES, syntheticPerNamespace } from './synthetic';

export const MODES = ['kprod', 'kprod-parallel', 'cdk8s', 'floor'] as const;
export type Mode = (typeof MODES)[number];

export interface ModeResult {
  objects: number;
  files: number;
}

/** Options shared by both kprod modes: the CLI's cache folder, and the synthetic load's capabilities when on. */
function kprodOptions(outDir: string) {
  const n = syntheticPerNamespace();
  return { cacheDir: defaultCacheDir(outDir), capabilityKey: n ? `bench-synthetic-${n}` : undefined };
}

/** kprod as `synth()` runs it in one thread: validate, streaming synth (one App per cluster), commit. */
export function runKprod(input: FleetInput, outDir: string): ModeResult {
  const spec = parseFleet(input).spec;
  const out = streamSynth(spec, outDir, { ...kprodOptions(outDir), capabilities: syntheticPerNamespace() ? BENCH_CAPABILITIES : undefined });
  return { objects: out.objects, files: out.files };
}

/** kprod as `kprod synth` runs it: the streaming synth with clusters spread over worker threads. */
export async function runKprodParallel(input: FleetInput, outDir: string, workers?: number): Promise<ModeResult> {
  const spec = parseFleet(input).spec;
  const capabilitiesRef = syntheticPerNamespace() ? { module: require.resolve('./synthetic'), exportName: 'BENCH_CAPABILITIES' } : undefined;
  const out = await streamSynthAsync(spec, outDir, { ...kprodOptions(outDir), workers: workers ?? os.availableParallelism(), capabilitiesRef });
  return { objects: out.objects, files: out.files };
}

function writePlainFiles(outDir: string, files: Array<[string, string]>): void {
  for (const [rel, content] of files) {
    const abs = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/**
 * Raw cdk8s: the same manifests as plain ApiObjects in ONE App, one Chart per folder, written by
 * cdk8s's own synth (a folder per Chart, a file per object).
 */
export function runRawCdk8s(prepared: PreparedFleet, outDir: string): ModeResult {
  const app = new App({ outdir: outDir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
  for (const folder of prepared.folders) {
    const chart = new Chart(app, folder.dir.replace(/\//g, '_'), { disableResourceNameHashes: true });
    for (const manifest of folder.manifests) new ApiObject(chart, objectFileName(manifest as never), manifest as never);
  }
  app.synth();
  writePlainFiles(outDir, prepared.plainFiles);
  return { objects: prepared.objects, files: prepared.objects + prepared.plainFiles.length };
}

/** The serialization floor: the same objects through manifestToYaml (kprod's emitter) straight to files, no cdk8s. */
export function runFloor(prepared: PreparedFleet, outDir: string): ModeResult {
  for (const folder of prepared.folders) {
    const dir = path.join(outDir, folder.dir);
    fs.mkdirSync(dir, { recursive: true });
    for (const manifest of folder.manifests) fs.writeFileSync(path.join(dir, objectFileName(manifest as never)), manifestToYaml(manifest));
  }
  writePlainFiles(outDir, prepared.plainFiles);
  return { objects: prepared.objects, files: prepared.objects + prepared.plainFiles.length };
}

export interface ScaleResult extends ModeResult {
  /** Clusters built (the rest came from the cache). */
  built: number;
  written: number;
}

/**
 * The scale line's runs, as `kprod synth` runs them (streaming, cache on, threads by default): the
 * fleet `as-generated` (cold into an empty folder, or back from a change over the tree and cache a
 * change left) or with the `change` to one tenant of one cluster, over the tree and cache the run
 * before left.
 */
export async function runKprodScale(input: FleetInput, outDir: string, step: 'as-generated' | 'change'): Promise<ScaleResult> {
  if (step === 'change') oneTenantChange(input);
  const report = await synthAsync(input, { outDir });
  return { objects: report.objects, files: report.files, built: report.built, written: report.written.length };
}

/** The everyday change the scale line measures: one tenant's CPU quota in the first cluster. */
export function oneTenantChange(input: FleetInput): void {
  const tenant = input.environments[0].clusters[0].tenants![0] as { quota?: Record<string, string | number> };
  tenant.quota = { ...(tenant.quota ?? {}), 'requests.cpu': '5' };
}
