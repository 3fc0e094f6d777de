import { parse } from 'yaml';
import { controlPlaneFiles, clusterConfiguration } from '../../../lib/render/kubeadm';
import { METRICS_PROXY_CONFIG_PATH, METRICS_PROXY_MANIFEST_PATH, metricsProxyHostFiles, renderMetricsProxyConfig, metricsProxyListeners } from '../../../lib/render/metrics-proxy';
import { exampleCluster } from '../../integration/helpers/example-cluster';

describe('kprod-metrics-proxy', () => {
  const prod = exampleCluster('eu-west-1');
  const staging = exampleCluster('dc1');

  it('forwards controller-manager and scheduler, and etcd metrics only for stacked etcd, to loopback', () => {
    const cfg = (c: typeof prod) => renderMetricsProxyConfig(metricsProxyListeners(c));
    expect(cfg(prod)).toContain('listen kube-controller-manager\n    bind :10357\n    server local 127.0.0.1:10257\n');
    expect(cfg(prod)).toContain('listen kube-scheduler\n    bind :10359\n    server local 127.0.0.1:10259\n');
    expect(cfg(prod)).not.toContain('listen etcd');
    expect(cfg(staging)).toContain('listen etcd\n    bind :12381\n    server local 127.0.0.1:2381\n');
    // Raw TCP: TLS passes through, the components authenticate the scrape themselves.
    expect(cfg(prod)).toMatch(/^defaults\n {4}mode tcp$/m);
    expect(cfg(prod)).not.toMatch(/mode http|ssl|crt /);
  });

  it('keeps the CIS loopback binds of the components it fronts', () => {
    const cc = clusterConfiguration(staging);
    expect(cc.controllerManager?.extraArgs).toContainEqual({ name: 'bind-address', value: '127.0.0.1' });
    expect(cc.scheduler?.extraArgs).toContainEqual({ name: 'bind-address', value: '127.0.0.1' });
  });

  it('is a static pod on every control-plane machine, unprivileged, reading its config from the host', () => {
    const files = controlPlaneFiles(staging);
    const manifest = files.find((f) => f.path === METRICS_PROXY_MANIFEST_PATH);
    expect(files.find((f) => f.path === METRICS_PROXY_CONFIG_PATH)).toBeDefined();
    const pod = parse((manifest as { content: string }).content);
    expect(pod.metadata).toMatchObject({ name: 'kprod-metrics-proxy', namespace: 'kube-system' });
    expect(pod.spec.hostNetwork).toBe(true);
    const [container] = pod.spec.containers;
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container.volumeMounts).toEqual([{ name: 'config', mountPath: '/usr/local/etc/haproxy', readOnly: true }]);
    expect(pod.spec.volumes[0].hostPath).toEqual({ path: '/etc/kubernetes/kprod-metrics-proxy', type: 'Directory' });
  });

  it('is not rendered when monitoring is off', () => {
    const off = exampleCluster('dc1', (c) => (c.addons = { ...c.addons, monitoring: { enabled: false } }));
    expect(metricsProxyHostFiles(off)).toEqual([]);
    expect(controlPlaneFiles(off).map((f) => f.path)).not.toContain(METRICS_PROXY_MANIFEST_PATH);
  });
});
