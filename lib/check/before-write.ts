import { existsSync } from 'node:fs';
import { checkFiles, readTree } from './check';
import { formatReport, type CheckReport } from './report';

/** A synthesized tree the clusters would refuse; nothing was written. */
export class CheckFailedError extends Error {
  constructor(readonly report: CheckReport) {
    super(`the synthesized tree fails kprod check (${report.failed} failed); nothing was written\n${formatReport(report).join('\n')}`);
    this.name = 'CheckFailedError';
  }
}

/**
 * The check a synth runs before it writes: the new files (relative path → text) as updates of what
 * outDir holds today (as creates where it holds nothing yet).
 */
export function checkBeforeWrite(files: ReadonlyMap<string, string>, outDir: string): CheckReport {
  return checkFiles(files, { previous: existsSync(outDir) ? readTree(outDir) : undefined });
}

/** Throws CheckFailedError when the tree has a failure (unevaluated rules are reported, not fatal). */
export function assertCheckPasses(files: ReadonlyMap<string, string>, outDir: string): CheckReport {
  const report = checkBeforeWrite(files, outDir);
  if (report.failed > 0) throw new CheckFailedError(report);
  return report;
}
