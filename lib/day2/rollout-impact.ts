import { isDeepStrictEqual } from 'node:util';
import { clusterDirOf } from '../gitops/layout';
import { objectsUnder, type Tree, type TreeObject } from './tree';

/** Which host file of a bootstrap configuration tells what changed, in words. */
const HOST_FILES: ReadonlyArray<[RegExp, string]> = [
  [/kubeletconfiguration/, 'kubelet configuration'],
  [/sysctl/, 'sysctls'],
  [/modules-load/, 'kernel modules'],
  [/containerd/, 'containerd configuration'],
  [/journald/, 'journald configuration'],
  [/haproxy/, 'HAProxy configuration'],
  [/keepalived/, 'keepalived configuration'],
  [/audit/, 'audit policy'],
  [/authentication/, 'authentication configuration'],
];

type Files = Array<{ path: string; content?: string }>;

/** What differs between two kubeadm config specs, in words (host files named by purpose). */
function bootstrapChanges(before: any, after: any): string[] {
  const files = (s: any): Map<string, string | undefined> => new Map(((s?.files ?? []) as Files).map((f) => [f.path, f.content]));
  const a = files(before);
  const b = files(after);
  const out = new Set<string>();
  for (const path of new Set([...a.keys(), ...b.keys()]))
    if (a.get(path) !== b.get(path)) out.add(HOST_FILES.find(([re]) => re.test(path))?.[1] ?? `file ${path}`);
  const rest = (s: any) => ({ ...(s ?? {}), files: undefined });
  if (!isDeepStrictEqual(rest(before), rest(after))) out.add('kubeadm configuration');
  return [...out];
}

/** What differs between two machine template specs, in words. */
function machineChanges(before: any, after: any): string[] {
  const out: string[] = [];
  if (!isDeepStrictEqual(before?.image, after?.image)) out.push('image');
  if (before?.flavor !== after?.flavor) out.push('flavor');
  const rest = (s: any) => ({ ...(s ?? {}), image: undefined, flavor: undefined });
  if (!isDeepStrictEqual(rest(before), rest(after))) out.push('machine template');
  return out;
}

function byRef(objects: readonly TreeObject[], kind: string | undefined, name: string | undefined): any {
  return objects.find((o) => o.kind === kind && o.name === name)?.obj.spec;
}

interface Roll {
  readonly reasons: string[];
}

/** Why machines of one owner (control plane or MachineDeployment) are replaced, or none. */
function rollReasons(before: readonly TreeObject[], after: readonly TreeObject[], old: any, now: any, bootstrapInline: boolean): Roll {
  const reasons: string[] = [];
  const version = (s: any) => (bootstrapInline ? s?.version : s?.template?.spec?.version);
  if (version(old) !== version(now)) reasons.push(`version ${version(old)} → ${version(now)}`);
  const infra = (s: any) => (bootstrapInline ? s?.machineTemplate?.spec?.infrastructureRef : s?.template?.spec?.infrastructureRef);
  if (infra(old)?.name !== infra(now)?.name) {
    const changes = machineChanges(byRef(before, infra(old)?.kind, infra(old)?.name)?.template?.spec, byRef(after, infra(now)?.kind, infra(now)?.name)?.template?.spec);
    reasons.push(...(changes.length ? changes : ['machine template']).map((c) => `${c} changed`));
  }
  if (bootstrapInline) {
    for (const c of bootstrapChanges(old?.kubeadmConfigSpec, now?.kubeadmConfigSpec)) reasons.push(`${c} changed`);
  } else {
    const ref = (s: any) => s?.template?.spec?.bootstrap?.configRef;
    if (ref(old)?.name !== ref(now)?.name) {
      const changes = bootstrapChanges(byRef(before, ref(old)?.kind, ref(old)?.name)?.template?.spec, byRef(after, ref(now)?.kind, ref(now)?.name)?.template?.spec);
      reasons.push(...(changes.length ? changes : ['bootstrap configuration']).map((c) => `${c} changed`));
    }
    if (old?.template?.spec?.failureDomain !== now?.template?.spec?.failureDomain) reasons.push('failure domain changed');
  }
  // A version change is reported once even when the template hashes moved with it.
  return { reasons: [...new Set(reasons)] };
}

const MIN = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
const MAX = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';

/** Machines of a MachineDeployment: its replicas, or its autoscaling bounds. */
function size(md: TreeObject): { min: number; max: number } {
  const a = md.obj.metadata.annotations ?? {};
  if (a[MAX] !== undefined) return { min: Number(a[MIN] ?? 0), max: Number(a[MAX]) };
  const r = Number(md.obj.spec?.replicas ?? 1);
  return { min: r, max: r };
}

const machines = ({ min, max }: { min: number; max: number }) => (min === max ? `${max} machines` : `${min}-${max} machines`);

/**
 * The rollout impact of `previous` → `next`, one line per control plane and pool that replaces
 * machines (`prod/eu-west-1 pool general: 3-30 machines roll: kubelet configuration changed`), and
 * per scale change (`... scales 3 → 5 machines (no roll)`), sorted by cluster.
 */
export function rolloutImpact(previous: Tree, next: Tree): string[] {
  const clusters = new Set([...next.keys()].filter((f) => /^[^/]+\/[^/]+\/cluster\//.test(f)).map(clusterDirOf));
  const out: string[] = [];
  for (const dir of [...clusters].sort()) {
    const before = objectsUnder(previous, `${dir}/cluster`);
    const after = objectsUnder(next, `${dir}/cluster`);
    if (before.length === 0) {
      out.push(`${dir}: new cluster (every machine is created)`);
      continue;
    }
    const kcpOld = before.find((o) => o.kind === 'KubeadmControlPlane');
    const kcpNew = after.find((o) => o.kind === 'KubeadmControlPlane');
    if (kcpOld && kcpNew) {
      const replicas = Number(kcpNew.obj.spec?.replicas ?? 1);
      const roll = rollReasons(before, after, kcpOld.obj.spec, kcpNew.obj.spec, true);
      if (roll.reasons.length) out.push(`${dir} control plane: ${replicas} machines roll: ${roll.reasons.join(', ')}`);
      const was = Number(kcpOld.obj.spec?.replicas ?? 1);
      if (was !== replicas) out.push(`${dir} control plane: scales ${was} → ${replicas} machines (no roll)`);
    }
    const pools = new Map<string, { reasons: Set<string>; min: number; max: number; wasMin: number; wasMax: number; added: boolean }>();
    const poolOf = (md: TreeObject) => md.obj.metadata?.labels?.['kprod.io/pool'] ?? md.name;
    for (const md of after.filter((o) => o.kind === 'MachineDeployment')) {
      const old = before.find((o) => o.kind === 'MachineDeployment' && o.name === md.name);
      const p = pools.get(poolOf(md)) ?? { reasons: new Set<string>(), min: 0, max: 0, wasMin: 0, wasMax: 0, added: true };
      const s = size(md);
      p.min += s.min;
      p.max += s.max;
      if (old) {
        p.added = false;
        const w = size(old);
        p.wasMin += w.min;
        p.wasMax += w.max;
        for (const r of rollReasons(before, after, old.obj.spec, md.obj.spec, false).reasons) p.reasons.add(r);
      }
      pools.set(poolOf(md), p);
    }
    for (const [pool, p] of [...pools.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (p.added) out.push(`${dir} pool ${pool}: new pool, ${machines(p)} created`);
      else {
        if (p.reasons.size) out.push(`${dir} pool ${pool}: ${machines(p)} roll: ${[...p.reasons].join(', ')}`);
        if (p.min !== p.wasMin || p.max !== p.wasMax) out.push(`${dir} pool ${pool}: scales ${machines({ min: p.wasMin, max: p.wasMax })} → ${machines(p)} (no roll)`);
      }
    }
    out.push(...ipPoolNotes(dir, before, after));
    const poolsBefore = new Set(before.filter((o) => o.kind === 'MachineDeployment').map(poolOf));
    for (const pool of [...poolsBefore].filter((p) => !pools.has(p)).sort()) out.push(`${dir} pool ${pool}: removed, its machines are drained and deleted`);
  }
  return out;
}

const ipv4 = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/**
 * Metal3 IPPools are updated in place; CAPM3's IPAM webhook (ip-address-manager v1.13.2
 * ValidateUpdate) refuses a range that no longer holds an address in use. A shrinking pool (fewer
 * control-plane machines) is therefore applied only once the removed machines released theirs.
 */
function ipPoolNotes(dir: string, before: readonly TreeObject[], after: readonly TreeObject[]): string[] {
  const out: string[] = [];
  for (const pool of after.filter((o) => o.kind === 'IPPool')) {
    const old = before.find((o) => o.kind === 'IPPool' && o.name === pool.name);
    const range = (o: TreeObject) => (o.obj.spec?.pools ?? []) as Array<{ start: string; end: string }>;
    if (!old) continue;
    const dropped = range(old).some((r) => !range(pool).some((n) => ipv4(n.start) <= ipv4(r.start) && ipv4(r.end) <= ipv4(n.end)));
    if (dropped)
      out.push(`${dir} control plane: IPPool ${pool.name} shrinks; CAPM3 refuses to drop addresses still in use, so the sync retries until the removed machines are gone (sync again if the retries run out)`);
  }
  return out;
}
