// fengari: a Lua VM in JavaScript (no types published).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lua: L, lauxlib, lualib, to_luastring } = require('fengari');
import { CLUSTER_API_HEALTH_CHECKS, CLUSTER_HEALTH_LUA, KCP_HEALTH_LUA, MD_HEALTH_LUA } from '../../lib/day2/health-checks';

/** A JSON value as a Lua table literal, the way Argo CD hands a live object to a health script. */
function lua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (Array.isArray(value)) return `{${value.map(lua).join(', ')}}`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `[${JSON.stringify(k)}] = ${lua(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}

/** Runs a health script on `obj` in a fresh Lua state and returns its `{ status, message }`. */
async function health(script: string, obj: unknown): Promise<{ status: string; message: string }> {
  const state = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(state);
  // Argo CD's gopher-lua is Lua 5.1 and fengari 5.3: the scripts keep to what both share.
  const source = `obj = ${lua(obj)}\n${script}`;
  if (lauxlib.luaL_loadstring(state, to_luastring(source)) !== L.LUA_OK || L.lua_pcall(state, 0, 1, 0) !== L.LUA_OK)
    throw new Error(`lua: ${L.lua_tojsstring(state, -1)}`);
  const field = (name: string) => {
    L.lua_getfield(state, -1, to_luastring(name));
    const v = L.lua_tojsstring(state, -1);
    L.lua_pop(state, 1);
    return v;
  };
  return { status: field('status'), message: field('message') };
}

const cond = (type: string, status: string, extra: Record<string, string> = {}) => ({ type, status, ...extra });

const kcp = (status: unknown, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'KubeadmControlPlane',
  metadata: { name: 'c-control-plane', generation: 4 },
  spec: { replicas: 3, version: 'v1.34.2', ...spec },
  status,
});

describe('KubeadmControlPlane health (Lua)', () => {
  it('done: 3 of 3 up to date, available, every machine at spec.version', async () => {
    const done = { observedGeneration: 4, replicas: 3, upToDateReplicas: 3, readyReplicas: 3, availableReplicas: 3, versions: [{ version: 'v1.34.2', replicas: 3 }], conditions: [cond('Available', 'True'), cond('RollingOut', 'False')] };
    expect(await health(KCP_HEALTH_LUA, kcp(done))).toEqual({ status: 'Healthy', message: '3 machines at v1.34.2' });
  });

  it('rolling: a surge machine at the new version, two at the old one', async () => {
    const rolling = { observedGeneration: 4, replicas: 4, upToDateReplicas: 1, availableReplicas: 4, versions: [{ version: 'v1.33.4', replicas: 3 }, { version: 'v1.34.2', replicas: 1 }], conditions: [cond('Available', 'True'), cond('RollingOut', 'True')] };
    expect(await health(KCP_HEALTH_LUA, kcp(rolling))).toEqual({ status: 'Progressing', message: 'rolling out: 1/3 machines up to date' });
  });

  it('not yet observed: the old status of a spec the controller has not seen is never healthy', async () => {
    const stale = { observedGeneration: 3, replicas: 3, upToDateReplicas: 3, availableReplicas: 3, versions: [{ version: 'v1.33.4', replicas: 3 }], conditions: [cond('Available', 'True')] };
    expect((await health(KCP_HEALTH_LUA, kcp(stale))).status).toBe('Progressing');
    expect((await health(KCP_HEALTH_LUA, kcp(undefined))).status).toBe('Progressing');
  });

  it('all up to date but one machine still reports the old version: progressing', async () => {
    const mixed = { observedGeneration: 4, replicas: 3, upToDateReplicas: 3, availableReplicas: 3, versions: [{ version: 'v1.33.4', replicas: 1 }, { version: 'v1.34.2', replicas: 2 }], conditions: [cond('Available', 'True'), cond('RollingOut', 'False')] };
    expect(await health(KCP_HEALTH_LUA, kcp(mixed))).toEqual({ status: 'Progressing', message: 'not every machine runs v1.34.2' });
  });

  it('failed: not available and nothing rolling or remediating', async () => {
    const failed = { observedGeneration: 4, replicas: 3, upToDateReplicas: 3, availableReplicas: 1, versions: [{ version: 'v1.34.2', replicas: 3 }], conditions: [cond('Available', 'False', { reason: 'NotAvailable', message: 'etcd quorum lost' }), cond('RollingOut', 'False')] };
    expect(await health(KCP_HEALTH_LUA, kcp(failed))).toEqual({ status: 'Degraded', message: 'control plane not available: etcd quorum lost' });
  });
});

/** A MachineDeployment; `replicas: null` is an autoscaled one (no replicas in git). */
const md = (status: unknown, replicas: number | null = 10) => ({
  kind: 'MachineDeployment',
  metadata: { name: 'c-general-az1', generation: 2 },
  spec: { ...(replicas !== null ? { replicas } : {}), template: { spec: { version: 'v1.34.2' } } },
  status,
});

describe('MachineDeployment health (Lua)', () => {
  it('done, rolling, failed', async () => {
    const done = { observedGeneration: 2, replicas: 10, upToDateReplicas: 10, availableReplicas: 10, versions: [{ version: 'v1.34.2', replicas: 10 }], conditions: [cond('Available', 'True')] };
    expect(await health(MD_HEALTH_LUA, md(done))).toEqual({ status: 'Healthy', message: '10 machines up to date' });
    const rolling = { ...done, replicas: 11, upToDateReplicas: 4, conditions: [cond('Available', 'True'), cond('RollingOut', 'True')] };
    expect(await health(MD_HEALTH_LUA, md(rolling))).toEqual({ status: 'Progressing', message: 'rolling out: 4/10 machines up to date' });
    const failed = { ...done, availableReplicas: 2, conditions: [cond('Available', 'False', { message: '8 machines not ready' })] };
    expect(await health(MD_HEALTH_LUA, md(failed))).toEqual({ status: 'Degraded', message: 'not available: 8 machines not ready' });
  });

  it('autoscaled (no spec.replicas in git): measured against the current replicas', async () => {
    const done = { observedGeneration: 2, replicas: 5, upToDateReplicas: 5, availableReplicas: 5, versions: [{ version: 'v1.34.2', replicas: 5 }], conditions: [cond('Available', 'True')] };
    expect((await health(MD_HEALTH_LUA, md(done, null))).status).toBe('Healthy');
    expect((await health(MD_HEALTH_LUA, md({ ...done, upToDateReplicas: 3 }, null))).status).toBe('Progressing');
  });

  it('a pool share of zero machines (failure domain with no replicas) is healthy once observed', async () => {
    const empty = { observedGeneration: 2, replicas: 0, upToDateReplicas: 0, availableReplicas: 0, conditions: [cond('Available', 'True')] };
    expect((await health(MD_HEALTH_LUA, md(empty, 0))).status).toBe('Healthy');
  });

  it('held by the MachineSet preflight checks while the control plane upgrades: progressing', async () => {
    const held = { observedGeneration: 2, replicas: 10, upToDateReplicas: 0, availableReplicas: 10, versions: [{ version: 'v1.33.4', replicas: 10 }], conditions: [cond('Available', 'True'), cond('RollingOut', 'True')] };
    expect((await health(MD_HEALTH_LUA, md(held))).status).toBe('Progressing');
  });
});

describe('Cluster health (Lua)', () => {
  const cluster = (status: unknown) => ({ kind: 'Cluster', metadata: { name: 'c', generation: 1 }, spec: {}, status });
  it('done, rolling, failed', async () => {
    expect(await health(CLUSTER_HEALTH_LUA, cluster({ observedGeneration: 1, conditions: [cond('Available', 'True'), cond('RollingOut', 'False')] }))).toEqual({ status: 'Healthy', message: 'available' });
    expect(await health(CLUSTER_HEALTH_LUA, cluster({ observedGeneration: 1, conditions: [cond('Available', 'True'), cond('RollingOut', 'True')] }))).toEqual({ status: 'Progressing', message: 'rolling out' });
    expect((await health(CLUSTER_HEALTH_LUA, cluster({ observedGeneration: 1, conditions: [cond('Available', 'False', { message: 'control plane not available' })] }))).message).toBe('not available yet: control plane not available');
    expect((await health(CLUSTER_HEALTH_LUA, cluster({ observedGeneration: 1, phase: 'Failed' }))).status).toBe('Degraded');
  });
});

describe('argocd-cm keys', () => {
  it('one key per kind, in the resource.customizations.health.<group>_<Kind> form', () => {
    expect(Object.keys(CLUSTER_API_HEALTH_CHECKS).sort()).toEqual([
      'resource.customizations.health.cluster.x-k8s.io_Cluster',
      'resource.customizations.health.cluster.x-k8s.io_MachineDeployment',
      'resource.customizations.health.controlplane.cluster.x-k8s.io_KubeadmControlPlane',
    ]);
  });
});
