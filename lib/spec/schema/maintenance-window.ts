import { z } from 'zod';

/**
 * A maintenance window: when Argo CD may sync the Applications that replace machines (a cluster's
 * `cluster/` folder, the minor-bound cloud controller manager). Rendered as an `allow` sync window
 * of the environment's platform AppProject; a manual sync stays possible outside it (emergencies).
 */
export const maintenanceWindow = z.strictObject({
  /** Start of the window, a 5-field cron expression, e.g. `0 22 * * 6` (Saturdays 22:00). */
  schedule: z.string().regex(/^\S+( \S+){4}$/, 'must be a 5-field cron expression such as "0 22 * * 6"'),
  /** Length of the window (Go duration: hours and minutes), e.g. `4h` or `1h30m`. Longer than a rollout. */
  duration: z.string().regex(/^(?=\d)(\d+h)?(\d+m)?$/, 'must be a duration in hours and minutes such as "4h" or "1h30m"'),
  /** IANA time zone of `schedule`. @default "UTC" */
  timeZone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as "Europe/Berlin"')
    .default('UTC'),
});
