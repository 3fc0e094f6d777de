import { cronMaxIntervalSeconds } from '../../../lib/render/cron-calendar';

const HOUR = 3600;
const DAY = 24 * HOUR;

describe('cronMaxIntervalSeconds', () => {
  it.each([
    ['0 * * * *', HOUR],
    ['@hourly', HOUR],
    ['*/15 * * * *', 15 * 60],
    ['30 3 * * 0', 7 * DAY],
    ['@daily', DAY],
    // Uneven runs: the longest gap counts (20:00 → 02:00 is 6 h, 02:00 → 20:00 is 18 h).
    ['0 2,20 * * *', 18 * HOUR],
    // Weekdays only: Friday → Monday.
    ['0 0 * * 1-5', 3 * DAY],
    ['0 0 1 * *', 31 * DAY],
    ['0 0 1 1 *', 366 * DAY],
    ['0 0 * * 7', 7 * DAY],
  ])('%s runs at least every %d s', (schedule, seconds) => {
    expect(cronMaxIntervalSeconds(schedule)).toEqual({ seconds });
  });

  it('refuses what the timer conversion refuses, with the same message', () => {
    expect(cronMaxIntervalSeconds('0 0 1 * MON')).toEqual({ error: expect.stringMatching(/day of month together with a day of week|not a number/) });
    expect(cronMaxIntervalSeconds('every hour')).toEqual({ error: expect.stringMatching(/not a 5-field cron schedule/) });
  });

  it('reports a schedule that never runs', () => {
    expect(cronMaxIntervalSeconds('0 0 31 2 *')).toEqual({ error: '"0 0 31 2 *" never runs' });
  });
});
