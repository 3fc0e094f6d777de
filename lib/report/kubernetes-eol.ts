/**
 * End of upstream support (end of life) per Kubernetes minor, for the reviewer page.
 *
 * Until the support matrix in lib/versions/ lands (the lead repoints `endOfLife` to it at merge),
 * this is the small table the page needs. 1.31 is recorded from kubernetes/website
 * data/releases/schedule.yaml (commit 28d3e1316ac03edac98c3f2f14eb9b281a17f511, checked
 * 2026-12-01); the later minors follow the upstream policy that file applies (about 14 months of
 * patches, ending on the 28th; 1.34's release team moved it to the 27th).
 */
export const KUBERNETES_END_OF_LIFE: Readonly<Record<string, string>> = {
  '1.31': '2025-10-28',
  '1.32': '2026-02-28',
  '1.33': '2026-06-28',
  '1.34': '2026-10-27',
  '1.35': '2027-02-28',
  '1.36': '2027-06-28',
};

/** The end-of-life date (YYYY-MM-DD) of a version's minor, if known. */
export function endOfLife(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m ? KUBERNETES_END_OF_LIFE[`${m[1]}.${m[2]}`] : undefined;
}
