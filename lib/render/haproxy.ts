/**
 * haproxy.cfg for the API endpoint in keepalived-haproxy mode: a TCP frontend on the endpoint
 * port balancing to every control-plane machine's kube-apiserver on 6443, health-checked with
 * `GET /healthz` over TLS (the apiserver certificate is not verified by the check: it only
 * decides liveness; clients still verify the apiserver end to end through the TCP tunnel).
 */

/** Port kube-apiserver listens on (kubeadm default `bindPort`). */
export const APISERVER_PORT = 6443;
/** Where the static pod reads the config from the host. */
export const HAPROXY_CONFIG_PATH = '/etc/haproxy/haproxy.cfg';

export interface HaproxyBackend {
  /** Server name in the backend section (letters, digits, `-`, `_`, `.`). */
  readonly name: string;
  /** IPv4 address (or resolvable name) of the apiserver. */
  readonly address: string;
  /** @default 6443 */
  readonly port?: number;
}

export interface HaproxyConfigOptions {
  /** Port of the frontend (the cluster's endpoint port). */
  readonly port: number;
  /** Address the frontend binds. @default "*" (all addresses, so the VIP works wherever keepalived puts it) */
  readonly bindAddress?: string;
  readonly backends: readonly HaproxyBackend[];
  /** Interval between health checks, ms. @default 2000 */
  readonly checkIntervalMs?: number;
  /** Failed checks before a server is marked down. @default 3 */
  readonly fall?: number;
  /** Passed checks before a server is marked up again. @default 2 */
  readonly rise?: number;
  /**
   * Idle timeout of client and server sides, seconds. Watches stay open for up to twice the
   * apiserver's `--min-request-timeout` (1800 s by default), so this must exceed 3600 s or HAProxy
   * would cut quiet watches before the apiserver ends them.
   * @default 14400 (4 h)
   */
  readonly idleTimeoutSeconds?: number;
  /** Global connection limit (HAProxy needs about 2 file descriptors per connection). @default 20000 */
  readonly maxConnections?: number;
}

const SERVER_NAME = /^[A-Za-z0-9_.-]+$/;

/** Renders haproxy.cfg; throws on an empty backend list, a duplicate or invalid server name, or a bad port. */
export function renderHaproxyConfig(opts: HaproxyConfigOptions): string {
  const inter = opts.checkIntervalMs ?? 2000;
  const fall = opts.fall ?? 3;
  const rise = opts.rise ?? 2;
  const idle = opts.idleTimeoutSeconds ?? 14400;
  const problems: string[] = [];
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) problems.push(`port: ${opts.port} is not a TCP port (1-65535)`);
  if (opts.backends.length === 0) problems.push('backends: empty; at least one apiserver is required');
  const seen = new Set<string>();
  opts.backends.forEach((b, i) => {
    if (!SERVER_NAME.test(b.name)) problems.push(`backends[${i}].name: "${b.name}" may only contain letters, digits, "-", "_" and "."`);
    if (seen.has(b.name)) problems.push(`backends[${i}].name: "${b.name}" is used twice`);
    seen.add(b.name);
  });
  if (problems.length) throw new Error(`haproxy.cfg: ${problems.join('; ')}`);

  const bind = `${opts.bindAddress ?? '*'}:${opts.port}`;
  const lines = [
    '# Rendered by kprod: kube-apiserver endpoint (keepalived-haproxy mode).',
    'global',
    '    log stdout format raw local0 info',
    `    maxconn ${opts.maxConnections ?? 20000}`,
    '',
    'defaults',
    '    mode tcp',
    '    log global',
    '    option tcplog',
    '    option dontlognull',
    // TCP keepalives keep idle watches alive through conntrack and firewalls.
    '    option clitcpka',
    '    option srvtcpka',
    // A refused connect is retried once more on another server instead of failing the client.
    '    retries 3',
    '    option redispatch 1',
    '    timeout connect 5s',
    `    timeout client ${idle}s`,
    `    timeout server ${idle}s`,
    '    timeout client-fin 10s',
    '    timeout server-fin 10s',
    '    timeout check 5s',
    '',
    'frontend kube-apiserver',
    `    bind ${bind}`,
    '    default_backend kube-apiserver',
    '',
    'backend kube-apiserver',
    // Least connections: watches are long-lived, round robin would pile them on old servers.
    '    balance leastconn',
    '    option httpchk',
    '    http-check send meth GET uri /healthz',
    '    http-check expect status 200',
    `    default-server inter ${inter}ms fall ${fall} rise ${rise} on-marked-down shutdown-sessions`,
    ...opts.backends.map((b) => `    server ${b.name} ${b.address}:${b.port ?? APISERVER_PORT} check check-ssl verify none`),
    '',
  ];
  return lines.join('\n');
}
