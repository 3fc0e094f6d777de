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
