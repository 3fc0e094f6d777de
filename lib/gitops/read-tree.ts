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

/**
 * Existence and text of single files of the tree in `dir` (the previous tree, read file by file).
 * `has` lists each folder once (one readdir instead of a stat per file); the tree must not change
 * while the reader is used (a synth stages its writes until commit).
 */
export function treeOnDisk(dir: string): { has(file: string): boolean; read(file: string): string | undefined } {
  const listed = new Map<string, Set<string>>();
  const filesIn = (folder: string) => {
    let names = listed.get(folder);
    if (!names) {
      try {
        names = new Set(fs.readdirSync(path.join(dir, folder)));
      } catch {
        names = new Set();
      }
      listed.set(folder, names);
    }
    return names;
  };
  return {
    has: (file) => {
      const slash = file.lastIndexOf('/');
      return filesIn(file.slice(0, Math.max(slash, 0))).has(file.slice(slash + 1));
    },
    read: (file) => {
      try {
        return fs.readFileSync(path.join(dir, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
