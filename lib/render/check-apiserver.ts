/**
 * /etc/keepalived/check_apiserver.sh: the vrrp_script keepalived runs. It fails (exit 1) when
 * the local kube-apiserver is not healthy, and, on the machine holding the VIP, when the
 * endpoint (HAProxy on VIP:port) does not answer. keepalived then moves the VIP away.
 */
import { APISERVER_PORT } from './haproxy';

export const CHECK_APISERVER_PATH = '/etc/keepalived/check_apiserver.sh';

export interface CheckApiserverOptions {
  readonly vip: string;
  /** The endpoint port HAProxy listens on. */
  readonly port: number;
  /** Port of the local apiserver. @default 6443 */
  readonly apiserverPort?: number;
  /** Host of the local apiserver. @default "localhost" */
  readonly apiserverHost?: string;
  /** Timeout of each probe, seconds. @default 2 */
  readonly timeoutSeconds?: number;
}

/** Renders the POSIX sh check script (keepalived runs it on the host; curl is on the node image). */
export function renderCheckApiserver(opts: CheckApiserverOptions): string {
  const t = opts.timeoutSeconds ?? 2;
  const local = `https://${opts.apiserverHost ?? 'localhost'}:${opts.apiserverPort ?? APISERVER_PORT}/healthz`;
  return [
    '#!/bin/sh',
    '# Rendered by kprod: health of the local apiserver and, where the VIP lives, of the endpoint.',
    'fail() { echo "check_apiserver: $*" >&2; exit 1; }',
    '',
    // -k: the check decides liveness only; the apiserver serving cert is verified by real clients.
    `curl -sfk --max-time ${t} -o /dev/null "${local}" || fail "local apiserver ${local} unhealthy"`,
    `if ip -4 -o addr show | grep -qF " ${opts.vip}/"; then`,
    `  curl -sfk --max-time ${t} -o /dev/null "https://${opts.vip}:${opts.port}/healthz" || fail "endpoint https://${opts.vip}:${opts.port} unhealthy"`,
    'fi',
    'exit 0',
    '',
  ].join('\n');
}
