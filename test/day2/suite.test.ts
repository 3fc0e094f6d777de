/**
 * The day-2 suite: transitions of the example fleet, each accepted by the update rules and touching
 * only what it must (blast radius), with the rollout impact a platform engineer reads in `kprod plan`.
 */
import { rolloutImpact } from '../../lib/day2/rollout-impact';
import { skewViolation } from '../../lib/versions/skew';
import { exampleFleet } from '../helpers/fleet';
import { literal, PROD_BEFORE, PROD_NOW, setVersion, STAGING_NEXT, STAGING_NOW } from '../helpers/versions';
import { assertTransitionAccepted, atVersion, diff, edited, exampleTree, prod, renamedTemplates, staging, type Synthesized } from './helpers';

const PROD = 'prod/eu-west-1';
const STAGING = 'staging/dc1';
const mdFiles = (cluster: string, pool: string) => new RegExp(`^${cluster}/cluster/machinedeployment_[a-z0-9-]+_[a-z0-9-]+-${pool}-[a-z0-9-]+\\.yaml$`);

interface Transition {
  readonly name: string;
  readonly edit: (fleet: any) => void;
  /** The tree Argo CD has applied before the change. @default the example */
  readonly previous?: () => Synthesized;
  /** Blast radius: every file added, changed or removed is one of these. */
  readonly touches: RegExp[];
  /** Template base names (`<cluster>-<pool>` or `<cluster>-control-plane`) whose template is renamed; [] = nothing rolls by template. */
  readonly renames: string[];
  /** Lines of the rollout impact, in order. */
  readonly impact: Array<string | RegExp>;
}

const TRANSITIONS: Transition[] = [
  {
    name: 'tenant quota changed',
    edit: (f) => (prod(f).tenants[0].quota['requests.cpu'] = '50'),
    touches: [/^prod\/eu-west-1\/tenants\/payments\/resourcequota_/],
    renames: [],
    impact: [],
  },
  {
    name: 'tenant added',
    edit: (f) => prod(f).tenants.push({ name: 'search-team', owners: { groups: ['search-admins'] }, namespaces: [{ name: 'search' }] }),
    // ... the tenant's own AppProject (destinations: its namespaces) and its API Priority and Fairness
    // objects, cluster-scoped and so in tenancy-base.
    touches: [
      /^prod\/eu-west-1\/tenants\/search-team\//,
      /^prod\/eu-west-1\/kubeconfigs\/search-team\.yaml$/,
      /^prod\/argocd\/(application|appproject)_argocd_(prod-)?eu-west-1-tenant-search-team\.yaml$/,
      /^prod\/eu-west-1\/addons\/tenancy-base\/(flowschema|prioritylevelconfiguration)_kprod-tenant-search-team\.yaml$/,
    ],
    renames: [],
    impact: [],
  },
  {
    name: 'tenant removed',
    edit: (f) => staging(f).tenants.splice(0, 1),
    touches: [
      /^staging\/dc1\/tenants\/payments\//,
      /^staging\/argocd\/(application|appproject)_argocd_(staging-)?dc1-tenant-payments\.yaml$/,
      /^staging\/dc1\/addons\/tenancy-base\/(flowschema|prioritylevelconfiguration)_kprod-tenant-payments\.yaml$/,
    ],
    renames: [],
    impact: [],
  },
  {
    name: 'pool scaled',
    edit: (f) => (prod(f).nodePools[1].replicas = 6),
    touches: [mdFiles(PROD, 'search')],
    renames: [],
    impact: [`${PROD} pool search: scales 3 machines → 6 machines (no roll)`],
  },
  {
    name: 'autoscaling bounds raised',
    edit: (f) => (prod(f).nodePools[0].autoscaling = { min: 6, max: 45 }),
    touches: [mdFiles(PROD, 'general')],
    renames: [],
    impact: [`${PROD} pool general: scales 3-30 machines → 6-45 machines (no roll)`],
  },
  {
    name: 'pool added',
    edit: (f) => prod(f).nodePools.push({ name: 'batch', sku: 'general-8x32', replicas: 3 }),
    touches: [/^prod\/eu-west-1\/cluster\/[a-z0-9]+_prod-eu-west-1_eu-west-1-batch(-[a-z0-9]+)?\.yaml$/],
    renames: ['eu-west-1-batch'],
    impact: [`${PROD} pool batch: new pool, 3 machines created`],
  },
  {
    name: 'kubelet setting of one pool',
    edit: (f) => (prod(f).nodePools[1].kubelet = { maxPods: 64 }),
    touches: [mdFiles(PROD, 'search'), /^prod\/eu-west-1\/cluster\/kubeadmconfigtemplate_prod-eu-west-1_eu-west-1-search-[0-9a-f]{8}\.yaml$/],
    renames: ['eu-west-1-search'],
    impact: [`${PROD} pool search: 3 machines roll: kubelet configuration changed`],
  },
  {
    name: 'sysctl of one pool',
    edit: (f) => (prod(f).nodePools[1].sysctls['vm.max_map_count'] = 524288),
    touches: [mdFiles(PROD, 'search'), /^prod\/eu-west-1\/cluster\/kubeadmconfigtemplate_prod-eu-west-1_eu-west-1-search-[0-9a-f]{8}\.yaml$/],
    renames: ['eu-west-1-search'],
    impact: [`${PROD} pool search: 3 machines roll: sysctls changed`],
  },
  {
    name: 'image of one pool',
    edit: (f) => (prod(f).nodePools[2].image = `ubuntu-2404-kube-v${PROD_NOW}-cuda`),
    touches: [mdFiles(PROD, 'gpu'), /^prod\/eu-west-1\/cluster\/openstackmachinetemplate_prod-eu-west-1_eu-west-1-gpu-[0-9a-f]{8}\.yaml$/],
    renames: ['eu-west-1-gpu'],
    impact: [`${PROD} pool gpu: 2 machines roll: image changed`],
  },
  {
    name: 'minor upgrade on OpenStack',
    // From prod one minor down (its image following) to the example.
    previous: () => atVersion(prod, PROD_BEFORE),
    edit: () => undefined,
    // The cluster's management objects, the minor-bound add-on (cloud controller), Pod Security version labels, the runbook: prod only.
    touches: [/^prod\/eu-west-1\/cluster\//, /^prod\/argocd\/application_argocd_eu-west-1-openstack-cloud-controller-manager\.yaml$/, /^prod\/eu-west-1\/tenants\/[a-z-]+\/namespace_/, /^prod\/eu-west-1\/runbooks\//],
    renames: ['eu-west-1-control-plane', 'eu-west-1-general', 'eu-west-1-gpu', 'eu-west-1-search'],
    impact: [
      new RegExp(`^prod/eu-west-1 control plane: 3 machines roll: version ${literal(`v${PROD_BEFORE} → v${PROD_NOW}`)}, image changed`),
      `${PROD} pool general: 3-30 machines roll: version v${PROD_BEFORE} → v${PROD_NOW}, image changed`,
      `${PROD} pool gpu: 2 machines roll: version v${PROD_BEFORE} → v${PROD_NOW}, image changed`,
      `${PROD} pool search: 3 machines roll: version v${PROD_BEFORE} → v${PROD_NOW}, image changed`,
    ],
  },
  {
    name: 'minor upgrade on Metal3',
    edit: (f) => setVersion(staging(f), STAGING_NEXT),
    touches: [/^staging\/dc1\/cluster\//, /^staging\/dc1\/tenants\/[a-z-]+\/namespace_/, /^staging\/dc1\/runbooks\//],
    // Metal3 worker templates are per failure domain (each selects the hosts of its rack).
    renames: ['dc1-control-plane', ...(staging(exampleFleet()).failureDomains as string[]).map((d) => `dc1-general-${d}`)],
    impact: [`${STAGING} control plane: 3 machines roll: version v${STAGING_NOW} → v${STAGING_NEXT}, image changed`, `${STAGING} pool general: 4 machines roll: version v${STAGING_NOW} → v${STAGING_NEXT}, image changed`],
  },
  {
    name: 'apiserver flag',
    edit: (f) => (prod(f).controlPlane.apiServer = { extraArgs: { 'max-requests-inflight': '800' } }),
    touches: [/^prod\/eu-west-1\/cluster\/kubeadmcontrolplane_/],
    renames: [],
    impact: [`${PROD} control plane: 3 machines roll: kubeadm configuration changed`],
  },
  {
    name: 'control-plane replicas 3 → 5',
    edit: (f) => (prod(f).controlPlane.replicas = 5),
    // HAProxy backends and keepalived peers list every pinned control-plane address: the control plane (only) rolls.
    touches: [/^prod\/eu-west-1\/cluster\/kubeadmcontrolplane_/],
    renames: [],
    impact: [`${PROD} control plane: 5 machines roll: HAProxy configuration changed, keepalived configuration changed`, `${PROD} control plane: scales 3 → 5 machines (no roll)`],
  },
  {
    name: 'CNI setting',
    edit: (f) => (prod(f).network.cni = { plugin: 'calico', encapsulation: 'vxlan' }),
    touches: [/^prod\/argocd\/application_argocd_eu-west-1-cni\.yaml$/],
    renames: [],
    impact: [],
  },
  {
    name: 'failure domain added',
    edit: (f) => (prod(f).failureDomains = ['az1', 'az2', 'az3', 'az4']),
    // New per-domain MachineDeployments, sizes split anew, the zone list of OpenStackCluster (mutable), ignoreDifferences of the cluster Application.
    touches: [/^prod\/eu-west-1\/cluster\/machinedeployment_/, /^prod\/eu-west-1\/cluster\/openstackcluster_/, /^prod\/argocd\/application_argocd_eu-west-1-cluster\.yaml$/],
    renames: [],
    impact: [],
  },
  {
    name: 'etcd backup schedule',
    edit: (f) => (staging(f).controlPlane.etcd = { backup: { schedule: '15 */2 * * *' } }),
    // The backup-age alert's threshold is twice the schedule's interval, so the rule moves with it.
    touches: [/^staging\/dc1\/addons\/etcd-backup\/cronjob_/, /^staging\/dc1\/addons\/monitoring-rules\/prometheusrule_monitoring_kprod-alerts\.yaml$/],
    renames: [],
    impact: [],
  },
];

const baseOf = (file: string) => (file.split('/').pop() ?? '').replace(/\.yaml$/, '').split('_').pop()!.replace(/-[0-9a-f]{8}$/, '');

describe('day-2 transitions of the example fleet', () => {
  it(`covers at least 14 transitions (${TRANSITIONS.length})`, () => expect(TRANSITIONS.length).toBeGreaterThanOrEqual(14));

  describe.each(TRANSITIONS.map((t) => [t.name, t] as const))('%s', (_name, t) => {
    let previous: Synthesized;
    let next: Synthesized;
    beforeAll(() => {
      previous = (t.previous ?? exampleTree)();
      next = edited(t.edit);
    });

    it('is accepted by the update rules', () => assertTransitionAccepted(previous, next));

    it('touches only what it must', () => {
      // The reviewer pages (<env>/README.md, <env>/<cluster>/README.md) are applied by no Application: not part of the blast radius.
      const changed = diff(previous.tree, next.tree).all.filter((f) => !/^[^/]+\/([^/]+\/)?README\.md$/.test(f));
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.filter((f) => !t.touches.some((re) => re.test(f)))).toEqual([]);
    });

    it('renames exactly the templates of what rolls', () => {
      const r = renamedTemplates(previous.tree, next.tree);
      expect([...new Set(r.added.map(baseOf))].sort()).toEqual([...t.renames].sort());
    });

    it('reports its rollout impact', () => {
      const impact = rolloutImpact(previous.tree, next.tree);
      expect(impact).toHaveLength(t.impact.length);
      t.impact.forEach((line, i) => (typeof line === 'string' ? expect(impact[i]).toBe(line) : expect(impact[i]).toMatch(line)));
    });
  });

  it('an unchanged spec changes nothing and rolls nothing', () => {
    const again = edited(() => undefined);
    expect(diff(exampleTree().tree, again.tree).all).toEqual([]);
    expect(rolloutImpact(exampleTree().tree, again.tree)).toEqual([]);
  });
});

describe('an upgrade is a legal sequence', () => {
  it.each([
    ['OpenStack', 0, PROD_BEFORE, PROD_NOW],
    ['Metal3', 1, STAGING_NOW, STAGING_NEXT],
  ])('%s: control plane first (kubelets one minor older: allowed), then the pools (equal)', (_p, _i, from, to) => {
    // Wave 0 done: every apiserver runs `to`, kubelets still `from`.
    expect(skewViolation('kubelet', from, to)).toBeUndefined();
    // Mid control-plane rollout: old and new apiservers side by side, kubelets at `from`.
    expect(skewViolation('kube-apiserver', from, to)).toBeUndefined();
    expect(skewViolation('kubelet', from, from)).toBeUndefined();
    // What the order prevents: a kubelet or controller at `to` against an apiserver still at `from`.
    expect(skewViolation('kubelet', to, from)).toMatch(/must not be newer/);
    expect(skewViolation('kube-controller-manager', to, from)).toMatch(/must not be newer/);
  });
});

describe('Metal3 control plane scaled down', () => {
  it('warns that the shrinking IPPool waits for the removed machines', () => {
    const five = edited((f) => (f.environments[1].clusters[0].controlPlane.replicas = 5));
    const three = exampleTree();
    expect(rolloutImpact(five.tree, three.tree)).toContainEqual(expect.stringMatching(/^staging\/dc1 control plane: IPPool dc1-control-plane shrinks; CAPM3 refuses to drop addresses still in use/));
    // Growing the pool is a plain update.
    expect(rolloutImpact(three.tree, five.tree).filter((l) => l.includes('IPPool'))).toEqual([]);
  });
});
