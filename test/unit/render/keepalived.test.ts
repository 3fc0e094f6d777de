import { renderCheckApiserver } from '../../../lib/render/check-apiserver';
import { renderKeepalivedConfig } from '../../../lib/render/keepalived';

/** The lines inside the first `name {` block (nested blocks flattened), trimmed. */
function block(cfg: string, name: string): string[] {
  const lines = cfg.split('\n').map((l) => l.trim());
  const start = lines.indexOf(`${name} {`);
  expect(start).toBeGreaterThanOrEqual(0);
  let depth = 1;
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.endsWith('{')) depth++;
    if (l === '}') depth--;
    if (depth === 0) break;
    out.push(l);
  }
  return out;
}

describe('renderKeepalivedConfig', () => {
  const cfg = renderKeepalivedConfig({ vip: '10.0.0.10', interface: 'ens3', virtualRouterId: 77, unicastPeers: ['10.0.0.11', '10.0.0.12'], checkIntervalSeconds: 4 });

  it('holds the VIP on the interface with the router id, by unicast, without preemption', () => {
    const inst = block(cfg, 'vrrp_instance KUBE_API');
    expect(inst).toEqual(expect.arrayContaining(['interface ens3', 'virtual_router_id 77', 'state BACKUP', 'nopreempt', '10.0.0.10/32 dev ens3']));
    expect(block(cfg, 'unicast_peer')).toEqual(['10.0.0.11', '10.0.0.12']);
    expect(block(cfg, 'track_script')).toEqual(['check_apiserver']);
  });

  it('runs the check script at the interval, without a weight (failure means FAULT)', () => {
    const script = block(cfg, 'vrrp_script check_apiserver');
    expect(script).toEqual(expect.arrayContaining(['script "/etc/keepalived/check_apiserver.sh"', 'interval 4', 'fall 3', 'rise 2']));
    expect(script.some((l) => l.startsWith('weight'))).toBe(false);
  });

  it('carries no VRRP password', () => {
    expect(cfg).not.toMatch(/auth_pass|authentication/);
  });

  it('rejects an out-of-range router id and priority', () => {
    expect(() => renderKeepalivedConfig({ vip: '10.0.0.10', interface: 'eth0', virtualRouterId: 256, priority: 0, unicastPeers: [] })).toThrow(
      /virtualRouterId: 256.*priority: 0/,
    );
  });
});

describe('renderCheckApiserver', () => {
  it('checks the local apiserver /healthz and the VIP endpoint only where the VIP lives', () => {
    const script = renderCheckApiserver({ vip: '10.0.0.10', port: 8443 });
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain('https://localhost:6443/healthz');
    const vipCheck = script.split('\n').findIndex((l) => l.includes('https://10.0.0.10:8443/healthz'));
    const guard = script.split('\n').findIndex((l) => l.includes('grep -qF " 10.0.0.10/"'));
    expect(guard).toBeGreaterThanOrEqual(0);
    expect(vipCheck).toBeGreaterThan(guard);
  });
});
