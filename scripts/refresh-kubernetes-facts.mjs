#!/usr/bin/env node
/**
 * Regenerates upstream/kubernetes.json, the facts behind lib/versions/matrix.ts, from mirrors:
 * node scripts/refresh-kubernetes-facts.mjs <mirror-dir>   (<mirror-dir>/<owner>+<name>/repo)
 *
 * Per Kubernetes minor: the x.y.0 release date (kubernetes/sig-release
 * releases/release-x.y/README.md), the newest patch the autoscaler release of that minor builds
 * with (kubernetes/autoscaler `cluster-autoscaler/go.mod`, `k8s.io/kubernetes`), and whether the
 * newest Cluster API release lists the minor (docs/book/src/reference/versions.md at its tag).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CHECKED = '2026-12-01';
const MINORS = ['1.35', '1.36', '1.37'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

const repoDir = (mirrorDir, repo) => join(mirrorDir, repo.replace('/', '+'), 'repo');
const git = (dir, ...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();
const commitOf = (dir, ref) => git(dir, 'rev-parse', `${ref}^{commit}`);

function releaseDate(mirrorDir, minor) {
  const dir = repoDir(mirrorDir, 'kubernetes/sig-release');
  const path = `releases/release-${minor}/README.md`;
  const text = git(dir, 'show', `HEAD:${path}`);
  const m = text.match(new RegExp(`(\\d{1,2})(?:st|nd|rd|th)? (${MONTHS.join('|')}) (\\d{4})[^\\n]*?v${minor.replace('.', '\\.')}\\.0 released`, 'i'));
  if (!m) throw new Error(`no v${minor}.0 release date in kubernetes/sig-release ${path}`);
  const date = `${m[3]}-${String(MONTHS.indexOf(m[2].toLowerCase()) + 1).padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return { date, source: { repo: 'kubernetes/sig-release', path, commit: commitOf(dir, 'HEAD') } };
}

function latestPatch(mirrorDir, minor) {
  const dir = repoDir(mirrorDir, 'kubernetes/autoscaler');
  const tags = git(dir, 'tag', '-l', `cluster-autoscaler-${minor}.*`).split('\n').filter((t) => /^cluster-autoscaler-\d+\.\d+\.\d+$/.test(t));
  if (!tags.length) return undefined;
  const newest = tags.sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop())).pop();
  const gomod = git(dir, 'show', `${newest}:cluster-autoscaler/go.mod`);
  const v = gomod.match(/^\s*k8s\.io\/kubernetes v(\d+\.\d+\.\d+)\s*$/m)?.[1];
  return v && { version: v, source: { repo: 'kubernetes/autoscaler', ref: newest, path: 'cluster-autoscaler/go.mod', commit: commitOf(dir, newest) } };
}

function clusterApiSupport(mirrorDir) {
  const dir = repoDir(mirrorDir, 'kubernetes-sigs/cluster-api');
  const releases = git(dir, 'tag', '-l', 'v1.*').split('\n').filter((t) => /^v1\.\d+\.\d+$/.test(t));
  const newest = releases.sort((a, b) => a.slice(1).split('.').map(Number).reduce((d, n, i) => d || n - b.slice(1).split('.').map(Number)[i], 0)).pop();
  const minor = newest.split('.').slice(0, 2).join('.');
  const path = 'docs/book/src/reference/versions.md';
  const lines = git(dir, 'show', `${newest}:${path}`).split('\n');
  const start = lines.findIndex((l) => l.startsWith('### Core provider'));
  const header = lines.slice(start).find((l) => l.startsWith('|') && l.includes(minor));
  const col = header.split('|').findIndex((c) => c.trim().startsWith(minor));
  const workload = {};
  for (const l of lines.slice(start)) {
    const m = l.match(/^\| Kubernetes v(\d+\.\d+)\s*\|/);
    if (m) workload[m[1]] = (l.split('|')[col] ?? '').includes('✓');
    else if (Object.keys(workload).length && !l.startsWith('|')) break;
  }
  return { release: newest, source: { repo: 'kubernetes-sigs/cluster-api', ref: newest, path, commit: commitOf(dir, newest) }, workload };
}

const mirrorDir = process.argv[2];
if (!mirrorDir) {
  console.error('usage: node scripts/refresh-kubernetes-facts.mjs <mirror-dir>');
  process.exit(2);
}
const capi = clusterApiSupport(mirrorDir);
const minors = Object.fromEntries(
  MINORS.map((minor) => {
    const released = releaseDate(mirrorDir, minor);
    const patch = latestPatch(mirrorDir, minor);
    return [minor, { released: released.date, releasedSource: released.source, latestPatch: patch?.version ?? null, latestPatchSource: patch?.source ?? null, clusterApiWorkload: capi.workload[minor] ?? false }];
  }),
);
const facts = { checked: CHECKED, clusterApi: { release: capi.release, source: capi.source }, minors };
writeFileSync(new URL('../upstream/kubernetes.json', import.meta.url), `${JSON.stringify(facts, null, 2)}\n`);
console.log(`Cluster API ${capi.release}: workload minors ${Object.entries(capi.workload).filter(([, v]) => v).map(([k]) => k).join(', ')}`);
for (const [minor, f] of Object.entries(minors)) console.log(`${minor}: released ${f.released}, newest patch ${f.latestPatch ?? 'none found'}, Cluster API ${f.clusterApiWorkload ? 'yes' : 'no'}`);
