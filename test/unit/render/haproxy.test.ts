import { renderHaproxyConfig } from '../../../lib/render/haproxy';

/** Lines of a section (`frontend x`, `backend y`, `defaults`) without indentation. */
function section(cfg: string, header: string): string[] {
  const lines = cfg.split('\n');
  const start = lines.indexOf(header);
  expect(start).toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith(' ')) break;
    out.push(l.trim());
  }
  return out;
}

describe('renderHaproxyConfig', () => {
  const backends = [
    { name: 'cp-1', address: '10.0.0.11' },
    { name: 'cp-2', address: '10.0.0.12' },
    { name: 'cp-3', address: '10.0.0.13', port: 7443 },
  ];

  it('binds the endpoint port in TCP mode and balances to every apiserver with a TLS /healthz check', () => {
    const cfg = renderHaproxyConfig({ port: 8443, backends });
    expect(section(cfg, 'frontend kube-apiserver')).toContain('bind *:8443');
    const backend = section(cfg, 'backend kube-apiserver');
    expect(backend).toEqual(
      expect.arrayContaining([
        'option httpchk',
        'http-check send meth GET uri /healthz',
        'server cp-1 10.0.0.11:6443 check check-ssl verify none',
        'server cp-2 10.0.0.12:6443 check check-ssl verify none',
        'server cp-3 10.0.0.13:7443 check check-ssl verify none',
      ]),
    );
    expect(backend.filter((l) => l.startsWith('server '))).toHaveLength(3);
    expect(section(cfg, 'defaults')).toContain('mode tcp');
  });

  it('uses check timings and idle timeouts that outlive watches', () => {
    const cfg = renderHaproxyConfig({ port: 9443, backends, checkIntervalMs: 500, fall: 2, rise: 1, bindAddress: '127.0.0.1' });
    expect(section(cfg, 'frontend kube-apiserver')).toContain('bind 127.0.0.1:9443');
    const ds = section(cfg, 'backend kube-apiserver').find((l) => l.startsWith('default-server'));
    expect(ds).toMatch(/inter 500ms fall 2 rise 1/);
    const timeout = (name: string) => Number(/(\d+)s$/.exec(section(cfg, 'defaults').find((l) => l.startsWith(`timeout ${name} `))!)![1]);
    expect(timeout('client')).toBeGreaterThan(3600);
    expect(timeout('server')).toBeGreaterThan(3600);
  });

  it('rejects every problem at once: bad port, bad and duplicate names', () => {
    expect(() => renderHaproxyConfig({ port: 70000, backends: [{ name: 'a b', address: '1.1.1.1' }, { name: 'x', address: '1.1.1.2' }, { name: 'x', address: '1.1.1.3' }] })).toThrow(
      /port: 70000.*backends\[0\]\.name: "a b".*backends\[2\]\.name: "x" is used twice/,
    );
    expect(() => renderHaproxyConfig({ port: 8443, backends: [] })).toThrow(/backends: empty/);
  });
});
