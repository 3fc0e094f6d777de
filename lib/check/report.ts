/** One way an object would be refused: `file: kind/name: path: message`. */
export interface CheckFailure {
  readonly file: string;
  /** `Kind/name` of the top-level object in the file. */
  readonly object: string;
  /** Dotted path inside the object; embedded documents appear as `{Kind}`. */
  readonly path: string;
  readonly message: string;
}

/** A rule or an object the check could not evaluate: never counted as passed. */
export interface CheckUnevaluated {
  readonly file: string;
  readonly object: string;
  readonly path: string;
  readonly reason: string;
}

export interface CheckReport {
  /** Objects checked, embedded documents included. */
  readonly objects: number;
  /** Objects with at least one failure. */
  readonly failed: number;
  readonly failures: readonly CheckFailure[];
  readonly unevaluated: readonly CheckUnevaluated[];
}

/** The lines `kprod check` prints: failures, unevaluated items, then the summary. */
export function formatReport(report: CheckReport): string[] {
  return [
    ...report.failures.map((f) => `${f.file}: ${f.object}: ${f.path}: ${f.message}`),
    ...report.unevaluated.map((u) => `${u.file}: ${u.object}: ${u.path}: unevaluated: ${u.reason}`),
    `checked ${report.objects} objects, ${report.failed} failed, ${report.unevaluated.length} unevaluated`,
  ];
}
