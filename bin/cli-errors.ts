import { CheckFailedError } from '../lib/check/check-failed-error';
import { ForeignConflictError, ForeignFilesError, PruneRefusedError } from '../lib/gitops';
import { formatIssue, OptionError, SpecError, SpecModuleError } from '../lib/spec';

/** Set by `--debug` (or KPROD_DEBUG=1): failures also print their stack trace. */
let debug = process.env.KPROD_DEBUG === '1';
export function setDebug(on: boolean): void {
  debug = debug || on;
}

/** Exit codes every command shares (README "Exit codes"). */
export const EXIT = { ok: 0, failure: 1 } as const;

/** A user mistake found by the CLI itself (bad option value, wrong combination): one line, no trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Node's file-system errors (ENOENT, EACCES, EISDIR, ...) are the user's environment, not a bug. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** The one-line (or, for spec errors, one line per issue) text of a failure, without a stack trace. */
export function describeFailure(error: unknown): string[] {
  if (error instanceof SpecError) {
    const errors = error.issues.filter((i) => i.severity === 'error');
    return [`kprod: invalid spec, ${errors.length} error(s); nothing was written`, ...error.issues.map((issue) => `  ${formatIssue(issue)}`)];
  }
  const userFacing = [PruneRefusedError, SpecModuleError, UsageError, OptionError, CheckFailedError, ForeignFilesError, ForeignConflictError];
  if (userFacing.some((kind) => error instanceof kind)) return [`kprod: ${(error as Error).message}`];
  if (isSystemError(error)) return [`kprod: ${error.message}`];
  const message = error instanceof Error ? error.message : String(error);
  return [`kprod: ${message}`, '  (this looks like a bug in kprod; run again with --debug for the stack trace and report it)'];
}

/** Prints a failure the way every kprod command does and exits non-zero. */
export function fail(error: unknown): never {
  for (const line of describeFailure(error)) console.error(line);
  if (debug) {
    const cause = error instanceof SpecModuleError ? error.reason : error;
    if (cause instanceof Error && cause.stack) console.error(cause.stack);
  }
  process.exit(EXIT.failure);
}
