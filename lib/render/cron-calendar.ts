/**
 * Converts the common forms of a 5-field cron schedule (the spec's `backup.schedule`,
 * `defrag.schedule`) into a systemd `OnCalendar=` expression, for hosts that run timers instead
 * of CronJobs (external etcd VMs). Supported per field: `*`, a number, `*\/step`, `a-b`, `a-b/step`
 * and comma lists of these; the macros `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`.
 * Not supported (reported as an error): month/day names, and a day-of-month together with a
 * day-of-week (cron ORs them, systemd ANDs them). The result is pinned to UTC, like CronJobs.
 */

const MACROS: Record<string, string> = {
  '@hourly': '*-*-* *:00:00',
  '@daily': '*-*-* 00:00:00',
  '@midnight': '*-*-* 00:00:00',
  '@weekly': 'Sun *-*-* 00:00:00',
  '@monthly': '*-*-01 00:00:00',
  '@yearly': '*-01-01 00:00:00',
  '@annually': '*-01-01 00:00:00',
};

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

class CronError extends Error {}

function number(text: string, field: Field): number {
  if (!/^\d+$/.test(text)) throw new CronError(`${field.name} "${text}" is not a number (names such as MON or JAN are not supported)`);
  const n = Number(text);
  if (n < field.min || n > field.max) throw new CronError(`${field.name} ${n} is outside ${field.min}-${field.max}`);
  return n;
}

/** One comma-separated element of a numeric field, in systemd syntax. */
function element(text: string, field: Field): string {
  const [range, stepText, extra] = text.split('/');
  if (extra !== undefined) throw new CronError(`${field.name} "${text}" has more than one "/"`);
  const step = stepText === undefined ? undefined : number(stepText, { ...field, min: 1 });
  if (range === '*') return step === undefined ? '*' : `${field.min}/${step}`;
  const [fromText, toText, more] = range.split('-');
  if (more !== undefined) throw new CronError(`${field.name} "${text}" is not a range a-b`);
  const from = number(fromText, field);
  if (toText === undefined) return step === undefined ? String(from) : `${from}/${step}`;
  const to = number(toText, field);
  if (to < from) throw new CronError(`${field.name} range ${from}-${to} runs backwards`);
  // systemd has no range-with-step; spell the values out.
  if (step !== undefined) return Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step).join(',');
  return `${from}..${to}`;
}

function numericField(text: string, field: Field): string {
  const parts = text.split(',').map((p) => element(p, field));
  return parts.includes('*') ? '*' : parts.join(',');
}

function weekdays(text: string): string | undefined {
  if (text === '*') return undefined;
  const field = FIELDS[4];
  return text
    .split(',')
    .map((part) => {
      if (part.includes('/')) throw new CronError(`day of week "${part}" with a step is not supported`);
      const [from, to] = part.split('-');
      const a = number(from, field);
      if (to === undefined) return DAY_NAMES[a];
      const b = number(to, field);
      if (b < a) throw new CronError(`day of week range ${a}-${b} runs backwards`);
      return `${DAY_NAMES[a]}..${DAY_NAMES[b]}`;
    })
    .join(',');
}

/** The OnCalendar expression, or an explanation of why the schedule cannot be converted. */
export function cronToOnCalendar(schedule: string): { readonly onCalendar: string } | { readonly error: string } {
  const text = schedule.trim();
  if (MACROS[text]) return { onCalendar: `${MACROS[text]} UTC` };
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return { error: `"${schedule}" is not a 5-field cron schedule (minute hour day-of-month month day-of-week)` };
  const [minute, hour, dom, month, dow] = fields;
  try {
    if (dom !== '*' && dow !== '*')
      throw new CronError('a day of month together with a day of week is not supported (cron runs on either, systemd only on both)');
    const days = weekdays(dow);
    const date = `*-${numericField(month, FIELDS[3])}-${numericField(dom, FIELDS[2])}`;
    const time = `${numericField(hour, FIELDS[1])}:${numericField(minute, FIELDS[0])}:00`;
    return { onCalendar: `${days ? `${days} ` : ''}${date} ${time} UTC` };
  } catch (e) {
    if (e instanceof CronError) return { error: `"${schedule}": ${e.message}` };
    throw e;
  }
}
