import { PruneRefusedError } from '../lib/gitops';
import { formatIssue, SpecError } from '../lib/spec';

/** Prints a failure the way every kprod command does and exits non-zero. */
export function fail(error: unknown): never {
  if (error instanceof SpecError) {
    const errors = error.issues.filter((i) => i.severity === 'error');
    console.error(`kprod: invalid spec, ${errors.length} error(s); nothing was written`);
    for (const issue of error.issues) console.error(`  ${formatIssue(issue)}`);
  } else if (error instanceof PruneRefusedError) {
    console.error(`kprod: ${error.message}`);
  } else {
    console.error(`kprod: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  process.exit(1);
}
