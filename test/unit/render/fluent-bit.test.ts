import { parse } from 'yaml';
import { fluentBitConfig, renderFluentBitConfig, type LogOutputSpec } from '../../../lib/render/fluent-bit';

const es: LogOutputSpec = { type: 'elasticsearch', host: 'es.example.com', port: 9200, index: 'k8s', credentialsSecret: 'es-creds', tls: true };

describe('Fluent Bit config', () => {
  const cfg = parse(renderFluentBitConfig({ cluster: 'c1', output: es }));

  it('reads container logs with the cri multiline parser, both journald units and the audit log', () => {
    const inputs = cfg.pipeline.inputs;
    expect(inputs.find((i: any) => i.path === '/var/log/containers/*.log')).toMatchObject({ name: 'tail', 'multiline.parser': 'cri', tag: 'kube.*' });
    expect(inputs.filter((i: any) => i.name === 'systemd').map((i: any) => i.systemd_filter)).toEqual(['_SYSTEMD_UNIT=kubelet.service', '_SYSTEMD_UNIT=containerd.service']);
    // Without a fixed path, the systemd input reads both the persistent and the volatile journal.
    expect(inputs.filter((i: any) => i.name === 'systemd').every((i: any) => i.path === undefined)).toBe(true);
    expect(inputs.find((i: any) => i.tag === 'audit.*')).toMatchObject({ name: 'tail', path: '/var/log/kubernetes/audit/audit.log', parser: 'json' });
    expect(fluentBitConfig({ cluster: 'c1', output: es, auditLog: false }).pipeline.inputs.some((i) => i.tag === 'audit.*')).toBe(false);
  });

  it('enriches with Kubernetes metadata', () => {
    expect(cfg.pipeline.filters.find((f: any) => f.name === 'kubernetes')).toMatchObject({ match: 'kube.*', kube_url: 'https://kubernetes.default.svc:443', merge_log: 'on' });
  });

  it('buffers on the filesystem with bounded memory and a capped output', () => {
    expect(cfg.service['storage.path']).toMatch(/^\/var\/fluent-bit\/state\//);
    expect(cfg.service['storage.max_chunks_up']).toBe(128);
    for (const i of cfg.pipeline.inputs) expect(i['storage.type']).toBe('filesystem');
    expect(cfg.pipeline.outputs[0]['storage.total_limit_size']).toBe('2G');
    expect(fluentBitConfig({ cluster: 'c1', output: es, bufferLimit: '500M' }).pipeline.outputs[0]['storage.total_limit_size']).toBe('500M');
  });

  it('uses the es plugin with Suppress_Type_Name for Elasticsearch and the opensearch plugin for OpenSearch', () => {
    expect(cfg.pipeline.outputs[0]).toMatchObject({ name: 'es', suppress_type_name: 'on', logstash_prefix: 'k8s', tls: 'on', 'tls.verify': 'on' });
    const os = fluentBitConfig({ cluster: 'c1', output: { ...es, type: 'opensearch' } }).pipeline.outputs[0];
    expect(os.name).toBe('opensearch');
  });

  it('labels Loki streams with the cluster', () => {
    const loki = fluentBitConfig({ cluster: 'c1', output: { type: 'loki', host: 'loki', port: 3100, tls: false } }).pipeline.outputs[0];
    expect(loki).toMatchObject({ name: 'loki', host: 'loki', port: 3100, tls: 'off' });
    expect(String(loki.labels)).toContain('cluster=c1');
    expect(loki.http_user).toBeUndefined();
  });

  it('refers to credentials only through environment variables', () => {
    const out = cfg.pipeline.outputs[0];
    expect(out.http_user).toBe('${FLUENT_USER}');
    expect(out.http_passwd).toBe('${FLUENT_PASSWORD}');
    const text = renderFluentBitConfig({ cluster: 'c1', output: es });
    expect(text).not.toMatch(/es-creds/);
    expect(fluentBitConfig({ cluster: 'c1', output: { ...es, credentialsSecret: undefined } }).pipeline.outputs[0].http_passwd).toBeUndefined();
  });
});
