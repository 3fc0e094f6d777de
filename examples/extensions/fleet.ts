/**
 * The example fleet with two extensions: the prod cluster gets cert-manager
 * (`extensions.cert-manager`, from the capability in ./cert-manager.ts) and a JSON patch (the
 * escape hatch: `patches[]`, RFC 6902) that runs metrics-server with three replicas and labels
 * the CNI's Argo CD Application.
 *
 *   kprod synth --spec examples/extensions/fleet.ts --plugin examples/extensions/cert-manager.ts
 */
import { defineFleet, type FleetInput } from '../../lib/spec';
import base from '../fleet';

const [prod, ...others] = base.environments;
const [euWest1, ...otherClusters] = prod.clusters;

export default defineFleet({
  ...base,
  environments: [
    {
      ...prod,
      clusters: [
        {
          ...euWest1,
          extensions: { 'cert-manager': { acme: { email: 'platform@example.com' } } },
          patches: [
            { target: { kind: 'Deployment', name: 'metrics-server', namespace: 'kube-system' }, patch: [{ op: 'replace', path: '/spec/replicas', value: 3 }] },
            { target: { kind: 'Application', name: 'eu-west-1-cni', namespace: 'argocd' }, patch: [{ op: 'add', path: '/metadata/labels/team', value: 'network' }] },
          ],
        },
        ...otherClusters,
      ],
    },
    ...others,
  ],
} satisfies FleetInput);
