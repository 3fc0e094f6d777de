/**
 * Argo CD health checks (Lua, `resource.customizations.health.<group>_<kind>` in argocd-cm) for the
 * Cluster API objects whose rollout orders an upgrade: healthy only when the status says the rollout
 * of the current spec is complete. Written for Argo CD's Lua 5.1 (gopher-lua); unit-tested in a
 * real Lua VM (test/day2/health-checks.test.ts). Status fields: Cluster API v1.14 v1beta2
 * (`status.versions`, `status.upToDateReplicas`, conditions `Available`, `RollingOut`, `ScalingUp`).
 */

/** Helpers shared by the checks: a condition by type, and "the controller saw the current spec". */
const PRELUDE = `
local function condition(t)
  if obj.status == nil or obj.status.conditions == nil then return nil end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == t then return c end
  end
  return nil
end
local function is(t, want)
  local c = condition(t)
  return c ~= nil and c.status == want
end
local function observed()
  if obj.status == nil or obj.status.observedGeneration == nil then return false end
  return obj.metadata.generation == nil or obj.status.observedGeneration >= obj.metadata.generation
end
-- Every machine runs exactly the wanted version (status.versions lists the versions in use).
local function allAt(version, replicas)
  local vs = obj.status.versions
  if vs == nil or #vs ~= 1 then return false end
  return vs[1].version == version and (vs[1].replicas == nil or vs[1].replicas == replicas)
end
local function num(v) if v == nil then return 0 end return v end
-- A replicated object (KubeadmControlPlane, MachineDeployment) that is unavailable without a rollout,
-- scale-up or remediation to explain it is Degraded; one with machines not yet up to date is
-- Progressing. Returns nil when neither applies.
local function rolloutState(want, unavailable)
  local s = obj.status
  if is("Available", "False") and not is("RollingOut", "True") and not is("ScalingUp", "True") and not is("Remediating", "True") then
    local c = condition("Available")
    return "Degraded", unavailable .. ": " .. (c.message or c.reason or "")
  end
  if is("RollingOut", "True") or num(s.upToDateReplicas) ~= want or num(s.replicas) ~= want then
    return "Progressing", "rolling out: " .. num(s.upToDateReplicas) .. "/" .. want .. " machines up to date"
  end
  return nil
end
`;

/** KubeadmControlPlane: every replica up to date, available and at `spec.version`; nothing rolling. */
export const KCP_HEALTH_LUA = `${PRELUDE}
local hs = { status = "Progressing", message = "" }
if not observed() then hs.message = "waiting for the controller to observe the spec"; return hs end
local want = obj.spec.replicas
if want == nil then want = 1 end
local s = obj.status
local state, message = rolloutState(want, "control plane not available")
if state ~= nil then hs.status = state; hs.message = message; return hs end
if not allAt(obj.spec.version, want) then hs.message = "not every machine runs " .. obj.spec.version; return hs end
if num(s.availableReplicas) ~= want or not is("Available", "True") then hs.message = "waiting for " .. want .. " available machines"; return hs end
hs.status = "Healthy"
hs.message = want .. " machines at " .. obj.spec.version
return hs
`;

/** MachineDeployment: every replica up to date and available at the template's version. */
export const MD_HEALTH_LUA = `${PRELUDE}
local hs = { status = "Progressing", message = "" }
if not observed() then hs.message = "waiting for the controller to observe the spec"; return hs end
local want = obj.spec.replicas
if want == nil then want = num(obj.status.replicas) end
local s = obj.status
local version = obj.spec.template.spec.version
local state, message = rolloutState(want, "not available")
if state ~= nil then hs.status = state; hs.message = message; return hs end
if want > 0 and version ~= nil and not allAt(version, want) then hs.message = "not every machine runs " .. version; return hs end
if num(s.availableReplicas) ~= want then hs.message = "waiting for " .. want .. " available machines"; return hs end
hs.status = "Healthy"
hs.message = want .. " machines up to date"
return hs
`;

/** Cluster: available, nothing rolling out or scaling up; a failed phase is degraded. */
export const CLUSTER_HEALTH_LUA = `${PRELUDE}
local hs = { status = "Progressing", message = "" }
if obj.status ~= nil and obj.status.phase == "Failed" then hs.status = "Degraded"; hs.message = "cluster failed"; return hs end
if not observed() then hs.message = "waiting for the controller to observe the spec"; return hs end
if is("RollingOut", "True") then hs.message = "rolling out"; return hs end
if is("ScalingUp", "True") then hs.message = "scaling up"; return hs end
if not is("Available", "True") then
  local c = condition("Available")
  hs.message = "not available yet"
  if c ~= nil and c.message ~= nil then hs.message = hs.message .. ": " .. c.message end
  return hs
end
hs.status = "Healthy"
hs.message = "available"
return hs
`;

/** argocd-cm keys (`resource.customizations.health.<group>_<Kind>`) and their scripts. */
export const CLUSTER_API_HEALTH_CHECKS: Readonly<Record<string, string>> = {
  'resource.customizations.health.cluster.x-k8s.io_Cluster': CLUSTER_HEALTH_LUA,
  'resource.customizations.health.controlplane.cluster.x-k8s.io_KubeadmControlPlane': KCP_HEALTH_LUA,
  'resource.customizations.health.cluster.x-k8s.io_MachineDeployment': MD_HEALTH_LUA,
};
