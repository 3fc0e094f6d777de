import { END_OF_LIFE, minorSupport } from '../versions/matrix';

/** The end-of-life date (YYYY-MM-DD) of a version's minor from the support matrix (lib/versions/matrix.ts), if known. */
export function endOfLife(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined;
  const minor = `${m[1]}.${m[2]}`;
  return minorSupport(minor)?.endOfLife ?? END_OF_LIFE[minor];
}
