/**
 * The cron syntax a Kubernetes CronJob accepts (five fields, or a macro such as "@hourly"), checked
 * before it reaches the API server, which would refuse the CronJob only once Argo CD applies it.
 * Returns the problem, or undefined when the schedule is valid.
 */
const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];

function value(text: string, field: (typeof FIELDS)[number]): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const i = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i + field.min : undefined;
}

export function cronProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (text.startsWith('@')) return MACROS.has(text) ? undefined : `unknown macro ${text}; use one of ${[...MACROS].join(', ')}`;
  if (/^(CRON_)?TZ=/.test(text)) return 'a time zone in the schedule is not allowed; CronJobs take it in spec.timeZone';
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week) or be a macro such as "@hourly"; has ${parts.length}`;
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i];
    for (const item of part.split(',')) {
      const m = /^(\*|\?|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/(\d+))?$/.exec(item);
      if (!m) return `${field.name} "${item}" is not a number, range, list or step`;
      if (m[2] !== undefined && Number(m[2]) < 1) return `${field.name} step "${item}" must be at least 1`;
      if (m[1] === '*' || m[1] === '?') continue;
      const [from, to = from] = m[1].split('-');
      const a = value(from, field);
      const b = value(to, field);
      if (a === undefined || b === undefined || a < field.min || b > field.max) return `${field.name} "${item}" is outside ${field.min}-${field.max}`;
      if (b < a) return `${field.name} range "${item}" runs backwards`;
    }
  }
  return undefined;
}
