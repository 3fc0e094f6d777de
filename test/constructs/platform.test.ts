import { Application, AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Namespace, ServiceAccount } from 'kubernetes-models/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { CAPABILITIES, type CapabilityInput } from '../../constructs/fleet';
import { WorkloadCluster } from '../../constructs/cluster-api/cluster';
import { PlatformEssentials } from '../../constructs/platform';
import { names } from '../../lib/naming';
import { toBytes, toMillicores } from '../../lib/sizing/quantity';
import { exampleFleet } from '../helpers/fleet';
import { find, synthObjects } from '../helpers/synth';

const platform: CapabilityInput = (ctx) => void new PlatformEssentials(ctx.managementChart, 'platform', { ctx });
const PROD = 'prod/eu-west-1/addons/kubelet-csr-approver';
const STAGING = 'staging/dc1/addons/kubelet-csr-approver';
const MODELS: Record<string, any> = { Deployment, Namespace, ServiceAccount, PodDisruptionBudget, ClusterRole, ClusterRoleBinding, Role, RoleBinding };
const wave = (o: any) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

describe('PlatformEssentials on the example fleet', () => {
  const objects = synthObjects(exampleFleet(), [platform]);
  const apps = objects.filter((o) => o.obj.kind === 'Application');
  const app = (name: string) => apps.find((a) => a.obj.metadata.name === name)?.obj;

  it('validates every core object and every Application against the upstream models', () => {
    let core = 0;
    // The ClusterResourceSet has no model here; test/conformance checks it against the Cluster API CRD.
    for (const { obj } of objects.filter((o) => o.obj.kind !== 'ClusterResourceSet')) {
      const Model = obj.kind === 'Application' ? Application : obj.kind === 'AppProject' ? AppProject : MODELS[obj.kind];
      expect(Model).toBeDefined();
      expect(() => new Model(obj).validate()).not.toThrow();
      if (obj.kind !== 'Application' && obj.kind !== 'AppProject') core++;
    }
    expect(core).toBe(2 * Object.keys(MODELS).length);
  });

  it('adds a CNI Application per cluster from its network spec, and the CCM only on OpenStack', () => {
    expect(app('eu-west-1-cni').spec.source.chart).toBe('tigera-operator');
    expect(app('eu-west-1-cni').spec.source.helm.valuesObject.installation.calicoNetwork.ipPools[0].cidr).toBe('10.244.0.0/16');
    expect(app('dc1-cni').spec.source.chart).toBe('cilium');
    expect(app('dc1-cni').spec.source.helm.valuesObject.tunnelProtocol).toBe('vxlan');
    expect(app('eu-west-1-openstack-cloud-controller-manager').spec.destination).toEqual({ name: 'prod-eu-west-1', namespace: 'kube-system' });
    expect(apps.map((a) => a.obj.metadata.name).filter((n: string) => n.includes('cloud-controller'))).toEqual(['eu-west-1-openstack-cloud-controller-manager']);
    expect(apps.find((a) => a.obj.metadata.name === 'eu-west-1-cni')!.file).toBe('prod/argocd/application_argocd_eu-west-1-cni.yaml');
  });

  it('never puts a Secret or cloud credentials into dist', () => {
    expect(objects.filter((o) => o.obj.kind === 'Secret')).toEqual([]);
    expect(app('eu-west-1-openstack-cloud-controller-manager').spec.source.helm.valuesObject.secret).toMatchObject({ create: false, name: 'cloud-config' });
  });

  describe('OCCM cloud-config by ClusterResourceSet', () => {
    const withClusters = synthObjects(exampleFleet(), [
      platform,
      (ctx) => void new WorkloadCluster(ctx.managementChart, 'cluster', { ctx }),
    ]);
    const sets = withClusters.filter((o) => o.obj.kind === 'ClusterResourceSet');
    const capiCluster = (name: string) => withClusters.find((o) => o.obj.kind === 'Cluster' && o.obj.metadata.name === name)!.obj;
    const selects = (crs: any, labels: Record<string, string>) =>
      Object.entries(crs.spec.clusterSelector.matchLabels as Record<string, string>).every(([k, v]) => labels[k] === v);

    it('exists only for the OpenStack cluster, in its Cluster API namespace on the management cluster', () => {
      expect(sets.map((s) => `${s.file}:${s.obj.metadata.namespace}/${s.obj.metadata.name}`)).toEqual([
        expect.stringMatching(/^prod\/eu-west-1\/cluster\/.*:prod-eu-west-1\/eu-west-1-occm-cloud-config$/),
      ]);
      expect(sets[0].obj.apiVersion).toBe('addons.cluster.x-k8s.io/v1beta2');
    });

    it('selects its own Cluster by label and no other', () => {
      const crs = sets[0].obj;
      expect(Object.keys(crs.spec.clusterSelector.matchLabels).length).toBeGreaterThan(0);
      expect(selects(crs, capiCluster('eu-west-1').metadata.labels)).toBe(true);
      expect(selects(crs, capiCluster('dc1').metadata.labels)).toBe(false);
      // A second OpenStack cluster of the same environment and fleet would not be selected either.
      expect(selects(crs, { ...capiCluster('eu-west-1').metadata.labels, 'kprod.io/cluster': 'eu-west-2' })).toBe(false);
    });

    it('applies, and keeps reconciling, the Secret the Pulumi stack writes; no Secret in dist', () => {
      expect(sets[0].obj.spec.resources).toEqual([{ kind: 'Secret', name: names.secrets.occmCloudConfig({ name: 'eu-west-1' }) }]);
      expect(sets[0].obj.spec.resources[0].name).toBe('eu-west-1-occm-cloud-config');
      expect(sets[0].obj.spec.strategy).toBe('Reconcile');
      expect(withClusters.filter((o) => o.obj.kind === 'Secret')).toEqual([]);
    });
  });

  describe('kubelet-csr-approver', () => {
    const deploy = find(objects, 'Deployment', 'kubelet-csr-approver', PROD);
    const pod = deploy.spec.template.spec;
    const container = pod.containers[0];
    const env = (d: any) => Object.fromEntries(d.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));

    it('approves only IPs of each cluster\'s node network and names of its machines', () => {
      expect(env(deploy).PROVIDER_IP_PREFIXES).toBe('10.10.0.0/20');
      expect(env(find(objects, 'Deployment', 'kubelet-csr-approver', STAGING)).PROVIDER_IP_PREFIXES).toBe('192.168.100.0/22');
      expect(new RegExp(env(deploy).PROVIDER_REGEX).test('eu-west-1-control-plane-abcde')).toBe(true);
      expect(new RegExp(env(deploy).PROVIDER_REGEX).test('dc1-control-plane-abcde')).toBe(false);
    });

    it('runs a pinned image on the control-plane host network, before the CNI and CCM are ready', () => {
      expect(container.image).toMatch(/^ghcr\.io\/postfinance\/kubelet-csr-approver:v1\.\d+\.\d+$/);
      expect(pod.hostNetwork).toBe(true);
      expect(pod.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
      const tolerated = pod.tolerations.map((t: any) => t.key);
      expect(tolerated).toEqual(expect.arrayContaining(['node-role.kubernetes.io/control-plane', 'node.cloudprovider.kubernetes.io/uninitialized', 'node.kubernetes.io/not-ready']));
      expect(container.args).toContain('-leader-election');
      // Host ports: two replicas never share a node.
      expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
      expect(container.livenessProbe.httpGet.port).toBe('health');
      expect(container.ports.find((p: any) => p.name === 'health').containerPort).toBe(Number(container.args[container.args.indexOf('-health-probe-bind-address') + 1].slice(1)));
    });

    it('has a restricted-compatible container with limits', () => {
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      // Limits are real quantities that cover the requests (a restricted namespace with a LimitRange would reject less).
      const { requests, limits } = container.resources;
      expect(toBytes(limits.memory)).toBeGreaterThan(0);
      expect(toMillicores(requests.cpu)).toBeGreaterThan(0);
      expect(toBytes(requests.memory)).toBeLessThanOrEqual(toBytes(limits.memory));
      if (limits.cpu !== undefined) expect(toMillicores(requests.cpu)).toBeLessThanOrEqual(toMillicores(limits.cpu));
    });

    it('lets only its own namespace run host-network pods', () => {
      const ns = find(objects, 'Namespace', 'kubelet-csr-approver', PROD);
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
      expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
      expect(deploy.metadata.namespace).toBe('kubelet-csr-approver');
    });

    it('is allowed to approve kubelet-serving CSRs and nothing more', () => {
      const role = find(objects, 'ClusterRole', 'kubelet-csr-approver', PROD);
      expect(role.rules).toEqual([
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
        { apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/kubelet-serving'], verbs: ['approve'] },
      ]);
      const binding = find(objects, 'ClusterRoleBinding', 'kubelet-csr-approver', PROD);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kubelet-csr-approver' });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kubelet-csr-approver', namespace: 'kubelet-csr-approver' }]);
      // Leader election leases only in its own namespace.
      const local = find(objects, 'Role', 'kubelet-csr-approver', PROD);
      expect(local.metadata.namespace).toBe('kubelet-csr-approver');
      expect(local.rules.map((r: any) => r.resources).flat()).toEqual(['leases', 'events']);
      expect(pod.serviceAccountName).toBe('kubelet-csr-approver');
    });

    it('can be left out', () => {
      const without = synthObjects(exampleFleet(), [(ctx) => void new PlatformEssentials(ctx.managementChart, 'platform', { ctx, kubeletCsrApprover: false })]);
      expect(without.filter((o) => o.file.includes('/addons/kubelet-csr-approver/'))).toEqual([]);
      expect(without.some((o) => o.obj.metadata.name === 'eu-west-1-cni')).toBe(true);
    });
  });
});

describe('sync waves with every capability of the fleet', () => {
  // CAPABILITIES already builds PlatformEssentials.
  const objects = synthObjects(exampleFleet(), CAPABILITIES);

  it('syncs CNI and CCM before every other workload-cluster Application, and the approver next', () => {
    for (const env of ['prod', 'staging']) {
      const apps = objects.filter((o) => o.obj.kind === 'Application' && o.file.startsWith(`${env}/argocd/`) && !o.obj.metadata.name.endsWith('-root'));
      const workload = apps.filter((a) => !a.obj.spec.destination.server).map((a) => a.obj);
      const cni = workload.find((a) => a.metadata.name.endsWith('-cni'));
      expect(wave(cni)).toBe(-5);
      const approver = workload.find((a) => a.metadata.name.endsWith('-addon-kubelet-csr-approver'));
      expect(wave(approver)).toBe(-4);
      const essentials = new Set([cni, approver, workload.find((a) => a.metadata.name.endsWith('-openstack-cloud-controller-manager'))]);
      for (const other of workload.filter((a) => !essentials.has(a))) expect(wave(other)).toBeGreaterThan(wave(approver));
      // The management-cluster folder (Cluster API objects) still comes first.
      const management = apps.find((a) => a.obj.spec.destination.server)!.obj;
      expect(wave(management)).toBeLessThan(wave(cni));
    }
  });
});
