/**
 * Fluent Bit configuration (YAML format) rendered from typed data.
 *
 * Inputs: container logs (tail + the built-in `cri` multiline parser), the journal of
 * kubelet.service and containerd.service (systemd input, one per unit; without `path` it opens
 * both /var/log/journal and /run/log/journal, so volatile journals work), and the apiserver
 * audit log. One DaemonSet runs on every node: the audit file only exists on control-plane
 * machines, and tail of a missing file is a no-op, so no second DaemonSet is needed.
 * Every input buffers on the filesystem; the output caps the buffer (`storage.total_limit_size`)
 * and retries without limit, dropping the oldest chunks when the cap is reached.
 * Credentials appear only as `${FLUENT_USER}` / `${FLUENT_PASSWORD}`, environment variables
 * filled from a Secret reference.
 */
import { yamlText } from './yaml-text';
import { AUDIT_LOG_PATH } from './audit-policy';
import { customOutputSection, type CustomLogOutputSpec } from './fluent-bit-custom-output';

/** Host folder for the tail databases and the chunk buffer (survives pod restarts). */
export const FLUENT_BIT_STATE_DIR = '/var/fluent-bit/state';
/** Where the ConfigMap is mounted. */
export const FLUENT_BIT_CONFIG_DIR = '/fluent-bit/etc/kprod';
export const FLUENT_BIT_CONFIG_FILE = 'fluent-bit.yaml';
/** HTTP server port (health and metrics). */
export const FLUENT_BIT_HTTP_PORT = 2020;
/** Environment variables the credentials are read from. */
export const CREDENTIAL_ENV = { username: 'FLUENT_USER', password: 'FLUENT_PASSWORD' } as const;

/** A Fluent Bit plugin section: `name` plus its properties. */
export type FluentBitSection = { name: string } & Record<string, string | number>;

export interface FluentBitConfig {
  service: Record<string, string | number>;
  pipeline: { inputs: FluentBitSection[]; filters: FluentBitSection[]; outputs: FluentBitSection[] };
}

/** Where logs go (the `addons.logging.output` of the spec). */
export type LogOutputSpec = BuiltinLogOutputSpec | CustomLogOutputSpec;

/** An output kprod knows the settings of. */
export interface BuiltinLogOutputSpec {
  readonly type: 'elasticsearch' | 'opensearch' | 'loki';
  readonly host: string;
  readonly port: number;
  /** Index (elasticsearch/opensearch). */
  readonly index?: string;
  readonly credentialsSecret?: string;
  readonly tls: boolean;
}

export interface FluentBitOptions {
  /** Cluster name, added to every record and as a Loki label. */
  readonly cluster: string;
  readonly output: LogOutputSpec;
  /**
   * Tail the apiserver audit log.
   * @default true
   */
  readonly auditLog?: boolean;
  /**
   * Filesystem buffer cap of the output.
   * @default "2G"
   */
  readonly bufferLimit?: string;
}

const tail = (tag: string, path: string, db: string, extra: Record<string, string | number>): FluentBitSection => ({
  name: 'tail',
  tag,
  path,
  db: `${FLUENT_BIT_STATE_DIR}/${db}`,
  'db.locking': 'true',
  'skip_long_lines': 'on',
  'refresh_interval': 10,
  'storage.type': 'filesystem',
  ...extra,
});

const journal = (unit: string): FluentBitSection => ({
  name: 'systemd',
  tag: `host.${unit}`,
  systemd_filter: `_SYSTEMD_UNIT=${unit}`,
  db: `${FLUENT_BIT_STATE_DIR}/journal-${unit}.db`,
  read_from_tail: 'on',
  strip_underscores: 'on',
  'storage.type': 'filesystem',
});

/** The output section; credentials only as environment references. */
export function outputSection(output: LogOutputSpec, cluster: string, bufferLimit: string): FluentBitSection {
  if (output.type === 'custom') return customOutputSection(output, bufferLimit);
  const credentials: Record<string, string> = output.credentialsSecret
    ? { http_user: `\${${CREDENTIAL_ENV.username}}`, http_passwd: `\${${CREDENTIAL_ENV.password}}` }
    : {};
  const common = {
    match: '*',
    host: output.host,
    port: output.port,
    tls: output.tls ? 'on' : 'off',
    ...(output.tls ? { 'tls.verify': 'on' } : {}),
    retry_limit: 'no_limits',
    'storage.total_limit_size': bufferLimit,
    ...credentials,
  };
  if (output.type === 'loki') {
    return {
      name: 'loki',
      ...common,
      labels: `job=fluent-bit,cluster=${cluster},namespace=$kubernetes['namespace_name'],container=$kubernetes['container_name']`,
      line_format: 'json',
    };
  }
  return {
    // Fluent Bit's `es` output speaks Elasticsearch; OpenSearch has its own plugin.
    name: output.type === 'opensearch' ? 'opensearch' : 'es',
    ...common,
    logstash_format: 'on',
    logstash_prefix: output.index ?? 'kubernetes',
    // Mapping types are gone since Elasticsearch 8 / OpenSearch 2.
    suppress_type_name: 'on',
    replace_dots: 'on',
    trace_error: 'on',
  };
}

/** The whole configuration as data. */
export function fluentBitConfig(options: FluentBitOptions): FluentBitConfig {
  const inputs: FluentBitSection[] = [
    tail('kube.*', '/var/log/containers/*.log', 'tail-containers.db', {
      'multiline.parser': 'cri',
      // Its own logs would loop back through the output when the output is failing.
      exclude_path: '/var/log/containers/fluent-bit-*_logging_*.log',
    }),
    journal('kubelet.service'),
    journal('containerd.service'),
  ];
  if (options.auditLog ?? true) inputs.push(tail('audit.*', AUDIT_LOG_PATH, 'tail-audit.db', { parser: 'json' }));
  return {
    service: {
      flush: 1,
      log_level: 'info',
      http_server: 'on',
      http_listen: '0.0.0.0',
      http_port: FLUENT_BIT_HTTP_PORT,
      health_check: 'on',
      'storage.path': `${FLUENT_BIT_STATE_DIR}/flb-storage/`,
      'storage.sync': 'normal',
      'storage.checksum': 'off',
      'storage.max_chunks_up': 128,
      'storage.backlog.mem_limit': '32M',
      'storage.metrics': 'on',
    },
    pipeline: {
      inputs,
      filters: [
        {
          name: 'kubernetes',
          match: 'kube.*',
          kube_url: 'https://kubernetes.default.svc:443',
          kube_ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
          kube_token_file: '/var/run/secrets/kubernetes.io/serviceaccount/token',
          kube_tag_prefix: 'kube.var.log.containers.',
          merge_log: 'on',
          keep_log: 'off',
          'k8s-logging.parser': 'on',
          'k8s-logging.exclude': 'on',
          labels: 'on',
          annotations: 'off',
          buffer_size: '0',
        },
        { name: 'modify', match: '*', add: `cluster ${options.cluster}` },
      ],
      outputs: [outputSection(options.output, options.cluster, options.bufferLimit ?? '2G')],
    },
  };
}

/** The YAML text of the configuration file. */
export function renderFluentBitConfig(options: FluentBitOptions): string {
  return yamlText(fluentBitConfig(options), { lineWidth: 0 });
}
