import { RE2JS } from 're2js';
import {
  containerdMonitor,
  healthCheckerMonitor,
  JOURNAL_DIR,
  kernelMonitor,
  renderNpdConfig,
  RESTART_PATTERNS,
  systemdMonitor,
  type NpdSystemLogMonitor,
} from '../../../lib/render/npd';

/** NPD's log buffer match: Go regexp `pattern + "\z"` searched in the latest line. */
const npdMatches = (pattern: string, line: string) => RE2JS.compile(`${pattern}\\z`).matcher(line).find();
const reasonsFor = (m: NpdSystemLogMonitor, line: string) => m.rules.filter((r) => npdMatches(r.pattern, line)).map((r) => `${r.type}:${r.reason}`);

describe('NPD monitors', () => {
  const kernel = kernelMonitor();

  it('compiles every built-in pattern with RE2 (Go regexp) semantics', () => {
    const all = [kernel, containerdMonitor(), systemdMonitor()].flatMap((m) => m.rules.map((r) => r.pattern));
    all.push(...Object.values(RESTART_PATTERNS));
    for (const p of all) expect(() => RE2JS.compile(`${p}\\z`)).not.toThrow();
    // A lookahead is not RE2: the test harness itself must reject it.
    expect(() => RE2JS.compile('(?=x)')).toThrow();
  });

  it.each([
    ['INFO: task docker:20744 blocked for more than 120 seconds.', ['temporary:TaskHung', 'permanent:ContainerRuntimeTaskHung']],
    ['kernel: INFO: task docker:20744 blocked for more than 120 seconds.', ['temporary:TaskHung', 'permanent:ContainerRuntimeTaskHung']],
    ['INFO: task containerd-shim-runc-v2:3318 blocked for more than 241 seconds.', ['temporary:TaskHung', 'permanent:ContainerRuntimeTaskHung']],
    ['INFO: task jbd2/sda1-8:312 blocked for more than 120 seconds.', ['temporary:TaskHung']],
    ['EXT4-fs (sda1): Remounting filesystem read-only', ['permanent:FilesystemIsReadOnly']],
    [
      'Out of memory: Killed process 4312 (java) total-vm:8418672kB, anon-rss:4012312kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:8384kB oom_score_adj:936',
      ['temporary:OOMKilling'],
    ],
    ['BUG: unable to handle kernel NULL pointer dereference at 0000000000000010', ['temporary:KernelOops']],
    ['BUG: unable to handle page fault for address: ffffb6a1c0203000', ['temporary:KernelOops']],
    ['divide error: 0000 [#1] SMP PTI', ['temporary:KernelOops']],
    ['EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0', ['temporary:Ext4Error']],
  ])('kernel line %j → %j', (line, expected) => {
    expect(reasonsFor(kernel, line).sort()).toEqual([...expected].sort());
  });

  it.each([
    'INFO: task docker:20744 blocked for more than 120 seconds. Tainted',
    'EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null)',
    'Memory cgroup out of memory: Killed process 12 (sh)',
    'e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex',
    'BUG: soft lockup - CPU#3 stuck for 22s!',
  ])('kernel line %j matches nothing', (line) => {
    expect(reasonsFor(kernel, line)).toEqual([]);
  });

  it('recognises containerd errors but not its info lines', () => {
    const m = containerdMonitor();
    expect(m.plugin).toBe('journald');
    expect(m.pluginConfig).toEqual({ source: 'containerd' });
    expect(m.logPath).toBe(JOURNAL_DIR);
    expect(
      reasonsFor(m, 'time="2024-05-02T10:11:12.123456789Z" level=error msg="StopPodSandbox for \\"abc\\" failed" error="context deadline exceeded"'),
    ).toEqual(['temporary:ContainerdTimeout']);
    expect(reasonsFor(m, 'time="2024-05-02T10:11:12Z" level=error msg="failed to delete shim" error="ttrpc: closed" id=abc')).toEqual([
      'temporary:ContainerdShimFailed',
    ]);
    expect(reasonsFor(m, 'time="2024-05-02T10:11:12Z" level=error msg="failed to extract layer" error="write /var/lib/containerd/x: no space left on device"')).toEqual([
      'temporary:ContainerdDiskFull',
    ]);
    expect(reasonsFor(m, 'time="2024-05-02T10:11:12Z" level=info msg="StartContainer for \\"abc\\" returns successfully"')).toEqual([]);
    expect(reasonsFor(m, 'time="2024-05-02T10:11:12Z" level=info msg="retrying after timeout"')).toEqual([]);
  });

  it('counts kubelet and containerd starts in both systemd message styles', () => {
    const kubelet = RESTART_PATTERNS.kubelet;
    expect(npdMatches(kubelet, 'Started kubelet.service - kubelet: The Kubernetes Node Agent.')).toBe(true);
    expect(npdMatches(kubelet, 'Started kubelet: The Kubernetes Node Agent.')).toBe(true);
    expect(npdMatches(kubelet, 'Stopped kubelet.service - kubelet: The Kubernetes Node Agent.')).toBe(false);
    expect(npdMatches(kubelet, 'Started containerd.service - containerd container runtime.')).toBe(false);
    expect(npdMatches(RESTART_PATTERNS.containerd, 'Started containerd.service - containerd container runtime.')).toBe(true);
    expect(npdMatches(RESTART_PATTERNS.containerd, 'Started containerd container runtime.')).toBe(true);
    expect(npdMatches(RESTART_PATTERNS.containerd, 'Starting containerd.service - containerd container runtime...')).toBe(false);
    const systemd = systemdMonitor();
    expect(reasonsFor(systemd, 'kubelet.service: Main process exited, code=exited, status=1/FAILURE')).toEqual(['temporary:KubeletFailed']);
    expect(reasonsFor(systemd, 'containerd.service: Failed with result \'exit-code\'.')).toEqual(['temporary:ContainerdFailed']);
  });

  it('uses health-checker flags that exist upstream, with repair disabled', () => {
    const hc = healthCheckerMonitor();
    const byCondition = Object.fromEntries(hc.rules.map((r) => [r.condition, r.args ?? []]));
    expect(byCondition.KubeletUnhealthy).toEqual(expect.arrayContaining(['--component=kubelet', '--enable-repair=false']));
    expect(byCondition.ContainerRuntimeUnhealthy).toEqual(expect.arrayContaining(['--component=cri', '--enable-repair=false', '--cri-socket-path=unix:///run/containerd/containerd.sock']));
    expect(hc.rules.every((r) => r.path === '/home/kubernetes/bin/health-checker')).toBe(true);
  });
});

describe('renderNpdConfig', () => {
  it('produces valid monitor JSON with consistent conditions, no docker monitor', () => {
    const cfg = renderNpdConfig();
    const json = Object.entries(cfg.files).filter(([f]) => f.endsWith('.json'));
    expect(json.map(([f]) => f)).not.toContain('docker-monitor.json');
    expect(Object.keys(cfg.files)).not.toContain('custom-check.sh');
    for (const [file, text] of json) {
      const m = JSON.parse(text);
      expect(['kmsg', 'journald', 'custom']).toContain(m.plugin);
      expect(typeof m.source).toBe('string');
      expect(Array.isArray(m.rules) && m.rules.length > 0).toBe(true);
      const conditions = new Set(m.conditions.map((c: any) => c.type));
      for (const c of m.conditions) expect(Object.keys(c).sort()).toEqual(['message', 'reason', 'type']);
      for (const r of m.rules) {
        expect(['temporary', 'permanent']).toContain(r.type);
        if (r.type === 'permanent') expect(conditions.has(r.condition)).toBe(true);
        if (m.plugin === 'custom') expect(cfg.files[r.path.replace('/config/', '')] ?? r.path.startsWith('/home/kubernetes/bin/')).toBeTruthy();
        else expect(typeof r.pattern).toBe('string');
      }
      if (m.plugin === 'journald') expect(m.pluginConfig.source).toBeTruthy();
      if (m.plugin === 'custom') expect(m.pluginConfig.invoke_interval).toMatch(/^\d+[smh]$/);
      const listed = m.plugin === 'custom' ? cfg.customPluginMonitors : cfg.systemLogMonitors;
      expect(listed).toContain(`/config/${file}`);
    }
  });

  it('adds the user check script and user monitors', () => {
    const cfg = renderNpdConfig({
      customCheckScript: 'test -e /etc/ok',
      customMonitors: [
        {
          name: 'gpu',
          plugin: 'kmsg',
          lookback: '10m',
          conditions: [{ type: 'GpuXidError', reason: 'NoGpuXidError', message: 'no Xid error' }],
          rules: [{ type: 'permanent', condition: 'GpuXidError', reason: 'NvidiaXid79', pattern: 'NVRM: Xid \\(PCI:[0-9a-f:.]+\\): 79,.*' }],
        },
      ],
    });
    expect(cfg.files['custom-check.sh']).toBe('test -e /etc/ok\n');
    expect(cfg.customPluginMonitors).toContain('/config/custom-check-monitor.json');
    const check = JSON.parse(cfg.files['custom-check-monitor.json']);
    expect(check.rules[0]).toMatchObject({ path: '/config/host-script', args: ['/config/custom-check.sh'], condition: 'CustomCheckFailed' });
    const gpu = JSON.parse(cfg.files['custom-gpu.json']);
    expect(gpu).toMatchObject({ plugin: 'kmsg', logPath: '/dev/kmsg', lookback: '10m', source: 'gpu' });
    expect(npdMatches(gpu.rules[0].pattern, 'NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, GPU has fallen off the bus.')).toBe(true);
  });

  it('start script links the persistent journal when present, else the volatile one', () => {
    const start = renderNpdConfig().files['start.sh'];
    expect(start).toContain(`ln -sfn /var/log/journal ${JOURNAL_DIR}`);
    expect(start).toContain(`ln -sfn /run/log/journal ${JOURNAL_DIR}`);
    expect(start).toMatch(/exec \/node-problem-detector "\$@"/);
  });
});
