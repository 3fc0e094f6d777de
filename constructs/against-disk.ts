/**
 * A built cluster against the output folder, done where the cluster was built (a worker thread, or
 * the calling thread without workers): the day-2 transition rules against the `cluster/` folder on
 * disk (they parse both folders' YAML), and the comparison of every file with the one on disk.
 * Files that did not change travel back as their path and state only. Without this the calling
 * thread read and parsed the whole previous tree alone while the workers waited, which made a
 * synth over an existing tree (a kprod upgrade rebuilds every cluster) twice as slow as a cold one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clusterTransitionIssues } from '../lib/day2/transitions';
import { layout } from '../lib/gitops/layout';
import { readFolder } from '../lib/gitops/read-tree';
import { readIfExists, type FileGroup } from '../lib/gitops/tree-writer';
import type { FleetSpec, SpecIssue } from '../lib/spec';

/** What a task asks of the thread that builds it. */
export interface AgainstDisk {
  /** The output folder (absolute). */
  readonly outDir: string;
  /** Send unchanged files as path and state only (off when the calling thread checks every file). */
  readonly stripUnchanged: boolean;
}

/** The result's share: transition refusals, and the files equal to the output folder's. */
export interface DiskComparison {
  /** Transitions the live cluster would refuse against the `cluster/` folder on disk. */
  transitionIssues: SpecIssue[];
  /** Files whose content equals the file on disk, with its size and mtime (moved out of `files`). @default empty */
  unchanged?: FileGroup;
}

/**
 * Compares the cluster's files with the output folder: returns the transition issues and, with
 * `stripUnchanged`, removes the files equal to the disk from `files` and `argocdFiles` (in place).
 */
export function compareWithDisk(
  fleet: FleetSpec,
  envIndex: number,
  clusterIndex: number,
  files: Array<[string, string]>,
  argocdFiles: Array<[string, string]> | undefined,
  against: AgainstDisk,
): DiskComparison {
  const env = fleet.environments[envIndex];
  const dir = layout.managementDir(env.name, env.clusters[clusterIndex].name);
  const previous = readFolder(against.outDir, dir);
  const next = new Map(files.filter(([rel]) => rel.startsWith(`${dir}/`)));
  // An identical `cluster/` folder is no update at all: nothing for the rules to refuse (and no YAML to parse).
  const sameFolder = next.size === previous.size && [...next].every(([rel, content]) => previous.get(rel) === content);
  const transitionIssues = previous.size && !sameFolder ? clusterTransitionIssues(previous, next, fleet, envIndex, clusterIndex) : [];
  if (!against.stripUnchanged) return { transitionIssues };
  const unchanged: FileGroup = { paths: [], sizes: [], mtimes: [] };
  const keepChanged = (list: Array<[string, string]>) => {
    let w = 0;
    for (const entry of list) {
      const abs = path.join(against.outDir, entry[0]);
      const onDisk = previous.get(entry[0]) ?? readIfExists(abs);
      const state = onDisk === entry[1] ? fs.statSync(abs, { throwIfNoEntry: false }) : undefined;
      if (state) {
        unchanged.paths.push(entry[0]);
        unchanged.sizes.push(state.size);
        unchanged.mtimes.push(state.mtimeMs);
      } else list[w++] = entry;
    }
    list.length = w;
  };
  keepChanged(files);
  if (argocdFiles) keepChanged(argocdFiles);
  return { transitionIssues, unchanged };
}
