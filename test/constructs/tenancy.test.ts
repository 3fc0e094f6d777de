import { FlowSchema } from 'kubernetes-models/flowcontrol.apiserver.k8s.io/v1/FlowSchema';
import { PriorityLevelConfiguration } from 'kubernetes-models/flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration';
import { parse } from 'yaml';
import { Namespace, LimitRange, ResourceQuota } from 'kubernetes-models/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ClusterRole, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { synthCluster } from '../../constructs/fleet';
import { addTenancy } from '../../constructs/tenancy';
import { parseFleet, type FleetSpec } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';

type Obj = Record<string, any>;

const { spec } = parseFleet(exampleFleet());

function build(fleet: FleetSpec, env: string, cluster: string) {
  const environment = fleet.environments.find((e) => e.name === env)!;
  const c = environment.clusters.find((x) => x.name === cluster)!;
  const built = synthCluster(fleet, environment, c, [addTenancy]);
  const folder = (dirEnd: string) => built.folders.find((f) => f.dir.endsWith(dirEnd));
  const objects = (dirEnd: string): Obj[] => (folder(dirEnd)?.chart.toJson() ?? []) as Obj[];
  return { built, folder, objects };
}

const prod = build(spec, 'prod', 'eu-west-1');
const staging = build(spec, 'staging', 'dc1');
const find = (objs: Obj[], kind: string, name: string, namespace?: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));

describe('tenant folders', () => {
  it('writes one folder per tenant and the tenancy-base add-on folder at sync wave -2', () => {
    const dirs = prod.built.folders.map((f) => f.dir).sort();
    expect(dirs).toEqual(['prod/eu-west-1/addons/tenancy-base', 'prod/eu-west-1/cluster', 'prod/eu-west-1/tenants/ml', 'prod/eu-west-1/tenants/payments'].sort());
    expect(prod.folder('addons/tenancy-base')!.app.syncWave).toBe(-2);
  });
});

describe('namespaces', () => {
  const payments = prod.objects('tenants/payments');
  const ml = prod.objects('tenants/ml');

  it('labels each namespace with Pod Security levels pinned to the cluster minor, tenant and fleet', () => {
    const ns = find(payments, 'Namespace', 'payments-prod')!;
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.36',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'kprod.io/tenant': 'payments',
      'kprod.io/fleet': 'acme',
    });
    expect(find(ml, 'Namespace', 'ml-training')!.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(find(staging.objects('tenants/payments'), 'Namespace', 'payments-staging')!.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.35');
  });

  it('puts namespaces in sync wave -1', () => {
    const namespaces = [...payments, ...ml].filter((o) => o.kind === 'Namespace');
    expect(namespaces.map((ns) => ns.metadata.name).sort()).toEqual(['ml-training', 'payments-dev', 'payments-prod']);
    for (const ns of namespaces) expect(ns.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
  });

  it('forces the isolated tenant onto its pools and keeps the others off them', () => {
    const a = find(ml, 'Namespace', 'ml-training')!.metadata.annotations;
    expect(a['scheduler.alpha.kubernetes.io/node-selector']).toBe('kprod.io/tenant=ml');
    expect(JSON.parse(a['scheduler.alpha.kubernetes.io/defaultTolerations'])).toEqual([{ key: 'kprod.io/tenant', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }]);
    expect(JSON.parse(a['scheduler.alpha.kubernetes.io/tolerationsWhitelist'])).toContainEqual({ key: 'kprod.io/tenant', operator: 'Equal', value: 'ml', effect: 'NoSchedule' });

    const p = find(payments, 'Namespace', 'payments-dev')!.metadata.annotations;
    expect(p['scheduler.alpha.kubernetes.io/node-selector']).toBeUndefined();
    const whitelist = JSON.parse(p['scheduler.alpha.kubernetes.io/tolerationsWhitelist']) as Obj[];
    expect(whitelist.some((t) => t.key === 'kprod.io/tenant')).toBe(false);
    expect(whitelist).toContainEqual({ key: 'node.kubernetes.io/not-ready', operator: 'Exists' });
  });

  it('adds no isolation annotations on a cluster without isolated tenants', () => {
    const a = find(staging.objects('tenants/payments'), 'Namespace', 'payments-staging')!.metadata.annotations;
    expect(Object.keys(a).filter((k) => k.startsWith('scheduler.alpha.kubernetes.io/'))).toEqual([]);
  });
});

describe('quotas and limits', () => {
  const payments = prod.objects('tenants/payments');

  it('renders the compute and object-count quotas per namespace', () => {
    expect(find(payments, 'ResourceQuota', 'compute', 'payments-dev')!.spec.hard).toEqual({
      'limits.cpu': '80',
      'limits.memory': '320Gi',
      'requests.cpu': '40',
      'requests.memory': '160Gi',
    });
    expect(find(payments, 'ResourceQuota', 'object-counts', 'payments-prod')!.spec.hard).toEqual({ pods: '400' });
  });

  it('scopes one quota per PriorityClass tier', () => {
    for (const tier of ['high', 'medium', 'low']) {
      const q = find(payments, 'ResourceQuota', `priority-${tier}`, 'payments-dev')!;
      expect(q.spec.scopeSelector).toEqual({ matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [tier] }] });
    }
    expect(find(payments, 'ResourceQuota', 'priority-high', 'payments-dev')!.spec.hard).toEqual({ 'requests.cpu': '10', pods: '50' });
  });

  it('renders the LimitRange defaults of the spec', () => {
    const lr = find(payments, 'LimitRange', 'container-defaults', 'payments-dev')!;
    expect(lr.spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '1', memory: '1Gi' }, max: { cpu: '8', memory: '32Gi' } },
    ]);
  });
});

describe('network policies', () => {
  const payments = prod.objects('tenants/payments');

  it('denies all ingress and egress by default', () => {
    const deny = find(payments, 'NetworkPolicy', 'default-deny', 'payments-dev')!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('allows DNS to kube-dns on port 53 over UDP and TCP', () => {
    const dns = find(payments, 'NetworkPolicy', 'allow-dns', 'payments-dev')!;
    expect(dns.spec.policyTypes).toEqual(['Egress']);
    const [rule] = dns.spec.egress;
    expect(rule.to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
    ]);
    expect(rule.ports).toEqual(expect.arrayContaining([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]));
  });

  it('allows traffic among the tenant namespaces and from the namespaces of the spec', () => {
    const same = find(payments, 'NetworkPolicy', 'allow-same-tenant', 'payments-prod')!;
    expect(same.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kprod.io/tenant': 'payments' } } }] }]);
    expect(same.spec.egress).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kprod.io/tenant': 'payments' } } }] }]);
    const from = find(payments, 'NetworkPolicy', 'allow-ingress-from-namespaces', 'payments-prod')!;
    expect(from.spec.ingress[0].from[0].namespaceSelector.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ingress-nginx'] }]);
    expect(find(payments, 'NetworkPolicy', 'allow-egress-to-cidrs', 'payments-prod')).toBeUndefined();
  });

  it('renders egress to CIDRs and namespaces when the spec asks for them', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].tenants[1].network = { allowEgressToCidrs: ['10.50.0.0/16'], allowEgressToNamespaces: ['monitoring'] };
    const ml = build(parseFleet(input).spec, 'prod', 'eu-west-1').objects('tenants/ml');
    expect(find(ml, 'NetworkPolicy', 'allow-egress-to-cidrs', 'ml-training')!.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.50.0.0/16' } }] }]);
    expect(find(ml, 'NetworkPolicy', 'allow-egress-to-namespaces', 'ml-training')!.spec.egress[0].to[0].namespaceSelector.matchExpressions[0].values).toEqual(['monitoring']);
  });
});

describe('RBAC', () => {
  it('binds owners and viewers with the OIDC prefixes', () => {
    const payments = prod.objects('tenants/payments');
    const owners = find(payments, 'RoleBinding', 'kprod-tenant-owners', 'payments-dev')!;
    expect(owners.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kprod:namespace-admin' });
    expect(owners.subjects).toEqual([{ kind: 'Group', name: 'oidc:payments-admins', apiGroup: 'rbac.authorization.k8s.io' }]);
    const viewers = find(payments, 'RoleBinding', 'kprod-tenant-viewers', 'payments-dev')!;
    expect(viewers.roleRef.name).toBe('kprod:namespace-viewer');
    expect(viewers.subjects).toEqual([{ kind: 'Group', name: 'oidc:payments-devs', apiGroup: 'rbac.authorization.k8s.io' }]);
  });

  it('uses the names unprefixed without OIDC and skips bindings nobody is named for', () => {
    const owners = find(staging.objects('tenants/payments'), 'RoleBinding', 'kprod-tenant-owners', 'payments-staging')!;
    expect(owners.subjects).toEqual([{ kind: 'Group', name: 'payments-admins', apiGroup: 'rbac.authorization.k8s.io' }]);
    expect(find(prod.objects('tenants/ml'), 'RoleBinding', 'kprod-tenant-viewers')).toBeUndefined();
  });

  it('prefixes users with the custom username prefix', () => {
    const input = exampleFleet();
    const c = input.environments[0].clusters[0];
    c.controlPlane.oidc = { ...c.controlPlane.oidc, usernamePrefix: 'sso#', groupsPrefix: '-' };
    c.tenants[0].owners = { users: ['alice@example.com'], groups: ['payments-admins'] };
    const owners = find(build(parseFleet(input).spec, 'prod', 'eu-west-1').objects('tenants/payments'), 'RoleBinding', 'kprod-tenant-owners', 'payments-dev')!;
    expect(owners.subjects.map((s: Obj) => `${s.kind}:${s.name}`)).toEqual(['Group:payments-admins', 'User:sso#alice@example.com']);
  });

  const base = prod.objects('addons/tenancy-base');
  const admin = find(base, 'ClusterRole', 'kprod:namespace-admin')!;
  const viewer = find(base, 'ClusterRole', 'kprod:namespace-viewer')!;
  const grants = (role: Obj, group: string, resource: string) =>
    new Set((role.rules as Obj[]).filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs as string[]));
  const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];

  it('gives no escalation path: no wildcard, bind, escalate or impersonate', () => {
    for (const role of [admin, viewer])
      for (const rule of role.rules as Obj[]) {
        expect(rule.verbs).not.toEqual(expect.arrayContaining(['*']));
        for (const verb of ['bind', 'escalate', 'impersonate']) expect(rule.verbs).not.toContain(verb);
        expect(rule.resources).not.toContain('*');
        expect(rule.apiGroups).not.toContain('*');
      }
  });

  it('never lets owners write RBAC, quotas, limit ranges or network policies', () => {
    for (const [group, resource] of [
      ['rbac.authorization.k8s.io', 'roles'],
      ['rbac.authorization.k8s.io', 'rolebindings'],
      ['', 'resourcequotas'],
      ['', 'limitranges'],
      ['networking.k8s.io', 'networkpolicies'],
    ]) {
      const verbs = grants(admin, group, resource);
      for (const w of WRITES) expect(verbs.has(w)).toBe(false);
      expect(verbs.has('get')).toBe(true);
    }
  });

  it('gives owners full control of workloads and viewers read-only without secrets', () => {
    for (const [group, resource] of [['apps', 'deployments'], ['', 'secrets'], ['batch', 'jobs'], ['networking.k8s.io', 'ingresses'], ['policy', 'poddisruptionbudgets']])
      for (const w of WRITES) expect(grants(admin, group, resource).has(w)).toBe(true);
    expect(grants(admin, '', 'pods/exec').has('create')).toBe(true);
    for (const rule of viewer.rules as Obj[]) {
      expect(rule.resources).not.toContain('secrets');
      for (const w of WRITES) expect(rule.verbs).not.toContain(w);
    }
    expect(grants(viewer, 'apps', 'deployments').has('list')).toBe(true);
  });

  it('renders the cluster PriorityClasses', () => {
    const pcs = base.filter((o) => o.kind === 'PriorityClass');
    // The example sets no priorityClasses: the defaults high/medium/low with their values.
    expect(pcs.map((p) => [p.metadata.name, p.value, p.globalDefault]).sort()).toEqual([
      ['high', 100000, false],
      ['low', 1000, false],
      ['medium', 10000, false],
    ]);
    expect(pcs.every((p) => p.metadata.namespace === undefined)).toBe(true);
  });
});

describe('upstream API shapes', () => {
  const models: Record<string, new (o: any) => { validate(): void }> = {
    Namespace,
    ResourceQuota,
    LimitRange,
    NetworkPolicy,
    RoleBinding,
    ClusterRole,
    PriorityClass,
    FlowSchema,
    PriorityLevelConfiguration,
  };
  it('every object validates against the Kubernetes OpenAPI schema', () => {
    const all = [...prod.built.folders, ...staging.built.folders].filter((f) => !f.dir.endsWith('/cluster')).flatMap((f) => f.chart.toJson() as Obj[]);
    expect(all.length).toBeGreaterThan(20);
    for (const obj of all) {
      const Model = models[obj.kind];
      expect(Model).toBeDefined();
      expect(() => new Model(obj).validate()).not.toThrow();
    }
  });
});

describe('kubeconfigs', () => {
  const files = prod.built.plainFiles;
  const text = files.get('prod/eu-west-1/kubeconfigs/payments.yaml')!;
  const config = parse(text) as Obj;

  it('writes one kubeconfig per tenant with a context per namespace', () => {
    expect([...files.keys()].sort()).toEqual(['prod/eu-west-1/kubeconfigs/ml.yaml', 'prod/eu-west-1/kubeconfigs/payments.yaml']);
    expect(config).toMatchObject({ apiVersion: 'v1', kind: 'Config' });
    expect(config.contexts.map((c: Obj) => c.context.namespace)).toEqual(['payments-dev', 'payments-prod']);
    expect(config.clusters[0].cluster.server).toBe('https://api.eu-west-1.prod.example.com:8443');
    expect(config['current-context']).toBe(config.contexts[0].name);
  });

  it('logs in through the kubelogin exec plugin', () => {
    const exec = config.users[0].user.exec;
    expect(exec.apiVersion).toBe('client.authentication.k8s.io/v1');
    expect(exec.interactiveMode).toBe('IfAvailable');
    expect(exec.command).toBe('kubectl');
    expect(exec.args).toEqual(expect.arrayContaining(['oidc-login', 'get-token', '--oidc-issuer-url=https://login.example.com/realms/platform', '--oidc-client-id=kubernetes']));
  });

  it('contains no credential of any kind', () => {
    const forbidden = ['token', 'tokenFile', 'client-key-data', 'client-key', 'client-certificate-data', 'password', 'username', 'auth-provider', 'client-secret'];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, child] of Object.entries(v)) {
          expect(forbidden).not.toContain(k);
          walk(child);
        }
      else if (typeof v === 'string') expect(v).not.toMatch(/--oidc-client-secret|BEGIN .*PRIVATE KEY/);
    };
    walk(config);
    expect(text).toContain('--certificate-authority');
  });

  it('is skipped with a summary note when the cluster has no OIDC', () => {
    expect(staging.built.plainFiles.size).toBe(0);
    expect(staging.built.summary.join('\n')).toMatch(/kubeconfigs skipped: controlPlane\.oidc is not set/);
  });
});
