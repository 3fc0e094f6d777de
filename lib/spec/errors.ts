/** One problem found in a spec, with the dotted path of the offending field. */
export interface SpecIssue {
  path: string;
  message: string;
  /** The value found at `path` (undefined when the field is missing). */
  value?: unknown;
  severity: 'error' | 'warning';
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || '(root)';
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatIssue(issue: SpecIssue): string {
  const prefix = issue.severity === 'warning' ? 'warning: ' : '';
  return `${prefix}${issue.path}: ${issue.message} (got ${show(issue.value)})`;
}

/** Thrown by every public entry point on invalid input; carries every issue found, not just the first. */
export class SpecError extends Error {
  readonly issues: readonly SpecIssue[];
  constructor(issues: SpecIssue[], what = 'fleet spec') {
    const errors = issues.filter((i) => i.severity === 'error');
    super(`invalid ${what}: ${errors.length} error(s)\n${errors.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
    this.name = 'SpecError';
    this.issues = issues;
  }
}

/** Collects issues during cross-field validation. */
export class IssueCollector {
  readonly issues: SpecIssue[] = [];
  error(path: ReadonlyArray<PropertyKey>, message: string, value?: unknown): void {
    this.issues.push({ path: formatPath(path), message, value, severity: 'error' });
  }
  warn(path: ReadonlyArray<PropertyKey>, message: string, value?: unknown): void {
    this.issues.push({ path: formatPath(path), message, value, severity: 'warning' });
  }
  get errors(): SpecIssue[] {
    return this.issues.filter((i) => i.severity === 'error');
  }
  get warnings(): SpecIssue[] {
    return this.issues.filter((i) => i.severity === 'warning');
  }
}

/** A wrong option of an entry point (not of the spec), e.g. `only` naming no cluster: one line, no stack trace. */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}
