/**
 * "The same objects" for the reference modes: the fleet synthesized once by kprod in memory and
 * kept as plain JSON manifests per folder, plus kprod's plain (non-object) files.
 */
import * as fs from 'node:fs';
import { argocdManifests, clusterManifests, type FolderManifests } from '../constructs/parallel-synth';
import type { CapabilityInput } from '../constructs/fleet';
import type { GitopsFolder } from '../constructs/gitops/applications';
import type { FleetSpec } from '../lib/spec';

export interface PreparedFleet {
  folders: FolderManifests[];
  plainFiles: Array<[string, string]>;
  objects: number;
}

/** Resolves every cluster and every environment's Argo CD folder to manifests. */
export function prepareFleet(fleet: FleetSpec, capabilities?: readonly CapabilityInput[]): PreparedFleet {
  const folders: FolderManifests[] = [];
  const plainFiles: Array<[string, string]> = [];
  fleet.environments.forEach((environment, e) => {
    const gitopsFolders: GitopsFolder[] = [];
    const applications: Array<Record<string, unknown>> = [];
    environment.clusters.forEach((_, c) => {
      const built = clusterManifests(fleet, e, c, capabilities);
      folders.push(...built.folders);
      plainFiles.push(...built.plainFiles);
      gitopsFolders.push(...built.gitopsFolders);
      applications.push(...built.applications);
    });
    folders.push(argocdManifests(environment, gitopsFolders, applications));
  });
  return { folders, plainFiles, objects: folders.reduce((n, f) => n + f.manifests.length, 0) };
}

export function savePrepared(file: string, prepared: PreparedFleet): void {
  fs.writeFileSync(file, JSON.stringify(prepared));
}

export function loadPrepared(file: string): PreparedFleet {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as PreparedFleet;
}
