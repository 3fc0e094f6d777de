/**
 * Annotations kprod sets on the Argo CD objects it renders (facts from argoproj/argo-cd v3.5.1,
 * checked 2026-12-01; docs/gitops-scale.md has the sources).
 */

/**
 * Paths (semicolon-separated, relative to the Application's `source.path`, `/` for repository
 * absolute) whose changes invalidate the Application's cached manifests. Without it every commit
 * to the repository re-renders every Application of that repository. Matching is by prefix, so
 * `.` also covers the folder's subfolders.
 */
export const MANIFEST_GENERATE_PATHS = 'argocd.argoproj.io/manifest-generate-paths';

/** An Application that renders its own folder only: a commit elsewhere reuses its cached manifests. */
export const OWN_FOLDER_ONLY = { [MANIFEST_GENERATE_PATHS]: '.' } as const;

/** Per-object sync options, read by the Application that manages the object (its parent). */
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/**
 * The parent skips pruning the object. Argo CD reads it from the live object when it would prune
 * (gitops-engine `isPruningDisabled(liveObj)`), so it protects an object only once a sync has put
 * it there.
 */
export const NO_PRUNE = 'Prune=false';

/** True when a manifest carries `Prune=false` among its sync options. */
export function hasNoPrune(manifest: { metadata?: { annotations?: Record<string, string> } } | undefined): boolean {
  const options = manifest?.metadata?.annotations?.[SYNC_OPTIONS] ?? '';
  return options.split(',').some((o) => o.trim() === NO_PRUNE);
}

/** A copy of `manifest` whose parent never prunes it (`Prune=false` added to its sync options). */
export function withNoPrune<T extends { metadata?: { annotations?: Record<string, string> } }>(manifest: T): T {
  if (hasNoPrune(manifest)) return manifest;
  const annotations = { ...(manifest.metadata?.annotations ?? {}) };
  annotations[SYNC_OPTIONS] = annotations[SYNC_OPTIONS] ? `${annotations[SYNC_OPTIONS]},${NO_PRUNE}` : NO_PRUNE;
  const sorted = Object.fromEntries(Object.keys(annotations).sort().map((k) => [k, annotations[k]]));
  return { ...manifest, metadata: { ...manifest.metadata, annotations: sorted } };
}
