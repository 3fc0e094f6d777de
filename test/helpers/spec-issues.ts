import { parseFleet, SpecError, type SpecIssue } from '../../lib/spec';

/** Every issue parseFleet reports for the input: its errors and warnings, or the warnings of a valid spec. */
export function issuesOf(input: unknown): readonly SpecIssue[] {
  try {
    return parseFleet(input).warnings;
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
}

/** The errors parseFleet reports for the input ([] for a valid spec). */
export function errorsOf(input: unknown): SpecIssue[] {
  return issuesOf(input).filter((i) => i.severity === 'error');
}
