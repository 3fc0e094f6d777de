/**
 * The in-memory entry point of the tree writer: a whole tree given as a Map. The streaming synth
 * uses TreeWriter (tree-writer.ts) directly, file by file.
 */
import { writeWith, type WriteOptions, type WriteResult } from './tree-writer';

export {
  ForeignConflictError,
  ForeignFilesError,
  listFiles,
  PruneRefusedError,
  TreeWriter,
  writeWith,
  type FileState,
  type TreeWriterOptions,
  type WriteOptions,
  type WriteResult,
} from './tree-writer';

/**
 * Makes the files kprod owns in `outDir` exactly `files`, touching only what changed: identical
 * files are not rewritten, owned files no longer produced are deleted, foreign files are left
 * alone. Everything is decided before the first change to `outDir`, and new contents are staged
 * beside the tree first, so a refusal or a failure leaves `outDir` exactly as it was.
 */
export function writeTree(outDir: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}): WriteResult {
  return writeWith(outDir, options, (w) => {
    for (const [rel, content] of files) w.add(rel, content);
  });
}
