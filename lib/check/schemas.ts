import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A structural schema node of a CRD version (compact: no prose). */
export type CrdSchema = Record<string, unknown>;

export interface CrdVersion {
  /** metadata.name of the CRD, e.g. `clusters.cluster.x-k8s.io`. */
  readonly crd: string;
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly schema: CrdSchema;
}

export interface ConfigSchema {
  /** File name under upstream/schemas/config or derived. */
  readonly file: string;
  readonly schema: Record<string, unknown>;
}

export interface SchemaIndex {
  /** `group/version|Kind` → the served CRD version. */
  readonly crds: ReadonlyMap<string, CrdVersion>;
  /** `group|Kind` → the served versions (to name them when an unserved one is used). */
  readonly servedVersions: ReadonlyMap<string, readonly string[]>;
  /** `apiVersion|Kind` → JSON Schema of a config kind (kubeadm, kubelet, audit, apiserver configs). */
  readonly configs: ReadonlyMap<string, ConfigSchema>;
}

interface CompactCrd {
  name: string;
  group: string;
  kind: string;
  versions: { name: string; served: boolean; schema: CrdSchema }[];
}

/** upstream/schemas of the repository or installed package (lib/check is two or three levels below it). */
export function schemasRoot(): string {
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'upstream', 'schemas');
    if (existsSync(path.join(candidate, 'SOURCES.json'))) return candidate;
  }
  throw new Error(`upstream/schemas not found above ${__dirname}`);
}

const jsonFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => path.join(dir, f))
    : [];

let cached: SchemaIndex | undefined;

/** The committed compact schemas, loaded once per process. */
export function schemaIndex(): SchemaIndex {
  if (cached) return cached;
  const root = schemasRoot();
  const crds = new Map<string, CrdVersion>();
  const servedVersions = new Map<string, string[]>();
  for (const file of jsonFiles(path.join(root, 'crds'))) {
    const crd = JSON.parse(readFileSync(file, 'utf8')) as CompactCrd;
    for (const v of crd.versions) {
      if (!v.served) continue;
      crds.set(`${crd.group}/${v.name}|${crd.kind}`, { crd: crd.name, group: crd.group, kind: crd.kind, version: v.name, schema: v.schema });
      const gk = `${crd.group}|${crd.kind}`;
      servedVersions.set(gk, [...(servedVersions.get(gk) ?? []), v.name]);
    }
  }
  const configs = new Map<string, ConfigSchema>();
  for (const file of [...jsonFiles(path.join(root, 'config')), ...jsonFiles(path.join(root, 'derived'))]) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const gvk of (schema['x-kubernetes-group-version-kind'] ?? []) as { group: string; version: string; kind: string }[]) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      configs.set(`${apiVersion}|${gvk.kind}`, { file: path.basename(file), schema });
    }
  }
  cached = { crds, servedVersions, configs };
  return cached;
}
