/**
 * node-problem-detector (NPD) monitor configuration, rendered from typed data.
 *
 * Written for nodes that run containerd and journald (no docker, journald possibly volatile):
 * - kernel problems come from `/dev/kmsg` (always there, no journald needed);
 * - containerd problems and systemd restarts come from the journal, read through
 *   {@link JOURNAL_DIR}, a link the start script points at `/var/log/journal` when the host
 *   keeps a persistent journal and at `/run/log/journal` otherwise (NPD issues 663 and 795:
 *   a hard-coded journal path breaks volatile-journal nodes);
 * - frequent restarts are counted by NPD's own `log-counter` custom plugin, which the official
 *   image ships at `/home/kubernetes/bin/log-counter` (built with ENABLE_JOURNALD=1, the Makefile
 *   default; the Dockerfile copies it next to `health-checker`);
 * - kubelet and containerd health come from NPD's `health-checker` with repair disabled: kprod
 *   reports, Cluster API's MachineHealthCheck remediates.
 * NPD keeps running when one monitor fails to start (it only exits when every monitor fails),
 * so a node without a journal still gets the kernel monitor.
 *
 * NPD matches a rule when `pattern + "\z"` (Go regexp) matches the tail of its log buffer:
 * patterns are unanchored at the start and must run to the end of the line.
 */

/** A user-added system log monitor as the spec holds it (`addons.nodeProblemDetector.customMonitors[]`). */
export interface NpdUserMonitor {
  readonly name: string;
  readonly plugin: 'kmsg' | 'journald';
  readonly journaldSource?: string;
  readonly lookback: string;
  readonly conditions: ReadonlyArray<Readonly<NpdCondition>>;
  readonly rules: ReadonlyArray<Readonly<NpdLogRule>>;
}

/** Where the ConfigMap is mounted in the NPD container. */
export const NPD_CONFIG_DIR = '/config';
/** Link to the host journal directory, created by the start script. */
export const JOURNAL_DIR = '/run/kprod-npd/journal';
/** Binaries of the official NPD image. */
export const NPD_BIN = { npd: '/node-problem-detector', logCounter: '/home/kubernetes/bin/log-counter', healthChecker: '/home/kubernetes/bin/health-checker' };
/** containerd's CRI socket as the health checker (crictl) dials it. */
export const CONTAINERD_SOCKET = 'unix:///run/containerd/containerd.sock';

export interface NpdCondition {
  /** Node condition type, e.g. `KernelDeadlock`. */
  type: string;
  /** Reason while the condition is false (healthy). */
  reason: string;
  /** Message while the condition is false (healthy). */
  message: string;
}

export interface NpdLogRule {
  type: 'temporary' | 'permanent';
  /** Condition a permanent rule sets to true. */
  condition?: string;
  reason: string;
  /** Go regexp; must match to the end of the log line. */
  pattern: string;
}

/** NPD's system log monitor config (`--config.system-log-monitor`). */
export interface NpdSystemLogMonitor {
  plugin: 'kmsg' | 'journald';
  /** journald: `source` is the SYSLOG_IDENTIFIER to follow. */
  pluginConfig?: { source: string };
  logPath: string;
  lookback: string;
  bufferSize: number;
  /** Name NPD reports as the event/condition source. */
  source: string;
  metricsReporting?: boolean;
  conditions: NpdCondition[];
  rules: NpdLogRule[];
}

export interface NpdPluginRule {
  type: 'temporary' | 'permanent';
  condition?: string;
  reason: string;
  /** Executable; exit 0 = ok, 1 = problem, anything else = unknown. */
  path: string;
  args?: string[];
  timeout: string;
}

/** NPD's custom plugin monitor config (`--config.custom-plugin-monitor`). */
export interface NpdCustomPluginMonitor {
  plugin: 'custom';
  pluginConfig: { invoke_interval: string; timeout: string; max_output_length: number; concurrency: number };
  source: string;
  metricsReporting?: boolean;
  conditions: NpdCondition[];
  rules: NpdPluginRule[];
}

const journald = (identifier: string, source: string, conditions: NpdCondition[], rules: NpdLogRule[]): NpdSystemLogMonitor => ({
  plugin: 'journald',
  pluginConfig: { source: identifier },
  logPath: JOURNAL_DIR,
  lookback: '5m',
  bufferSize: 10,
  source,
  metricsReporting: true,
  conditions,
  rules,
});

/** Processes whose hung task means the node can no longer run containers. */
const RUNTIME_TASKS = '(containerd|containerd-shim[-\\w]*|runc|kubelet|dockerd|docker)';

/** Kernel problems read from /dev/kmsg (lines arrive without the `kernel: ` syslog prefix). */
export function kernelMonitor(): NpdSystemLogMonitor {
  return {
    plugin: 'kmsg',
    logPath: '/dev/kmsg',
    lookback: '5m',
    bufferSize: 10,
    source: 'kernel-monitor',
    metricsReporting: true,
    conditions: [
      { type: 'KernelDeadlock', reason: 'KernelHasNoDeadlock', message: 'kernel has no deadlock' },
      { type: 'ReadonlyFilesystem', reason: 'FilesystemIsNotReadOnly', message: 'filesystem is not read-only' },
    ],
    rules: [
      { type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process \\d+ \\(.+\\) total-vm:\\d+kB, anon-rss:\\d+kB, file-rss:\\d+kB.*' },
      { type: 'temporary', reason: 'TaskHung', pattern: 'task [\\S ]+:\\d+ blocked for more than \\d+ seconds\\.' },
      { type: 'temporary', reason: 'KernelOops', pattern: 'BUG: (unable to handle kernel|unable to handle page fault|kernel NULL pointer dereference).*' },
      { type: 'temporary', reason: 'KernelOops', pattern: 'divide error: 0000 \\[#\\d+\\].*' },
      { type: 'temporary', reason: 'Ext4Error', pattern: 'EXT4-fs error .*' },
      { type: 'temporary', reason: 'IOError', pattern: '(blk_update_request|I/O error), dev \\w+, sector \\d+.*' },
      { type: 'permanent', condition: 'KernelDeadlock', reason: 'ContainerRuntimeTaskHung', pattern: `task ${RUNTIME_TASKS}:\\d+ blocked for more than \\d+ seconds\\.` },
      { type: 'permanent', condition: 'ReadonlyFilesystem', reason: 'FilesystemIsReadOnly', pattern: 'Remounting filesystem read-only' },
    ],
  };
}

/** containerd errors from its journal (logrus lines: `level=error msg="..."`). */
export function containerdMonitor(): NpdSystemLogMonitor {
  return journald('containerd', 'containerd-monitor', [], [
    { type: 'temporary', reason: 'ContainerdTimeout', pattern: '.*level=error .*(context deadline exceeded|timeout|timed out).*' },
    { type: 'temporary', reason: 'ContainerdShimFailed', pattern: '.*level=error msg="failed to (start|delete|kill|cleanup|create) (shim|task|container).*' },
    { type: 'temporary', reason: 'ContainerdDiskFull', pattern: '.*level=error .*no space left on device.*' },
    { type: 'temporary', reason: 'ContainerdPullFailed', pattern: '.*level=error msg="PullImage .* failed.*' },
  ]);
}

/** systemd journal (SYSLOG_IDENTIFIER `systemd`): units that died. */
export function systemdMonitor(): NpdSystemLogMonitor {
  return journald('systemd', 'systemd-monitor', [], [
    { type: 'temporary', reason: 'KubeletFailed', pattern: 'kubelet\\.service: (Main process exited, code=\\w+, status=.*|Failed with result .*)' },
    { type: 'temporary', reason: 'ContainerdFailed', pattern: 'containerd\\.service: (Main process exited, code=\\w+, status=.*|Failed with result .*)' },
  ]);
}

/** A custom plugin monitor running one check at a time, reporting metrics. */
const customPlugin = (
  source: string,
  check: { interval: string; timeout: string; maxOutput: number },
  conditions: NpdCondition[],
  rules: NpdPluginRule[],
): NpdCustomPluginMonitor => ({
  plugin: 'custom',
  pluginConfig: { invoke_interval: check.interval, timeout: check.timeout, max_output_length: check.maxOutput, concurrency: 1 },
  source,
  metricsReporting: true,
  conditions,
  rules,
});

/** Start messages systemd writes for a unit, old (`Started <Description>.`) and new (`Started <unit> - <Description>.`) style. */
export const RESTART_PATTERNS = {
  kubelet: 'Started (kubelet\\.service( - .*)?|kubelet: The Kubernetes Node Agent|Kubernetes kubelet)\\.',
  containerd: 'Started (containerd\\.service( - .*)?|containerd container runtime)\\.',
} as const;

/** Frequent kubelet/containerd restarts, counted by NPD's log-counter over the journal. */
export function restartCounterMonitor(threshold = 5, window = '20m'): NpdCustomPluginMonitor {
  const counter = (unit: keyof typeof RESTART_PATTERNS, condition: string): NpdPluginRule => ({
    type: 'permanent',
    condition,
    reason: condition,
    path: NPD_BIN.logCounter,
    args: ['--journald-source=systemd', `--log-path=${JOURNAL_DIR}`, `--lookback=${window}`, '--delay=5m', `--count=${threshold}`, `--pattern=${RESTART_PATTERNS[unit]}`],
    timeout: '1m',
  });
  return customPlugin(
    'restart-counter',
    { interval: '5m', timeout: '1m', maxOutput: 80 },
    [
      { type: 'FrequentKubeletRestart', reason: 'NoFrequentKubeletRestart', message: 'kubelet is functioning properly' },
      { type: 'FrequentContainerdRestart', reason: 'NoFrequentContainerdRestart', message: 'containerd is functioning properly' },
    ],
    [counter('kubelet', 'FrequentKubeletRestart'), counter('containerd', 'FrequentContainerdRestart')],
  );
}

/** kubelet (`:10248/healthz`, needs hostNetwork) and containerd (crictl through the host) health, repair off. */
export function healthCheckerMonitor(): NpdCustomPluginMonitor {
  return customPlugin(
    'health-checker',
    { interval: '30s', timeout: '1m', maxOutput: 80 },
    [
      { type: 'KubeletUnhealthy', reason: 'KubeletIsHealthy', message: 'kubelet on the node is functioning properly' },
      { type: 'ContainerRuntimeUnhealthy', reason: 'ContainerRuntimeIsHealthy', message: 'container runtime on the node is functioning properly' },
    ],
    [
      {
        type: 'permanent',
        condition: 'KubeletUnhealthy',
        reason: 'KubeletUnhealthy',
        path: NPD_BIN.healthChecker,
        args: ['--component=kubelet', '--enable-repair=false', '--health-check-timeout=10s'],
        timeout: '15s',
      },
      {
        type: 'permanent',
        condition: 'ContainerRuntimeUnhealthy',
        reason: 'ContainerRuntimeUnhealthy',
        path: NPD_BIN.healthChecker,
        args: [
          '--component=cri',
          '--enable-repair=false',
          `--crictl-path=${NPD_CONFIG_DIR}/crictl`,
          `--cri-socket-path=${CONTAINERD_SOCKET}`,
          '--cri-timeout=10s',
          '--health-check-timeout=20s',
        ],
        timeout: '30s',
      },
    ],
  );
}

const scriptMonitor = (source: string, condition: NpdCondition, problemReason: string, script: string, interval: string): NpdCustomPluginMonitor =>
  customPlugin(source, { interval, timeout: '30s', maxOutput: 200 }, [condition], [
    { type: 'permanent', condition: condition.type, reason: problemReason, path: `${NPD_CONFIG_DIR}/host-script`, args: [`${NPD_CONFIG_DIR}/${script}`], timeout: '25s' },
  ]);

/** Clock synchronisation (systemd-timesyncd or chrony), checked on the host. */
export function timeSyncMonitor(): NpdCustomPluginMonitor {
  return scriptMonitor(
    'time-sync-monitor',
    { type: 'TimeNotSynchronized', reason: 'TimeIsSynchronized', message: 'system clock is synchronized' },
    'TimeNotSynchronized',
    'check-time-sync.sh',
    '5m',
  );
}

/** The user's check from `addons.nodeProblemDetector.customCheckScript`, run on the host. */
export function customCheckMonitor(): NpdCustomPluginMonitor {
  return scriptMonitor('custom-check', { type: 'CustomCheckFailed', reason: 'CustomCheckPassed', message: 'custom node check passed' }, 'CustomCheckFailed', 'custom-check.sh', '5m');
}

/** A user-added system log monitor from the spec. */
export function userMonitor(m: NpdUserMonitor): NpdSystemLogMonitor {
  const base = {
    lookback: m.lookback,
    bufferSize: 10,
    source: m.name,
    metricsReporting: true,
    conditions: m.conditions.map((c) => ({ ...c })),
    rules: m.rules.map((r) => ({ ...r })),
  };
  return m.plugin === 'kmsg'
    ? { plugin: 'kmsg', logPath: '/dev/kmsg', ...base }
    : { plugin: 'journald', pluginConfig: { source: m.journaldSource ?? m.name }, logPath: JOURNAL_DIR, ...base };
}

/** Shell helpers mounted with the monitors (mode 0555). */
export const NPD_SCRIPTS = {
  /** Runs a command in the host's namespaces (needs hostPID and privileged). */
  'host-exec': '#!/bin/bash\nexec nsenter --target 1 --mount --uts --ipc --net --pid -- "$@"\n',
  /** Runs a script file from this container on the host, fed on stdin. */
  'host-script': `#!/bin/bash\nexec ${NPD_CONFIG_DIR}/host-exec /bin/sh -s < "$1"\n`,
  /** crictl of the host, for health-checker --component=cri. */
  crictl: `#!/bin/bash\nexec ${NPD_CONFIG_DIR}/host-exec crictl "$@"\n`,
  /** NPD custom plugin exit codes: 0 ok, 1 problem, 2 unknown. */
  'check-time-sync.sh': [
    '#!/bin/sh',
    'if command -v timedatectl >/dev/null 2>&1; then',
    '  synced=$(timedatectl show -p NTPSynchronized --value 2>/dev/null)',
    '  if [ "$synced" = yes ]; then echo "clock synchronized"; exit 0; fi',
    'fi',
    'if command -v chronyc >/dev/null 2>&1; then',
    '  if chronyc -n tracking 2>/dev/null | grep -Eq "^Leap status +: Normal"; then echo "chrony synchronized"; exit 0; fi',
    '  echo "chrony not synchronized"; exit 1',
    'fi',
    'if [ "$synced" = no ]; then echo "NTPSynchronized=no"; exit 1; fi',
    'echo "neither timedatectl nor chronyc available"; exit 2',
    '',
  ].join('\n'),
} as const;

export interface NpdConfigOptions {
  /** User check script (runs on the host; exit 0 ok, 1 problem). @default none */
  customCheckScript?: string;
  /** User system log monitors. @default [] */
  customMonitors?: readonly NpdUserMonitor[];
}

export interface NpdConfig {
  /** ConfigMap data: monitor JSON files and scripts, by file name. */
  files: Record<string, string>;
  /** Paths for `--config.system-log-monitor`. */
  systemLogMonitors: string[];
  /** Paths for `--config.custom-plugin-monitor`. */
  customPluginMonitors: string[];
}

/** kprod's NPD monitors as data, by file name: system log monitors and custom plugin monitors. */
export function npdMonitors(options: NpdConfigOptions = {}): { logMonitors: Record<string, NpdSystemLogMonitor>; pluginMonitors: Record<string, NpdCustomPluginMonitor> } {
  const logMonitors: Record<string, NpdSystemLogMonitor> = {
    'kernel-monitor.json': kernelMonitor(),
    'containerd-monitor.json': containerdMonitor(),
    'systemd-monitor.json': systemdMonitor(),
  };
  for (const m of options.customMonitors ?? []) logMonitors[`custom-${m.name}.json`] = userMonitor(m);
  const pluginMonitors: Record<string, NpdCustomPluginMonitor> = {
    'restart-counter.json': restartCounterMonitor(),
    'health-checker.json': healthCheckerMonitor(),
    'time-sync-monitor.json': timeSyncMonitor(),
  };
  if (options.customCheckScript) pluginMonitors['custom-check-monitor.json'] = customCheckMonitor();
  return { logMonitors, pluginMonitors };
}

/** The node conditions the monitors report (each type once, sorted). */
export function npdConditionTypes(options: NpdConfigOptions = {}): string[] {
  const { logMonitors, pluginMonitors } = npdMonitors(options);
  const types = new Set<string>();
  for (const m of [...Object.values(logMonitors), ...Object.values(pluginMonitors)]) for (const c of m.conditions) types.add(c.type);
  return [...types].sort();
}

/** Every monitor file and script of kprod's NPD, plus the flag values that load them. */
export function renderNpdConfig(options: NpdConfigOptions = {}): NpdConfig {
  const { logMonitors, pluginMonitors } = npdMonitors(options);
  const files: Record<string, string> = { ...NPD_SCRIPTS, 'start.sh': startScript() };
  if (options.customCheckScript) {
    files['custom-check.sh'] = options.customCheckScript.endsWith('\n') ? options.customCheckScript : `${options.customCheckScript}\n`;
  }
  for (const [name, m] of [...Object.entries(logMonitors), ...Object.entries(pluginMonitors)]) files[name] = `${JSON.stringify(m, null, 2)}\n`;
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    files: sorted,
    systemLogMonitors: Object.keys(logMonitors).map((f) => `${NPD_CONFIG_DIR}/${f}`),
    customPluginMonitors: Object.keys(pluginMonitors).map((f) => `${NPD_CONFIG_DIR}/${f}`),
  };
}

/** Picks the host journal that has data, then execs NPD with the given flags. */
function startScript(): string {
  return [
    '#!/bin/bash',
    'set -eu',
    '# Persistent journal when /var/log/journal holds a machine-id folder, else the volatile one.',
    `mkdir -p "$(dirname ${JOURNAL_DIR})"`,
    'if compgen -G "/var/log/journal/*/*.journal" >/dev/null; then',
    `  ln -sfn /var/log/journal ${JOURNAL_DIR}`,
    'else',
    `  ln -sfn /run/log/journal ${JOURNAL_DIR}`,
    'fi',
    `exec ${NPD_BIN.npd} "$@"`,
    '',
  ].join('\n');
}
