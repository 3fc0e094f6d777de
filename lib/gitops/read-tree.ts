import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles } from './writer';

/**
 * The tree a previous synth wrote to `dir` (what Argo CD has applied, when `dir` is the committed
 * output), as relative path → text, every file `listFiles` lists; empty when `dir` does not exist.
 */
export function readTree(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')] as const));
}

/** The files directly in `dir/folder/` (one folder of a tree, e.g. a cluster's `cluster/`), keyed by their path relative to `dir`. */
export function readFolder(dir: string, folder: string): Map<string, string> {
  const abs = path.join(dir, folder);
  if (!fs.existsSync(abs)) return new Map();
  const files = fs.readdirSync(abs, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.'));
  return new Map(files.map((e) => [`${folder}/${e.name}`, fs.readFileSync(path.join(abs, e.name), 'utf8')] as const));
}

/** Existence and text of single files of the tree in `dir` (the previous tree, read file by file). */
export function treeOnDisk(dir: string): { has(file: string): boolean; read(file: string): string | undefined } {
  return {
    has: (file) => fs.existsSync(path.join(dir, file)),
    read: (file) => {
      try {
        return fs.readFileSync(path.join(dir, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
