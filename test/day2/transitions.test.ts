import { parseFleet } from '../../lib/spec';
import { versionsNamedIn } from '../../lib/day2/image-version';
import { exampleFleet } from '../helpers/fleet';
import { literal, minorStep, patchStep, PROD_BEFORE, PROD_NOW, STAGING_NEXT, STAGING_NOW } from '../helpers/versions';
import { atVersion, edited, exampleTree, prod, refusals, staging, withLiveObject, withRunningVersion } from './helpers';

describe('transition rules against the previous tree', () => {
  it('accepts one minor up on OpenStack and on Metal3, and a patch step', () => {
    expect(refusals(atVersion(prod, PROD_BEFORE), exampleTree())).toEqual([]);
    expect(refusals(exampleTree(), atVersion(staging, STAGING_NEXT))).toEqual([]);
    expect(refusals(atVersion(prod, patchStep(PROD_NOW, -1)), exampleTree())).toEqual([]);
  });

  it('refuses a skipped minor with the path of the version', () => {
    // A live control plane two minors down (end of life, so only an old tree can hold it).
    const running = `${minorStep(PROD_NOW, -2)}.4`;
    const previous = { ...exampleTree(), tree: withRunningVersion(exampleTree().tree, 'prod', 'eu-west-1', running) };
    expect(refusals(previous, exampleTree())).toEqual([
      `environments[0].clusters[0].kubernetesVersion: skips a minor from the running control plane v${running}; upgrade one minor at a time: set ${minorStep(PROD_NOW, -1)}.x, let the rollout finish, then the next (got "${PROD_NOW}")`,
    ]);
  });

  it('refuses a downgrade, minor or patch, on Metal3 too (no upstream rule stops it there)', () => {
    const minor = refusals(atVersion(staging, STAGING_NEXT), exampleTree());
    expect(minor).toEqual([
      expect.stringMatching(new RegExp(`^environments\\[1\\]\\.clusters\\[0\\]\\.kubernetesVersion: is older than the running control plane ${literal(`v${STAGING_NEXT}`)}; Kubernetes cannot be downgraded in place .* ${literal(`(got "${STAGING_NOW}")`)}$`)),
    ]);
    const patch = refusals(exampleTree(), atVersion(staging, patchStep(STAGING_NOW, -1)));
    expect(patch).toEqual([expect.stringMatching(/^environments\[1\]\.clusters\[0\]\.kubernetesVersion: is older than/)]);
    const prodMinor = refusals(exampleTree(), atVersion(prod, PROD_BEFORE));
    expect(prodMinor).toEqual([expect.stringMatching(new RegExp(`^environments\\[0\\]\\.clusters\\[0\\]\\.kubernetesVersion: is older than the running control plane ${literal(`v${PROD_NOW}`)};`))]);
  });

  it('refuses switching etcd between stacked and external (KubeadmControlPlane webhook)', () => {
    const next = edited((f) => {
      prod(f).controlPlane.etcd = { topology: 'stacked' };
    });
    expect(refusals(exampleTree(), next)).toEqual([expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.controlPlane\.etcd\.topology: the running cluster uses external etcd; .*build a new cluster/)]);
  });

  it('refuses changing the pod or service network of a running cluster', () => {
    const next = edited((f) => {
      staging(f).network.podCidr = '172.22.0.0/16';
    });
    expect(refusals(exampleTree(), next)).toEqual([expect.stringMatching(/^environments\[1\]\.clusters\[0\]\.network\.podCidr: differs from the running cluster's \["172\.20\.0\.0\/16"\]; .* \(got "172\.22\.0\.0\/16"\)$/)]);
  });

  it('refuses moving the API endpoint (VIP on OpenStack: OpenStackCluster apiServerFixedIP is immutable)', () => {
    const host = edited((f) => {
      prod(f).controlPlane.endpoint.dnsNames = ['api2.eu-west-1.example.com'];
    });
    expect(refusals(exampleTree(), host)).toEqual([expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.controlPlane\.endpoint: moves the API endpoint of the running cluster from api\.eu-west-1\.prod\.example\.com:8443/)]);
    const vip = edited((f) => {
      prod(f).controlPlane.endpoint.vip = '10.10.16.11';
    });
    expect(refusals(exampleTree(), vip)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.controlPlane\.endpoint: changes OpenStackCluster spec\.apiServerFixedIP of the running cluster, which CAPO's webhook refuses/)]),
    );
  });

  it('a failure domain added is accepted (controlPlaneAvailabilityZones may change)', () => {
    const next = edited((f) => {
      prod(f).failureDomains = ['az1', 'az2', 'az3', 'az4'];
    });
    expect(refusals(exampleTree(), next)).toEqual([]);
  });

  it('a new cluster has no previous state and no transition', () => {
    const next = edited((f) => {
      f.environments[1].clusters[0].name = 'dc2';
    });
    expect(refusals(exampleTree(), next)).toEqual([]);
  });
});

describe('CAPO OpenStackCluster update rules (v0.14.7 webhook, as kprod check ports it)', () => {
  it('refuses an immutable infrastructure field at infrastructure, naming each field', () => {
    const next = edited((f) => {
      prod(f).infrastructure.externalNetworkId = 'ext-net-1';
    });
    const refused = refusals(exampleTree(), next);
    expect(refused.map((r) => r.replace(/, which CAPO's webhook refuses .*$/, ''))).toEqual([
      'environments[0].clusters[0].infrastructure: changes OpenStackCluster spec.disableExternalNetwork of the running cluster',
      'environments[0].clusters[0].infrastructure: changes OpenStackCluster spec.externalNetwork of the running cluster',
    ]);
    expect(refused[0]).toMatch(/\(only identityRef, bastion, .*control-plane availability zones may change\): revert it, or build a new cluster \(got \{/);
  });

  it("refuses what the webhook refuses beyond the immutable fields: a live enabled bastion the new tree drops", () => {
    const previous = { ...exampleTree(), tree: withLiveObject(exampleTree().tree, 'prod', 'eu-west-1', 'OpenStackCluster', (osc) => (osc.spec.bastion = { enabled: true })) };
    expect(refusals(previous, exampleTree())).toEqual([
      expect.stringMatching(/^environments\[0\]\.clusters\[0\]\.infrastructure: changes OpenStackCluster spec\.bastion of the running cluster in a way CAPO's webhook refuses \(cannot be removed before disabling it\): revert it, or build a new cluster/),
    ]);
    const disabled = { ...exampleTree(), tree: withLiveObject(exampleTree().tree, 'prod', 'eu-west-1', 'OpenStackCluster', (osc) => (osc.spec.bastion = { enabled: false })) };
    expect(refusals(disabled, exampleTree())).toEqual([]);
  });
});

describe('the node image follows the version (spec rule)', () => {
  const errors = (edit: (f: any) => void) => {
    const f = exampleFleet();
    edit(f);
    try {
      parseFleet(f);
      return [];
    } catch (e: any) {
      return (e.issues as any[]).filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
    }
  };

  it('finds the versions an image names', () => {
    expect(versionsNamedIn('ubuntu-2404-kube-v1.33.4')).toEqual(['1.33.4']);
    expect(versionsNamedIn('http://x/ubuntu-2404-kube-1.34.1.raw')).toEqual(['1.34.1']);
    expect(versionsNamedIn('flatcar-4081.2.1')).toEqual([]);
  });

  it('refuses a version bump that forgets the OpenStack imageName, the Metal3 imageUrl or a pool image', () => {
    expect(errors((f) => (prod(f).kubernetesVersion = PROD_BEFORE))).toEqual([
      expect.stringMatching(new RegExp(`^environments\\[0\\]\\.clusters\\[0\\]\\.infrastructure\\.imageName: names Kubernetes ${literal(PROD_NOW)} but the cluster runs ${literal(PROD_BEFORE)}`)),
    ]);
    expect(errors((f) => (staging(f).kubernetesVersion = STAGING_NEXT))).toEqual([
      expect.stringMatching(new RegExp(`^environments\\[1\\]\\.clusters\\[0\\]\\.infrastructure\\.imageUrl: names Kubernetes ${literal(STAGING_NOW)} but the cluster runs ${literal(STAGING_NEXT)}`)),
    ]);
    expect(errors((f) => (prod(f).nodePools[1].image = `ubuntu-2404-kube-v${PROD_BEFORE}`))).toEqual([
      expect.stringMatching(new RegExp(`^environments\\[0\\]\\.clusters\\[0\\]\\.nodePools\\[1\\]\\.image: names Kubernetes ${literal(PROD_BEFORE)} but`)),
    ]);
  });

  it('an image that names no version is a warning, not an error', () => {
    const f = exampleFleet();
    prod(f).infrastructure.imageName = 'golden-image';
    const { warnings } = parseFleet(f);
    expect(warnings.map((w) => w.path)).toContain('environments[0].clusters[0].infrastructure.imageName');
  });
});
