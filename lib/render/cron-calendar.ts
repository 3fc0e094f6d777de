/**
 * Converts the common forms of a 5-field cron schedule (the spec's `backup.schedule`,
 * `defrag.schedule`) into a systemd `OnCalendar=` expression, for hosts that run timers instead
 * of CronJobs (external etcd VMs). Supported per field: `*`, a number, `*\/step`, `a-b`, `a-b/step`
 * and comma lists of these; the macros `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`.
 * Not supported (reported as an error): month/day names, and a day-of-month together with a
 * day-of-week (cron ORs them, systemd ANDs them). The result is pinned to UTC, like CronJobs.
 */
import { Remembered } from '../remembered';

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

/** Every value a numeric field matches (validated by the same rules as the conversion above). */
function fieldValues(text: string, field: Field): number[] {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined) throw new CronError(`${field.name} "${part}" has more than one "/"`);
    const step = stepText === undefined ? 1 : number(stepText, { ...field, min: 1 });
    const [fromText, toText, more] = range.split('-');
    if (more !== undefined) throw new CronError(`${field.name} "${part}" is not a range a-b`);
    const from = range === '*' ? field.min : number(fromText, field);
    // "a/step" runs to the end of the field, like cron.
    const to = range === '*' || (toText === undefined && stepText !== undefined) ? field.max : toText === undefined ? from : number(toText, field);
    if (to < from) throw new CronError(`${field.name} range ${from}-${to} runs backwards`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

const MACRO_CRON: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

/** Schedules measured before: a fleet shares a few, and each measure walks four years (~2 ms, twice per cluster built). */
const measured = new Remembered<{ readonly seconds: number } | { readonly error: string }>(256);

/**
 * The longest time between two consecutive runs of a schedule, in seconds (UTC), e.g. 3600 for
 * `0 * * * *`, 604800 for `30 3 * * 0`. Used to tell when the newest backup is too old. Accepts
 * exactly the schedules {@link cronToOnCalendar} accepts (same fields, same errors), so a schedule
 * that the hosts run can always be alerted on. Runs are enumerated over four years (a leap cycle).
 */
export function cronMaxIntervalSeconds(schedule: string): { readonly seconds: number } | { readonly error: string } {
  return measured.get(schedule, (s) => Object.freeze(measureMaxInterval(s)));
}

function measureMaxInterval(schedule: string): { readonly seconds: number } | { readonly error: string } {
  const converted = cronToOnCalendar(schedule);
  if ('error' in converted) return converted;
  const text = MACRO_CRON[schedule.trim()] ?? schedule.trim();
  const [minute, hour, dom, month, dow] = text.split(/\s+/);
  const minutes = fieldValues(minute, FIELDS[0]);
  const hours = fieldValues(hour, FIELDS[1]);
  const days = new Set(fieldValues(dom, FIELDS[2]));
  const months = new Set(fieldValues(month, FIELDS[3]));
  // Cron's 7 is Sunday, like 0.
  const weekdays = new Set(fieldValues(dow, FIELDS[4]).map((d) => d % 7));
  const start = Date.UTC(2024, 0, 1);
  const dayMs = 86_400_000;
  let previous: number | undefined;
  let first: number | undefined;
  let longest = 0;
  for (let day = start; day < Date.UTC(2028, 0, 1); day += dayMs) {
    const d = new Date(day);
    if (!days.has(d.getUTCDate()) || !months.has(d.getUTCMonth() + 1) || !weekdays.has(d.getUTCDay())) continue;
    for (const h of hours)
      for (const m of minutes) {
        const t = day + (h * 60 + m) * 60_000;
        if (previous !== undefined) longest = Math.max(longest, t - previous);
        first ??= t;
        previous = t;
      }
  }
  if (previous === undefined || first === undefined) return { error: `"${schedule}" never runs` };
  // The wrap-around gap (last run of the period to the first of the next) matters for yearly schedules.
  if (previous === first) return { seconds: 366 * 86_400 };
  return { seconds: longest / 1000 };
}
