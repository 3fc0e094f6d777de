import { parseFleet } from '../../../lib/spec';
import { tenancyAdmissionPlugins } from '../../../lib/tenancy/admission';
import { tolerationsWhitelist } from '../../../lib/tenancy/isolation';
import { checkObjects } from '../../helpers/check';
import { exampleFleet } from '../../helpers/fleet';

const { spec } = parseFleet(exampleFleet());
const prod = spec.environments[0].clusters[0];
const staging = spec.environments[1].clusters[0];

describe('tenancyAdmissionPlugins', () => {
  const plugins = tenancyAdmissionPlugins(prod);

  it('enables PodNodeSelector and PodTolerationRestriction when a tenant is isolated', () => {
    expect(plugins.map((p) => p.name)).toEqual(['PodNodeSelector', 'PodTolerationRestriction']);
  });

  it('configures PodNodeSelector with its unversioned podNodeSelectorPluginConfig and no cluster default', () => {
    const config = plugins.find((p) => p.name === 'PodNodeSelector')!.configuration as Record<string, any>;
    expect(config).toEqual({ podNodeSelectorPluginConfig: { clusterDefaultNodeSelector: '' } });
  });

  it('configures PodTolerationRestriction with its versioned Configuration and no cluster-wide restriction', () => {
    const config = plugins.find((p) => p.name === 'PodTolerationRestriction')!.configuration as Record<string, any>;
    expect(config.apiVersion).toBe('podtolerationrestriction.admission.k8s.io/v1alpha1');
    expect(config.kind).toBe('Configuration');
    // system namespaces keep their tolerations: only tenant namespaces carry a whitelist
    expect(config.whitelist).toEqual([]);
    expect(config.default).toEqual([]);
  });

  it('returns nothing when no tenant is isolated', () => {
    expect(tenancyAdmissionPlugins(staging)).toEqual([]);
  });

  it('fits the upstream AdmissionConfiguration schema', () => {
    const doc = { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AdmissionConfiguration', plugins };
    expect(checkObjects(doc)).toEqual([]);
  });
});

describe('tolerationsWhitelist', () => {
  it('lets an isolated tenant tolerate its own pool only', () => {
    const list = tolerationsWhitelist({ name: 'ml', nodePools: ['gpu'] });
    const tenantKeys = list.filter((t) => t.key === 'kprod.io/tenant');
    expect(tenantKeys).toEqual([{ key: 'kprod.io/tenant', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }]);
  });

  it('lets a shared tenant tolerate node conditions but no dedicated pool', () => {
    const list = tolerationsWhitelist({ name: 'payments', nodePools: [] });
    expect(list.every((t) => t.key.startsWith('node.kubernetes.io/') && t.operator === 'Exists')).toBe(true);
    expect(list.map((t) => t.key)).toEqual(expect.arrayContaining(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']));
  });
});
