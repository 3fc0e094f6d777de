#!/usr/bin/env node
// Refreshes upstream/day2/update-rules.json: the upstream update (admission) rules kprod's day-2
// transition rules rely on, read from bare git clones of the upstream repositories at pinned tags.
//
//   node scripts/refresh-day2-facts.mjs --capi DIR --capo DIR --capm3 DIR --argocd DIR [--date YYYY-MM-DD]
//
// Each DIR is a git directory (a bare clone is enough). The script fails when a fact it records can
// no longer be found at the tag, so an upstream change is noticed instead of silently recorded.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PINS = {
  capi: { repo: 'kubernetes-sigs/cluster-api', tag: 'v1.14.0' },
  capo: { repo: 'kubernetes-sigs/cluster-api-provider-openstack', tag: 'v0.14.7' },
  capm3: { repo: 'metal3-io/cluster-api-provider-metal3', tag: 'v1.13.2' },
  argocd: { repo: 'argoproj/argo-cd', tag: 'v3.5.1' },
};
// OpenStackCluster spec fields CAPO's ValidateUpdate blanks before comparing (JSON path → the Go
// statement that blanks it), each when its parent is on both sides (managedSecurityGroups: on the new side).
const OSC_MUTABLE = {
  identityRef: 'oldObj.Spec.IdentityRef = ',
  bastion: 'oldObj.Spec.Bastion = ',
  'managedSecurityGroups.allNodesSecurityGroupRules': 'oldObj.Spec.ManagedSecurityGroups.AllNodesSecurityGroupRules = ',
  'managedSecurityGroups.controlPlaneNodesSecurityGroupRules': 'oldObj.Spec.ManagedSecurityGroups.ControlPlaneNodesSecurityGroupRules = ',
  'managedSecurityGroups.workerNodesSecurityGroupRules': 'oldObj.Spec.ManagedSecurityGroups.WorkerNodesSecurityGroupRules = ',
  'managedSecurityGroups.allowAllInClusterTraffic': 'oldObj.Spec.ManagedSecurityGroups.AllowAllInClusterTraffic = ',
  'managedSubnets[].dnsNameservers': 'oldSubnet.DNSNameservers = nil',
  'apiServerLoadBalancer.allowedCIDRs': 'oldObj.Spec.APIServerLoadBalancer.AllowedCIDRs = ',
  'apiServerLoadBalancer.monitor': 'oldObj.Spec.APIServerLoadBalancer.Monitor = ',
  controlPlaneAvailabilityZones: 'oldObj.Spec.ControlPlaneAvailabilityZones = ',
  controlPlaneOmitAvailabilityZone: 'oldObj.Spec.ControlPlaneOmitAvailabilityZone = ',
};
// Fields it blanks only while the old object has not set them yet (JSON path → [condition, Go statement]).
const OSC_SETTABLE_ONCE = {
  controlPlaneEndpoint: ['while the old endpoint is unset or has no host', 'newObj.Spec.ControlPlaneEndpoint = nil'],
  apiServerFixedIP: ['while unset and the old object disables the API server floating IP', 'newObj.Spec.APIServerFixedIP = nil'],
  apiServerPort: ['while unset and the old object disables the API server floating IP', 'newObj.Spec.APIServerPort = nil'],
};
// Fields it blanks only when the new value matches the old object's status (never in a tree).
const OSC_BY_STATUS = { apiServerFloatingIP: 'newObj.Spec.APIServerFloatingIP = nil', network: 'newObj.Spec.Network = nil', subnets: 'newObj.Spec.Subnets = nil' };

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const git = (dir, ...rest) => execFileSync('git', ['-C', dir, ...rest], { encoding: 'utf8', maxBuffer: 64 << 20 });
const show = (key, path) => git(args[key], 'show', `${PINS[key].tag}:${path}`);
const source = (key) => ({ repo: PINS[key].repo, tag: PINS[key].tag, commit: git(args[key], 'rev-parse', `${PINS[key].tag}^{commit}`).trim() });
function must(condition, what) {
  if (!condition) throw new Error(`refresh-day2-facts: ${what} not found upstream; review lib/day2 before recording`);
}
for (const key of Object.keys(PINS)) must(args[key], `--${key} DIR`);

// Cluster API: KubeadmControlPlane ValidateUpdate allowed paths, with the string constants resolved.
const kcp = show('capi', 'controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane.go');
const update = kcp.slice(kcp.indexOf('ValidateUpdate('));
const consts = Object.fromEntries([...kcp.matchAll(/(\w+)\s*:?=\s*"([\w.]+)"/g)].map((m) => [m[1], m[2]]));
const block = update.slice(update.indexOf('allowedPaths := [][]string{'), update.indexOf('\n\t}\n'));
const allowedPaths = [...block.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1].split(',').map((t) => t.trim()).map((t) => (t.startsWith('"') ? t.slice(1, -1) : consts[t] ?? `?${t}`)).join('.'));
must(allowedPaths.length > 40 && !allowedPaths.some((p) => p.includes('?')), 'KubeadmControlPlane allowedPaths');
must(/Minor:\s*fromVersion\.Minor \+ 2/.test(kcp), 'KubeadmControlPlane one-minor version rule');
must(kcp.includes('cannot change between external and local etcd'), 'KubeadmControlPlane etcd topology rule');
const md = show('capi', 'core/webhooks/admission/machinedeployment.go');
const mhc = show('capi', 'core/webhooks/admission/machinehealthcheck.go');
const immutable = (text) => /specPath\.Child\("clusterName"\),?\s*"field is immutable"/.test(text);
must(immutable(md) && immutable(mhc), 'MachineDeployment / MachineHealthCheck clusterName rule');
const gate = /MachineSetPreflightChecks:\s*\{Default:\s*(true|false)/.exec(show('capi', 'feature/feature.go'));
must(gate, 'MachineSetPreflightChecks feature gate');
must(show('capi', 'api/core/v1beta2/common_types.go').includes('"machineset.cluster.x-k8s.io/skip-preflight-checks"'), 'skip-preflight-checks annotation');

// CAPO: OpenStackMachineTemplate spec.template.spec immutable; OpenStackCluster spec immutable but these.
must(show('capo', 'pkg/webhooks/openstackmachinetemplate_webhook.go').includes('spec.template.spec field is immutable'), 'OpenStackMachineTemplate immutability');
const osc = show('capo', 'pkg/webhooks/openstackcluster_webhook.go');
for (const [field, go] of Object.entries(OSC_MUTABLE)) must(osc.includes(go), `OpenStackCluster mutable field ${field}`);
for (const [field, [, go]] of Object.entries(OSC_SETTABLE_ONCE)) must(osc.includes(go), `OpenStackCluster settable-once field ${field}`);
for (const [field, go] of Object.entries(OSC_BY_STATUS)) must(osc.includes(go), `OpenStackCluster status-dependent field ${field}`);
must(osc.includes('field.Forbidden(field.NewPath("spec"), "cannot be modified")'), 'OpenStackCluster spec immutability');

// CAPM3: Metal3DataTemplate metaData/networkData immutable; Metal3MachineTemplate updates validated like creates.
const m3dt = show('capm3', 'internal/webhooks/v1beta2/metal3datatemplate_webhook.go');
must(m3dt.includes('newM3dt.Spec.MetaData, oldM3dt.Spec.MetaData') && m3dt.includes('newM3dt.Spec.NetworkData, oldM3dt.Spec.NetworkData'), 'Metal3DataTemplate immutability');
must(/ValidateUpdate\(_ context\.Context, _, newObj/.test(show('capm3', 'internal/webhooks/v1beta2/metal3machinetemplate_webhook.go')), 'Metal3MachineTemplate update rule');

// Argo CD: PruneLast per resource, sync windows with manualSync.
must(show('argocd', 'docs/user-guide/sync-options.md').includes('argocd.argoproj.io/sync-options: PruneLast=true'), 'Argo CD PruneLast');
must(show('argocd', 'docs/user-guide/sync_windows.md').includes('manual syncs'), 'Argo CD sync windows');
// Argo CD: what the layout switch and manifest-generate-paths rely on (lib/day2/argocd-moves.ts, lib/gitops/argocd-annotations.ts).
const annotations = show('argocd', 'pkg/apis/application/v1alpha1/application_annotations.go');
const generatePaths = /AnnotationKeyManifestGeneratePaths\s*=\s*"([^"]+)"/.exec(annotations);
must(generatePaths, 'Argo CD manifest-generate-paths annotation');
const appPath = show('argocd', 'util/app/path/path.go');
must(appPath.includes('filepath.Clean(filepath.Join(source.Path, item))'), 'manifest-generate-paths relative to source.path');
must(appPath.includes('security.EnforceToCurrentRoot(item, f)'), 'manifest-generate-paths prefix match');
must(show('argocd', 'reposerver/repository/repository.go').includes('if repo.Type != "git" && len(request.RefSources) == 0 {'), 'manifest-generate-paths for git sources only');
const missingPath = /ErrMessageAppPathDoesNotExist = "([^"]+)"/.exec(appPath);
must(missingPath, 'app path does not exist error');
must(/isPruningDisabled\(liveObj, sc\.defaultPruneOption\)/.test(show('argocd', 'gitops-engine/pkg/sync/sync_context.go')), 'Prune=false read from the live object');
const finalizer = /ResourcesFinalizerName string = "([^"]+)"/.exec(show('argocd', 'pkg/apis/application/v1alpha1/application_defaults.go'));
must(finalizer && show('argocd', 'controller/appcontroller.go').includes('if app.CascadedDeletion() {'), 'Application cascading deletion finalizer');
const tracking = /if tm == "" \{\s*return string\(v1alpha1\.(\w+)\), nil/.exec(show('argocd', 'util/settings/settings.go'));
must(tracking, 'default resource tracking method');

const facts = {
  checked: args.date ?? new Date().toISOString().slice(0, 10),
  sources: Object.fromEntries(Object.keys(PINS).map((k) => [k, source(k)])),
  clusterApi: {
    kubeadmControlPlaneUpdateAllowedPaths: allowedPaths,
    kubeadmControlPlaneVersionStep: 'at most one minor up per update; downgrades not checked',
    kubeadmControlPlaneEtcdTopologySwitch: 'forbidden',
    machineDeploymentImmutable: ['spec.clusterName'],
    machineHealthCheckImmutable: ['spec.clusterName'],
    machineSetPreflightChecksDefault: gate[1] === 'true',
    skipPreflightChecksAnnotation: 'machineset.cluster.x-k8s.io/skip-preflight-checks',
  },
  capo: {
    openStackMachineTemplateImmutable: ['spec.template.spec'],
    openStackClusterMutable: Object.keys(OSC_MUTABLE),
    openStackClusterSettableOnce: Object.fromEntries(Object.entries(OSC_SETTABLE_ONCE).map(([field, [when]]) => [field, when])),
    openStackClusterMutableByStatus: Object.keys(OSC_BY_STATUS),
  },
  capm3: {
    metal3DataTemplateImmutable: ['spec.metaData', 'spec.networkData'],
    metal3MachineTemplateUpdate: 'validated as on create (no field immutable)',
  },
  argoCd: {
    pruneLastAnnotation: 'argocd.argoproj.io/sync-options: PruneLast=true',
    syncWindowManualSync: true,
    manifestGeneratePathsAnnotation: generatePaths[1],
    manifestGeneratePaths: 'semicolon-separated; relative to source.path ("/" for the repository root); a changed file under a path (prefix) or matching it (glob) refreshes; git sources only',
    pruneDisabled: 'argocd.argoproj.io/sync-options: Prune=false, read from the live object when pruning',
    cascadingDeletionFinalizer: finalizer[1],
    defaultTrackingMethod: tracking[1] === 'TrackingMethodAnnotation' ? 'annotation' : tracking[1],
    missingAppPathError: missingPath[1],
  },
};
const out = join(dirname(fileURLToPath(import.meta.url)), '../upstream/day2/update-rules.json');
writeFileSync(out, `${JSON.stringify(facts, null, 2)}\n`);
console.log(`refresh-day2-facts: wrote ${out} (${allowedPaths.length} KubeadmControlPlane allowed paths)`);
