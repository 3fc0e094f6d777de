#!/usr/bin/env node
/**
 * Regenerates upstream/images.json from mirrors of the upstream repositories:
 * node scripts/refresh-image-facts.mjs <mirror-dir>   (<mirror-dir>/<owner>+<name>/repo are git mirrors)
 *
 * For every image pin and provider release in lib/versions (pins.ts, matrix.ts) it records that
 * the release exists upstream: the git tag (or, for Docker official images, the tag listed in
 * docker-library/official-images `library/<name>`), its commit and date. It fails when a tag is
 * missing. To bump a pin: change it in lib/versions and below, then run this script;
 * test/unit/versions/upstream-facts.test.ts checks that both agree.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CHECKED = '2026-12-01';
const tagged = (ref, repo, ref2 = ref) => ({ ref: ref2, repo });
/** `repository:tag` -> where its release is checked. */
export const IMAGES = {
  'ghcr.io/postfinance/kubelet-csr-approver:v1.2.14': tagged('v1.2.14', 'postfinance/kubelet-csr-approver'),
  'ghcr.io/kube-vip/kube-vip:v1.2.3': tagged('v1.2.3', 'kube-vip/kube-vip'),
  'docker.io/library/haproxy:3.4.3-alpine': { repo: 'docker-library/official-images', ref: 'master', library: 'haproxy' },
  'docker.io/library/busybox:1.37.0': { repo: 'docker-library/official-images', ref: 'master', library: 'busybox' },
  'docker.io/amazon/aws-cli:2.36.7': tagged('2.36.7', 'aws/aws-cli'),
  'cr.fluentbit.io/fluent/fluent-bit:4.2.8': tagged('v4.2.8', 'fluent/fluent-bit'),
  'registry.k8s.io/metrics-server/metrics-server:v0.9.0': tagged('v0.9.0', 'kubernetes-sigs/metrics-server'),
  'registry.k8s.io/node-problem-detector/node-problem-detector:v1.36.0': tagged('v1.36.0', 'kubernetes/node-problem-detector'),
  'registry.k8s.io/etcd:3.6.9-0': tagged('v3.6.9', 'etcd-io/etcd'),
  'registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2': tagged('cluster-autoscaler-1.35.2', 'kubernetes/autoscaler'),
  'registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1': tagged('cluster-autoscaler-1.36.1', 'kubernetes/autoscaler'),
};
/** Provider releases (manifests fetched by cluster-api-operator / the ORC install URL). */
export const RELEASES = {
  'kubernetes-sigs/cluster-api@v1.14.0': tagged('v1.14.0', 'kubernetes-sigs/cluster-api'),
  'kubernetes-sigs/cluster-api-provider-openstack@v0.14.7': tagged('v0.14.7', 'kubernetes-sigs/cluster-api-provider-openstack'),
  'metal3-io/cluster-api-provider-metal3@v1.13.2': tagged('v1.13.2', 'metal3-io/cluster-api-provider-metal3'),
  'k-orc/openstack-resource-controller@v2.6.0': tagged('v2.6.0', 'k-orc/openstack-resource-controller'),
};

const git = (dir, ...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();

function fact(mirrorDir, name, where) {
  const mirror = join(mirrorDir, where.repo.replace('/', '+'), 'repo');
  if (where.library) {
    // The official-images library file lists every supported tag; the fact is the commit that last changed it.
    const path = `library/${where.library}`;
    const tag = name.split(':').pop();
    const text = git(mirror, 'show', `refs/heads/${where.ref}:${path}`);
    const listed = text.split('\n').filter((l) => l.startsWith('Tags:')).some((l) => l.slice(5).split(',').map((t) => t.trim()).includes(tag));
    if (!listed) throw new Error(`${name}: tag ${tag} is not listed in ${where.repo} ${path}`);
    const [commit, date] = git(mirror, 'log', '-1', '--format=%H %cs', `refs/heads/${where.ref}`, '--', path).split(' ');
    return { source: where.repo, ref: `${where.ref}:${path}`, commit, date, checked: CHECKED };
  }
  const [commit, date] = git(mirror, 'log', '-1', '--format=%H %cs', `refs/tags/${where.ref}^{commit}`).split(' ');
  return { source: where.repo, ref: where.ref, commit, date, checked: CHECKED };
}

const mirrorDir = process.argv[2];
if (!mirrorDir) {
  console.error('usage: node scripts/refresh-image-facts.mjs <mirror-dir>  (holding <owner>+<name>/repo git mirrors)');
  process.exit(2);
}
const build = (table) => Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)).map(([name, where]) => [name, fact(mirrorDir, name, where)]));
const facts = { checked: CHECKED, images: build(IMAGES), releases: build(RELEASES) };
writeFileSync(new URL('../upstream/images.json', import.meta.url), `${JSON.stringify(facts, null, 2)}\n`);
for (const [name, f] of [...Object.entries(facts.images), ...Object.entries(facts.releases)]) console.log(`${name}: ${f.source} ${f.ref} ${f.commit.slice(0, 12)} ${f.date}`);
