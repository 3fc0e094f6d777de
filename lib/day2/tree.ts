import { parse } from 'yaml';
import { layout } from '../gitops/layout';

/** A `dist/` tree in memory: path relative to the output folder → file text. */
export type Tree = ReadonlyMap<string, string>;

/** One parsed manifest of a tree, with its file. */
export interface TreeObject {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  // Manifests are read as data: fields are checked where they are used.
  readonly obj: { apiVersion?: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any };
}

/** Every manifest (`.yaml` with a kind) of a tree below `folder/`, in file order. */
export function objectsUnder(tree: Tree, folder: string): TreeObject[] {
  const out: TreeObject[] = [];
  for (const file of [...tree.keys()].sort()) {
    if (!file.startsWith(`${folder}/`) || !file.endsWith('.yaml')) continue;
    const obj = parse(tree.get(file)!);
    if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string' || !obj.metadata?.name) continue;
    out.push({ file, kind: obj.kind, name: obj.metadata.name, obj });
  }
  return out;
}

/** The management-cluster objects (folder `cluster/`) of one cluster. */
export function managementObjects(tree: Tree, env: string, cluster: string): TreeObject[] {
  return objectsUnder(tree, layout.managementDir(env, cluster));
}

/** The first object of a kind, if any. */
export function firstOfKind(objects: readonly TreeObject[], kind: string): TreeObject | undefined {
  return objects.find((o) => o.kind === kind);
}
