import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { WorkloadCluster } from '../../constructs/cluster-api/cluster';
import { ControlPlane } from '../../constructs/control-plane/control-plane';
import { addEtcdBackup, STORE_SCRIPT } from '../../constructs/etcd/backup';
import { checkFiles, formatReport } from '../../lib/check';
import type { CapabilityInput } from '../../constructs/fleet';
import { exampleFleet } from '../helpers/fleet';
import { find, findTemplate, synthObjects } from '../helpers/synth';
import { tempDir } from '../helpers/tmp';

const capabilities: CapabilityInput[] = [
  (ctx) => new WorkloadCluster(ctx.managementChart, 'cluster', { ctx }),
  (ctx) => new ControlPlane(ctx.managementChart, 'control-plane', { ctx }),
  (ctx) => void addEtcdBackup(ctx),
];

const argsOf = (list: Array<{ name: string; value: string }>) => Object.fromEntries(list.map((a) => [a.name, a.value]));

describe('ControlPlane construct', () => {
  const objects = synthObjects(exampleFleet(), capabilities);
  const prod = find(objects, 'KubeadmControlPlane', 'eu-west-1-control-plane');
  const staging = find(objects, 'KubeadmControlPlane', 'dc1-control-plane');

  it('writes the KubeadmControlPlane into the cluster folder of the capi namespace', () => {
    const hit = objects.find((o) => o.obj.kind === 'KubeadmControlPlane' && o.obj.metadata.name === 'eu-west-1-control-plane')!;
    expect(hit.file.startsWith('prod/eu-west-1/cluster/')).toBe(true);
    expect(prod.apiVersion).toBe('controlplane.cluster.x-k8s.io/v1beta2');
    expect(prod.metadata.namespace).toBe('prod-eu-west-1');
  });

  it('sets replicas, the version with a v prefix and the machine template the Cluster expects', () => {
    expect(prod.spec.replicas).toBe(3);
    expect(prod.spec.version).toBe('v1.33.4');
    expect(staging.spec.version).toBe('v1.34.1');
    const template = findTemplate(objects, 'OpenStackMachineTemplate', 'eu-west-1-control-plane');
    expect(prod.spec.machineTemplate.spec.infrastructureRef).toEqual({ apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: template.metadata.name });
    expect(template.spec.template.spec.flavor).toBe('m1.large');
    expect(staging.spec.machineTemplate.spec.infrastructureRef.kind).toBe('Metal3MachineTemplate');
    const cluster = find(objects, 'Cluster', 'eu-west-1');
    expect(cluster.spec.controlPlaneRef.name).toBe(prod.metadata.name);
  });

  it('certificate SANs include the VIP and every endpoint DNS name', () => {
    expect(prod.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.certSANs).toEqual(expect.arrayContaining(['10.10.16.10', 'api.eu-west-1.prod.example.com']));
    expect(staging.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.certSANs).toEqual(expect.arrayContaining(['192.168.100.5', 'api.dc1.staging.example.com']));
  });

  it('carries the CIS apiserver arguments and the events etcd override (OpenStack example)', () => {
    const args = argsOf(prod.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs);
    expect(args).toMatchObject({ 'authorization-mode': 'Node,RBAC', profiling: 'false', 'tls-min-version': 'VersionTLS12', 'service-account-lookup': 'true' });
    expect(args['etcd-servers-overrides']).toBe('/events#https://10.10.1.20:2379;https://10.10.1.21:2379;https://10.10.1.22:2379');
    expect(prod.spec.kubeadmConfigSpec.clusterConfiguration.etcd.external.endpoints).toHaveLength(3);
    expect(staging.spec.kubeadmConfigSpec.clusterConfiguration.etcd.local.dataDir).toBe('/var/lib/etcd');
  });

  it('ships the audit policy, admission and authentication configs as files, the encryption config by Secret reference', () => {
    const files = prod.spec.kubeadmConfigSpec.files as any[];
    const byPath = new Map(files.map((f) => [f.path, f]));
    expect(byPath.get('/etc/kubernetes/audit-policy.yaml').content).toContain('kind: Policy');
    expect(byPath.get('/etc/kubernetes/admission/admission-config.yaml').content).toContain('kind: AdmissionConfiguration');
    expect(byPath.get('/etc/kubernetes/authentication/authentication-config.yaml').content).toContain('kind: AuthenticationConfiguration');
    expect(byPath.get('/etc/kubernetes/encryption/encryption-config.yaml')).toEqual(expect.objectContaining({ contentFrom: { secret: { name: 'eu-west-1-encryption', key: 'encryption-config.yaml' } } }));
    expect(byPath.get('/etc/kubernetes/encryption/encryption-config.yaml').content).toBeUndefined();
  });

  it('contains no private key material, token or password', () => {
    const text = stringify([prod, staging]);
    expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(text).not.toMatch(/aescbc|secretbox|aesgcm/);
    expect(text).not.toMatch(/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/); // bootstrap token
    expect(text).not.toMatch(/passw(or)?d\s*:/i);
  });

  it('rolls one machine at a time with certificate renewal and bounded remediation', () => {
    expect(prod.spec.rollout).toEqual({ before: { certificatesExpiryDays: 21 }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } });
    expect(prod.spec.remediation.maxRetry).toBe(3);
  });

  it('runs the kube-vip kubeconfig swap back after init (kube-vip) and nothing after kubeadm on prod', () => {
    const fleet = exampleFleet();
    fleet.environments[1].clusters[0].controlPlane.endpoint = { mode: 'kube-vip', vip: '192.168.100.5', dnsNames: ['api.dc1.staging.example.com'] };
    const kubeVip = find(synthObjects(fleet, capabilities), 'KubeadmControlPlane', 'dc1-control-plane');
    expect(kubeVip.spec.kubeadmConfigSpec.postKubeadmCommands).toEqual([expect.stringMatching(/^if \[ -f \/run\/kubeadm\/kubeadm\.yaml \]/)]);
    expect(staging.spec.kubeadmConfigSpec.postKubeadmCommands).toBeUndefined();
    expect(prod.spec.kubeadmConfigSpec.postKubeadmCommands).toBeUndefined();
    expect(prod.spec.kubeadmConfigSpec.initConfiguration.nodeRegistration.kubeletExtraArgs).toEqual(expect.arrayContaining([{ name: 'cloud-provider', value: 'external' }]));
  });

  it('stacked etcd on metal3 gets a backup CronJob on control-plane nodes; external etcd gets none', () => {
    const job = find(objects, 'CronJob', 'etcd-backup', 'staging/dc1/addons/etcd-backup/');
    expect(objects.some((o) => o.obj.kind === 'CronJob' && o.file.startsWith('prod/'))).toBe(false);
    const pod = job.spec.jobTemplate.spec.template.spec;
    expect(job.spec.schedule).toBe('0 * * * *');
    expect(pod.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
    expect(pod.tolerations[0].key).toBe('node-role.kubernetes.io/control-plane');
    expect(pod.initContainers[0].image).toBe('registry.k8s.io/etcd:3.6.5-0');
    expect(pod.initContainers[0].args).toEqual(expect.arrayContaining(['snapshot', 'save', '--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt']));
    expect(pod.volumes.find((v: any) => v.name === 'backup').hostPath.path).toBe('/var/lib/etcd-backup');
    expect(pod.containers[0].env.find((e: any) => e.name === 'RETAIN').value).toBe('48');
    expect(pod.hostNetwork).toBeUndefined();
    for (const c of [...pod.initContainers, ...pod.containers])
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(find(objects, 'Namespace', 'etcd-backup').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  it('passes kprod check (CRD schemas, CEL and webhook rules, kubernetes-models, embedded config files)', () => {
    const mine = objects.filter((o) => ['KubeadmControlPlane', 'CronJob', 'Namespace'].includes(o.obj.kind) || o.obj.kind.endsWith('MachineTemplate'));
    const report = checkFiles(new Map(mine.map((o, i) => [`${i}-${o.obj.kind}-${o.obj.metadata.name}.json`, JSON.stringify(o.obj)])));
    expect(formatReport(report).slice(0, -1)).toEqual([]);
    // Every object plus the config files embedded in the KubeadmControlPlanes is checked: the run is not vacuous.
    expect(mine.length).toBeGreaterThanOrEqual(6);
    expect(report.objects).toBeGreaterThan(mine.length);
  });
});

describe('etcd backup store script', () => {
  it('keeps the newest RETAIN snapshots and removes older ones (run with the local shell)', () => {
    const { dir, cleanup } = tempDir('kprod-backup-');
    try {
      const backup = path.join(dir, 'backup');
      const work = path.join(dir, 'work');
      fs.mkdirSync(backup);
      fs.mkdirSync(work);
      fs.writeFileSync(path.join(work, 'snapshot.db'), 'snap');
      for (const ts of ['20260101T000000Z', '20260102T000000Z', '20260103T000000Z']) fs.writeFileSync(path.join(backup, `etcd-snapshot-n1-${ts}.db`), 'old');
      const script = STORE_SCRIPT.replaceAll('/backup', backup).replaceAll('/work', work);
      execFileSync('/bin/sh', ['-c', script], { env: { ...process.env, RETAIN: '2', NODE_NAME: 'n1' } });
      const left = fs.readdirSync(backup).sort();
      expect(left).toHaveLength(2);
      expect(left[0]).toBe('etcd-snapshot-n1-20260103T000000Z.db');
      expect(fs.readFileSync(path.join(backup, left[1]), 'utf8')).toBe('snap');
    } finally {
      cleanup();
    }
  });
});
