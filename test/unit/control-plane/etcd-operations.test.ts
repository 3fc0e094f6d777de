import { ControlPlane } from '../../../constructs/control-plane/control-plane';
import { UPLOAD_SCRIPT } from '../../../constructs/etcd/backup';
import { CAPABILITIES, synthFleet } from '../../../constructs/fleet';
import { parseFleet } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';
import { find, synthObjects } from '../../helpers/synth';

// The built-in etcd capabilities by id (defrag declares that it extends the backup's folder).
const capabilities = CAPABILITIES.filter((c) => ['etcd-backup', 'etcd-defrag', 'etcd-restore-runbook'].includes(c.id));

describe('etcd operations: defrag, backup upload, restore runbook', () => {
  it('stacked etcd gets a weekly defrag of the whole cluster from a control-plane node; external etcd none', () => {
    const objects = synthObjects(exampleFleet(), capabilities);
    const defrag = find(objects, 'CronJob', 'etcd-defrag');
    expect(objects.find((o) => o.obj.metadata?.name === 'etcd-defrag')!.file.startsWith('staging/dc1/addons/etcd-backup/')).toBe(true);
    expect(objects.some((o) => o.obj.metadata?.name === 'etcd-defrag' && o.file.startsWith('prod/'))).toBe(false);
    expect(defrag.spec.schedule).toBe('30 3 * * 0');
    expect(defrag.spec.concurrencyPolicy).toBe('Forbid');
    const c = defrag.spec.jobTemplate.spec.template.spec.containers[0];
    expect(c.image).toBe('registry.k8s.io/etcd:3.6.5-0');
    expect(c.args.slice(-2)).toEqual(['defrag', '--cluster']);
    expect(defrag.spec.jobTemplate.spec.template.spec.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
  });

  it('defrag schedule is configurable and can be turned off', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].controlPlane.etcd = { defrag: { schedule: '0 4 * * 3' } };
    expect(find(synthObjects(input, capabilities), 'CronJob', 'etcd-defrag').spec.schedule).toBe('0 4 * * 3');
    input.environments[1].clusters[0].controlPlane.etcd = { defrag: { enabled: false } };
    expect(synthObjects(input, capabilities).some((o) => o.obj.metadata?.name === 'etcd-defrag')).toBe(false);
  });

  it('an upload target adds an aws-cli container after the store step, credentials only by Secret reference', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].controlPlane.etcd = {
      backup: { upload: { endpoint: 'https://s3.dc1.example.com', bucket: 'etcd-backups', credentialsSecret: 'etcd-backup-s3' } },
    };
    const job = find(synthObjects(input, capabilities), 'CronJob', 'etcd-backup');
    const pod = job.spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['snapshot', 'store']);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['upload']);
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.BUCKET).toBe('etcd-backups');
    expect(env.PREFIX).toBe('staging/dc1/');
    expect(env.AWS_SECRET_ACCESS_KEY).toEqual({ secretKeyRef: { name: 'etcd-backup-s3', key: 'AWS_SECRET_ACCESS_KEY' } });
    expect(pod.containers[0].image).toMatch(/^docker\.io\/amazon\/aws-cli:\d+\.\d+\.\d+$/);
    expect(UPLOAD_SCRIPT).toContain('--endpoint-url "$S3_ENDPOINT"');
    // without upload: store stays the main container
    const plain = find(synthObjects(exampleFleet(), capabilities), 'CronJob', 'etcd-backup').spec.jobTemplate.spec.template.spec;
    expect(plain.containers.map((c: any) => c.name)).toEqual(['store']);
  });

  it('writes a restore runbook per cluster with that cluster\'s members in --initial-cluster', () => {
    const { spec } = parseFleet(exampleFleet());
    const out = synthFleet(spec, capabilities);
    const prod = out.files.get('prod/eu-west-1/runbooks/etcd-restore.md')!;
    expect(prod).toContain('--initial-cluster etcd-0=https://10.10.1.10:2380,etcd-1=https://10.10.1.11:2380,etcd-2=https://10.10.1.12:2380');
    expect(prod).toContain('--name etcd-events-1 --initial-advertise-peer-urls https://10.10.1.21:2380');
    expect(prod).toContain('--initial-cluster-token eu-west-1-etcd-events');
    expect(prod).toContain('member remove <MEMBER_ID>');
    expect(prod).toContain('Path 2: move a member');
    expect(prod).toContain('systemctl stop etcd.service');
    const staging = out.files.get('staging/dc1/runbooks/etcd-restore.md')!;
    expect(staging).toContain('/etc/kubernetes/manifests/etcd.yaml');
    expect(staging).toContain('/var/lib/etcd-backup/etcd-snapshot-');
    expect(staging).toContain('--cacert=/etc/kubernetes/pki/etcd/ca.crt');
    expect(staging).not.toContain('10.10.1.10');
  });

  it('the ControlPlane summary reports the CIS result and warns about weakening overrides', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].controlPlane.controllerManager = { extraArgs: { profiling: 'true' } };
    const { spec } = parseFleet(input);
    const out = synthFleet(spec, [(ctx) => void new ControlPlane(ctx.managementChart, 'control-plane', { ctx })]);
    expect(out.summary).toEqual(expect.arrayContaining(['  CIS: 61/62 configuration checks pass (failing: 4.2.9)']));
    expect(out.summary).toEqual(
      expect.arrayContaining([
        '  CIS: 60/62 configuration checks pass (failing: 1.3.2, 4.2.9)',
        '  warning: CIS 1.3.2 profiling=true weakens "profiling is false" (controlPlane.controllerManager.extraArgs)',
      ]),
    );
  });
});
