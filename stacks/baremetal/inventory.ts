/**
 * The static inventory of existing hosts (stack config `kprod:hosts`), validated with every
 * problem reported at once, each with its path.
 */
import { z } from 'zod';

export const staticHost = z.strictObject({
  /** Node name (becomes the Kubernetes node name). */
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label'),
  /** Address the stack SSHes to and the node advertises. */
  address: z.ipv4(),
  role: z.enum(['control-plane', 'worker']),
  /** SSH user with passwordless sudo. @default the stack's `kprod:sshUser` */
  user: z.string().min(1).optional(),
  /** Cluster the host belongs to. @default the environment's only cluster */
  cluster: z.string().min(1).optional(),
  /** Node pool whose kubelet settings a worker gets. @default none (control-plane settings for control planes, pool-less defaults for workers) */
  pool: z.string().min(1).optional(),
});
export type StaticHost = z.infer<typeof staticHost>;

/** Parses `kprod:hosts`; throws one error listing every problem as `kprod:hosts[i].field: message (value)`. */
export function parseHosts(raw: unknown): StaticHost[] {
  const result = z.array(staticHost).safeParse(raw ?? [], { reportInput: true });
  const problems: string[] = [];
  if (!result.success)
    for (const issue of result.error.issues)
      problems.push(`kprod:hosts${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message} (${JSON.stringify(issue.input)})`);
  const hosts = result.success ? result.data : [];
  const seen = new Map<string, number>();
  hosts.forEach((h, i) => {
    for (const key of ['name', 'address'] as const) {
      const k = `${key}=${h[key]}`;
      if (seen.has(k)) problems.push(`kprod:hosts[${i}].${key}: repeats kprod:hosts[${seen.get(k)}] (${JSON.stringify(h[key])})`);
      else seen.set(k, i);
    }
  });
  if (problems.length) throw new Error(`invalid stack config kprod:hosts:\n  ${problems.join('\n  ')}`);
  return hosts;
}

/** The hosts of one cluster: control planes first (in config order), then workers. */
export function hostsOf(hosts: readonly StaticHost[], cluster: string, onlyCluster: boolean): StaticHost[] {
  const mine = hosts.filter((h) => h.cluster === cluster || (h.cluster === undefined && onlyCluster));
  return [...mine.filter((h) => h.role === 'control-plane'), ...mine.filter((h) => h.role === 'worker')];
}
