/**
 * keepalived.conf holding the API endpoint VIP by VRRP (keepalived-haproxy mode).
 *
 * Decisions:
 * - Unicast peers: cloud networks (OpenStack Neutron among them) often drop multicast, so every
 *   instance lists the other control-plane addresses as `unicast_peer`.
 * - No VRRP authentication: `auth_type PASS` sends the password in clear text in every
 *   advertisement, so it protects nothing against anyone who can see the segment, and VRRPv3
 *   (RFC 5798) removed authentication altogether. Keeping a shared secret out of `dist/` would
 *   need a host-side fill-in step for no security gain. Protection comes from unicast peers plus
 *   security groups that allow VRRP (IP protocol 112) only between control-plane ports.
 * - All instances start BACKUP with the same priority and `nopreempt`: the VIP stays where it
 *   is while that machine is healthy (no flapping when a rebooted machine comes back). Because
 *   `nopreempt` also ignores a master whose priority drops, the track script has no weight: a
 *   failing check puts the instance in FAULT, which releases the VIP at once.
 */
import { CHECK_APISERVER_PATH } from './check-apiserver';

export const KEEPALIVED_CONFIG_PATH = '/etc/keepalived/keepalived.conf';

export interface KeepalivedConfigOptions {
  readonly vip: string;
  /** Prefix length the VIP is added with. @default 32 */
  readonly vipPrefixLength?: number;
  readonly interface: string;
  /** VRRP virtual router id (1-255), unique per L2 segment. */
  readonly virtualRouterId: number;
  /** Addresses of the other instances (this machine's own address is removed at boot, see endpoint-files). */
  readonly unicastPeers: readonly string[];
  /** @default 100 */
  readonly priority?: number;
  /** VRRP advertisement interval, seconds. @default 1 */
  readonly advertIntSeconds?: number;
  /** Check script path. @default "/etc/keepalived/check_apiserver.sh" */
  readonly checkScriptPath?: string;
  /** Seconds between check runs. @default 3 */
  readonly checkIntervalSeconds?: number;
  /** Seconds a check may take. @default 5 */
  readonly checkTimeoutSeconds?: number;
  /** Consecutive failures before FAULT. @default 3 */
  readonly checkFall?: number;
  /** Consecutive successes before leaving FAULT. @default 2 */
  readonly checkRise?: number;
  /** Instance name. @default "KUBE_API" */
  readonly instanceName?: string;
}

/** Renders keepalived.conf; throws when the router id or priority is out of range. */
export function renderKeepalivedConfig(opts: KeepalivedConfigOptions): string {
  const problems: string[] = [];
  if (!Number.isInteger(opts.virtualRouterId) || opts.virtualRouterId < 1 || opts.virtualRouterId > 255)
    problems.push(`virtualRouterId: ${opts.virtualRouterId} must be an integer 1-255`);
  const priority = opts.priority ?? 100;
  if (!Number.isInteger(priority) || priority < 1 || priority > 254) problems.push(`priority: ${priority} must be an integer 1-254`);
  if (problems.length) throw new Error(`keepalived.conf: ${problems.join('; ')}`);
  const name = opts.instanceName ?? 'KUBE_API';
  return [
    '# Rendered by kprod: VRRP for the kube-apiserver endpoint VIP.',
    'global_defs {',
    `    router_id ${name}`,
    // Scripts run as root but only from root-owned, non-world-writable paths.
    '    enable_script_security',
    '    script_user root',
    '    vrrp_garp_master_refresh 60',
    '}',
    '',
    'vrrp_script check_apiserver {',
    `    script "${opts.checkScriptPath ?? CHECK_APISERVER_PATH}"`,
    `    interval ${opts.checkIntervalSeconds ?? 3}`,
    `    timeout ${opts.checkTimeoutSeconds ?? 5}`,
    `    fall ${opts.checkFall ?? 3}`,
    `    rise ${opts.checkRise ?? 2}`,
    '}',
    '',
    `vrrp_instance ${name} {`,
    '    state BACKUP',
    '    nopreempt',
    `    interface ${opts.interface}`,
    `    virtual_router_id ${opts.virtualRouterId}`,
    `    priority ${priority}`,
    `    advert_int ${opts.advertIntSeconds ?? 1}`,
    '    unicast_peer {',
    ...opts.unicastPeers.map((p) => `        ${p}`),
    '    }',
    '    virtual_ipaddress {',
    `        ${opts.vip}/${opts.vipPrefixLength ?? 32} dev ${opts.interface}`,
    '    }',
    '    track_script {',
    '        check_apiserver',
    '    }',
    '}',
    '',
  ].join('\n');
}
