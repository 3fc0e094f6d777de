import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles } from './writer';

/**
 * The tree a previous synth wrote to `dir` (what Argo CD has applied, when `dir` is the committed
 * output), as relative path → text; empty when `dir` does not exist. Only `.yaml` files are read:
 * transitions and plans compare manifests.
 */
export function readTree(dir: string): Map<string, string> {
  return new Map(listFiles(dir).filter((f) => f.endsWith('.yaml')).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')] as const));
}
