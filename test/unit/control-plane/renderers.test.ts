import { parse } from 'yaml';
import { admissionConfiguration, enabledAdmissionPluginNames, renderAdmissionConfiguration } from '../../../lib/render/admission-config';
import { auditPolicy, renderAuditPolicy } from '../../../lib/render/audit-policy';
import { encryptionConfiguration, renderEncryptionConfiguration } from '../../../lib/render/encryption-config';
import {
  apiServerArgs,
  apiServerCertSANs,
  authenticationConfiguration,
  clusterConfiguration,
  controlPlaneConfigFiles,
  controlPlanePreKubeadmCommands,
  controlPlanePostKubeadmCommands,
  etcdConfiguration,
  mergePhaseCommands,
  onlyOn,
} from '../../../lib/render/kubeadm';
import type { ExtraArg } from '../../../lib/render/types';
import { parseFleet, type ClusterSpec } from '../../../lib/spec';
import { checkObjects } from '../../helpers/check';
import { exampleFleet } from '../../helpers/fleet';

/** The document passes the committed upstream schema of its kind (`kprod check`). */
const expectValid = (doc: unknown) => expect(checkObjects(doc)).toEqual([]);

function clusters(mutate?: (input: any) => void): { prod: ClusterSpec; staging: ClusterSpec } {
  const input = exampleFleet();
  mutate?.(input);
  const { spec } = parseFleet(input);
  return { prod: spec.environments[0].clusters[0], staging: spec.environments[1].clusters[0] };
}
const argMap = (args: ExtraArg[]) => {
  const names = args.map((a) => a.name);
  expect(new Set(names).size).toBe(names.length); // no argument twice
  return Object.fromEntries(args.map((a) => [a.name, a.value]));
};

describe('audit policy', () => {
  it('is a valid audit.k8s.io/v1 Policy, also after a YAML round trip', () => {
    expectValid(auditPolicy());
    expectValid(parse(renderAuditPolicy()));
  });

  const rules = auditPolicy().rules as any[];
  const firstMatch = (req: { user?: string; verb: string; group: string; resource: string; url?: string }) =>
    rules.find(
      (r) =>
        (!r.users || r.users.includes(req.user)) &&
        (!r.verbs || r.verbs.includes(req.verb)) &&
        (!r.userGroups) &&
        (!r.namespaces) &&
        (!r.nonResourceURLs || (req.url && r.nonResourceURLs.some((u: string) => req.url!.startsWith(u.replace('*', ''))))) &&
        (!r.resources || r.resources.some((g: any) => g.group === req.group && (!g.resources || g.resources.includes(req.resource)))),
    );

  it('never records bodies of Secrets, even on writes', () => {
    expect(firstMatch({ user: 'alice', verb: 'create', group: '', resource: 'secrets' }).level).toBe('Metadata');
    expect(firstMatch({ user: 'alice', verb: 'get', group: '', resource: 'secrets' }).level).toBe('Metadata');
    expect(firstMatch({ user: 'alice', verb: 'create', group: 'authentication.k8s.io', resource: 'tokenreviews' }).level).toBe('Metadata');
  });

  it('records RBAC changes with responses, other writes with requests, reads as metadata', () => {
    expect(firstMatch({ user: 'alice', verb: 'patch', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' }).level).toBe('RequestResponse');
    expect(firstMatch({ user: 'alice', verb: 'update', group: 'apps', resource: 'deployments' }).level).toBe('Request');
    expect(firstMatch({ user: 'alice', verb: 'list', group: 'apps', resource: 'deployments' }).level).toBe('Metadata');
  });

  it('drops health probes and kube-proxy endpoint watches; omits RequestReceived', () => {
    expect(firstMatch({ verb: 'get', group: '', resource: '', url: '/livez' }).level).toBe('None');
    expect(firstMatch({ user: 'system:kube-proxy', verb: 'watch', group: 'discovery.k8s.io', resource: 'endpointslices' }).level).toBe('None');
    expect(auditPolicy().omitStages).toEqual(['RequestReceived']);
  });
});

describe('admission configuration', () => {
  const { prod } = clusters();
  it('is a valid AdmissionConfiguration whose PodSecurity configuration is valid too', () => {
    const config = parse(renderAdmissionConfiguration(prod));
    expectValid(config);
    const psa = config.plugins.find((p: any) => p.name === 'PodSecurity');
    expectValid(psa.configuration);
    expect(psa.configuration.defaults.enforce).toBe('baseline');
    expect(psa.configuration.defaults.warn).toBe('restricted');
  });

  it('enables NodeRestriction and EventRateLimit by default; EventRateLimit can be turned off', () => {
    expect(enabledAdmissionPluginNames(prod)).toEqual(expect.arrayContaining(['NodeRestriction', 'PodSecurity', 'EventRateLimit']));
    expect(enabledAdmissionPluginNames(prod, { eventRateLimit: false })).not.toContain('EventRateLimit');
    expect((admissionConfiguration(prod, { eventRateLimit: false }).plugins as any[]).map((p) => p.name)).not.toContain('EventRateLimit');
  });
});

describe('encryption configuration (rendered by the Pulumi stack)', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  it('is valid, encrypts the configured resources with the first key and keeps identity last', () => {
    const { prod } = clusters();
    const config = parse(renderEncryptionConfiguration(prod, [{ name: 'k2', secret: key }, { name: 'k1', secret: key }]));
    expectValid(config);
    expect(config.resources[0].resources).toEqual(['secrets']);
    expect(config.resources[0].providers[0].aescbc.keys.map((k: any) => k.name)).toEqual(['k2', 'k1']);
    expect(config.resources[0].providers[1]).toEqual({ identity: {} });
  });

  it('rejects keys that are not 32 bytes and an empty key list', () => {
    const { prod } = clusters();
    expect(() => encryptionConfiguration(prod, [{ name: 'short', secret: Buffer.alloc(16).toString('base64') }])).toThrow(/short.*32 bytes/);
    expect(() => encryptionConfiguration(prod, [])).toThrow(/at least one key/);
  });
});

describe('kubeadm cluster configuration', () => {
  const { prod, staging } = clusters();

  it('validates as a kubeadm v1beta4 ClusterConfiguration for both example clusters', () => {
    for (const c of [prod, staging]) expectValid({ apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration', ...clusterConfiguration(c) });
  });

  it('puts VIP, endpoint DNS names, extra SANs and loopback into the apiserver certificate once each', () => {
    const { prod: c } = clusters((i) => (i.environments[0].clusters[0].controlPlane.certSANs = ['api.internal', '10.10.16.10']));
    expect(apiServerCertSANs(c)).toEqual(['10.10.16.10', 'api.eu-west-1.prod.example.com', 'api.internal', 'localhost', '127.0.0.1']);
  });

  it('sets the CIS apiserver arguments', () => {
    const args = argMap(apiServerArgs(prod));
    expect(args).toMatchObject({
      'authorization-mode': 'Node,RBAC',
      profiling: 'false',
      'service-account-lookup': 'true',
      'tls-min-version': 'VersionTLS12',
      'kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt',
      'audit-policy-file': '/etc/kubernetes/audit-policy.yaml',
      'audit-log-path': '/var/log/kubernetes/audit/audit.log',
      'audit-log-maxage': '30',
      'audit-log-maxbackup': '10',
      'audit-log-maxsize': '100',
      'encryption-provider-config': '/etc/kubernetes/encryption/encryption-config.yaml',
      'admission-control-config-file': '/etc/kubernetes/admission/admission-config.yaml',
    });
    expect(args['enable-admission-plugins'].split(',')).toContain('NodeRestriction');
    for (const suite of args['tls-cipher-suites'].split(',')) expect(suite).toMatch(/^TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305)$/);
    expect(args['anonymous-auth']).toBeUndefined();
  });

  it('routes events to the events etcd members', () => {
    expect(argMap(apiServerArgs(prod))['etcd-servers-overrides']).toBe('/events#https://10.10.1.20:2379;https://10.10.1.21:2379;https://10.10.1.22:2379');
    expect(argMap(apiServerArgs(staging))['etcd-servers-overrides']).toBeUndefined();
  });

  it('1.32+: OIDC and health-only anonymous access live in AuthenticationConfiguration, never as --oidc-* flags', () => {
    const args = argMap(apiServerArgs(prod));
    expect(args['authentication-config']).toBe('/etc/kubernetes/authentication/authentication-config.yaml');
    expect(Object.keys(args).filter((n) => n.startsWith('oidc-'))).toEqual([]);
    const authn = authenticationConfiguration(prod) as any;
    expect(authn.apiVersion).toBe('apiserver.config.k8s.io/v1'); // 1.36
    expect((authenticationConfiguration({ ...prod, kubernetesVersion: '1.33.4' }) as any).apiVersion).toBe('apiserver.config.k8s.io/v1beta1');
    expect(authn.anonymous).toEqual({ enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }] });
    expect(authn.jwt[0]).toEqual({
      issuer: { url: 'https://login.example.com/realms/platform', audiences: ['kubernetes'] },
      claimMappings: { username: { claim: 'email', prefix: 'oidc:' }, groups: { claim: 'groups', prefix: 'oidc:' } },
    });
    expect((authenticationConfiguration(staging) as any).apiVersion).toBe('apiserver.config.k8s.io/v1'); // 1.35
  });

  it('1.31: OIDC as flags, no authentication config', () => {
    // 1.31 is no longer accepted by the spec; the renderer keeps its branch for older minors.
    const c = { ...prod, kubernetesVersion: '1.31.9' };
    const args = argMap(apiServerArgs(c));
    expect(args['authentication-config']).toBeUndefined();
    expect(args).toMatchObject({ 'oidc-issuer-url': 'https://login.example.com/realms/platform', 'oidc-client-id': 'kubernetes', 'oidc-username-claim': 'email', 'oidc-groups-prefix': 'oidc:' });
  });

  it('disables profiling and binds controller-manager and scheduler to loopback with leader election', () => {
    const cfg = clusterConfiguration(prod) as any;
    for (const component of [cfg.controllerManager, cfg.scheduler]) {
      const args = argMap(component.extraArgs);
      expect(args).toMatchObject({ profiling: 'false', 'bind-address': '127.0.0.1', 'leader-elect': 'true', 'leader-elect-lease-duration': '15s' });
    }
    expect(argMap(cfg.controllerManager.extraArgs)).toMatchObject({ 'use-service-account-credentials': 'true', 'terminated-pod-gc-threshold': '1000' });
  });

  it('external etcd: member endpoints and the client certificate paths Cluster API fills', () => {
    expect(etcdConfiguration(prod)).toEqual({
      external: {
        endpoints: ['https://10.10.1.10:2379', 'https://10.10.1.11:2379', 'https://10.10.1.12:2379'],
        caFile: '/etc/kubernetes/pki/etcd/ca.crt',
        certFile: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
        keyFile: '/etc/kubernetes/pki/apiserver-etcd-client.key',
      },
    });
  });

  it('stacked etcd: local with /var/lib/etcd, the quota in bytes and client certificates required', () => {
    const etcd = etcdConfiguration(staging) as any;
    expect(etcd.local.dataDir).toBe('/var/lib/etcd');
    const args = argMap(etcd.local.extraArgs);
    expect(args['quota-backend-bytes']).toBe(String(8 * 2 ** 30));
    expect(args['auto-compaction-retention']).toBe('8h');
    expect(args['client-cert-auth']).toBe('true');
    const custom = etcdConfiguration(staging, () => [{ name: 'x', value: '1' }]) as any;
    expect(custom.local.extraArgs).toEqual([{ name: 'x', value: '1' }]);
  });

  it('mounts every file an argument names into the apiserver pod', () => {
    const cfg = clusterConfiguration(prod) as any;
    const args = argMap(cfg.apiServer.extraArgs);
    const mounted = (path: string) => cfg.apiServer.extraVolumes.some((v: any) => path === v.mountPath || path.startsWith(`${v.mountPath}/`));
    for (const name of ['audit-policy-file', 'audit-log-path', 'encryption-provider-config', 'admission-control-config-file', 'authentication-config']) expect([name, mounted(args[name])]).toEqual([name, true]);
    expect(cfg.apiServer.extraVolumes.find((v: any) => v.name === 'audit-log').readOnly).toBe(false);
  });

  it('turns off audit and encryption arguments, volumes and files when disabled', () => {
    const { prod: c } = clusters((i) => {
      i.environments[0].clusters[0].controlPlane.audit = { enabled: false };
      i.environments[0].clusters[0].controlPlane.encryptionAtRest = { enabled: false };
    });
    const args = argMap(apiServerArgs(c));
    expect(Object.keys(args).filter((n) => n.startsWith('audit-') || n.startsWith('encryption-'))).toEqual([]);
    expect(controlPlaneConfigFiles(c).map((f) => f.path)).toEqual(['/etc/kubernetes/admission/admission-config.yaml', '/etc/kubernetes/scheduler/scheduler-config.yaml', '/etc/kubernetes/authentication/authentication-config.yaml']);
  });

  it('references the encryption configuration from the Secret and carries no key', () => {
    const enc = controlPlaneConfigFiles(prod).find((f) => f.path.endsWith('encryption-config.yaml')) as any;
    expect(enc).toEqual({ path: '/etc/kubernetes/encryption/encryption-config.yaml', contentFrom: { secret: { name: 'eu-west-1-encryption', key: 'encryption-config.yaml' } }, permissions: '0600', owner: 'root:root' });
  });

  it('guards phase-specific commands by the kubeadm config file Cluster API writes', () => {
    expect(onlyOn('init', 'echo a')).toBe('if [ -f /run/kubeadm/kubeadm.yaml ]; then echo a; fi');
    expect(onlyOn('join', 'echo b')).toBe('if [ -f /run/kubeadm/kubeadm-join-config.yaml ]; then echo b; fi');
    expect(mergePhaseCommands(['shared', 'first-only'], ['shared', 'join-only'])).toEqual([
      'shared',
      'if [ -f /run/kubeadm/kubeadm.yaml ]; then first-only; fi',
      'if [ -f /run/kubeadm/kubeadm-join-config.yaml ]; then join-only; fi',
    ]);
  });

  it('keepalived (prod) drops its own address on every machine; kube-vip (staging) swaps kubeconfigs on the init machine only', () => {
    // drop own address, install the host package if missing, start the service: in this order, every machine
    const keepalived = controlPlanePreKubeadmCommands(prod).filter((c) => c.includes('keepalived'));
    expect(keepalived.map((c) => c.split(' ')[0])).toEqual(['for', 'command', 'systemctl']);
    expect(controlPlanePreKubeadmCommands(prod).some((c) => c.startsWith('if [ -f'))).toBe(false);
    // The example's staging cluster uses keepalived-haproxy; switch it to kube-vip here.
    const { staging: kubeVip } = clusters((input) => (input.environments[1].clusters[0].controlPlane.endpoint.mode = 'kube-vip'));
    const pre = controlPlanePreKubeadmCommands(kubeVip).filter((c) => c.includes('super-admin.conf'));
    const post = controlPlanePostKubeadmCommands(kubeVip);
    expect(pre).toHaveLength(1);
    expect(pre[0]).toMatch(/^if \[ -f \/run\/kubeadm\/kubeadm\.yaml \]; then /);
    expect(post).toHaveLength(1);
    expect(post[0]).toMatch(/^if \[ -f \/run\/kubeadm\/kubeadm\.yaml \]; then .*admin\.conf/);
  });
});
