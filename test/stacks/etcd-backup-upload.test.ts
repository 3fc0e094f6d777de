/**
 * External etcd off-host backups: the members' backup timer uploads to stacked etcd's target, with
 * S3 keys that travel as Pulumi secrets over SSH (never user data, never dist/).
 */
import { installMockGraph } from '../../stacks/testing/mock-graph';

const graph = installMockGraph();

import * as pulumi from '@pulumi/pulumi';
import example from '../../examples/fleet';
import { parseFleet, type ClusterSpec, type FleetInput } from '../../lib/spec';
import { OpenStackClusterInfra } from '../../stacks/openstack/cluster-infra';
import { EtcdPki } from '../../stacks/pki/etcd-pki';

const UPLOAD = { endpoint: 'https://s3.example.com', bucket: 'etcd-snapshots', credentialsSecret: 'etcd-s3' };

function prodWithUpload(): ClusterSpec {
  const input = structuredClone(example) as any;
  input.environments[0].clusters[0].controlPlane.etcd.backup = { upload: UPLOAD };
  return parseFleet(input as FleetInput).spec.environments[0].clusters[0];
}

async function build(cluster: ClusterSpec, keys: boolean): Promise<void> {
  graph.reset();
  const etcdPki = new EtcdPki(`${cluster.name}-etcd-pki`, { cluster });
  new OpenStackClusterInfra(cluster.name, {
    cluster,
    etcdPki,
    ssh: { user: 'ubuntu', privateKey: 'KEY' },
    ...(keys ? { etcdBackupUpload: { accessKeyId: pulumi.secret('AKIAEXAMPLE'), secretAccessKey: pulumi.secret('s3cr3t"key') } } : {}),
  });
  await graph.settle();
}

describe('external etcd off-host backups', () => {
  beforeAll(() => build(prodWithUpload(), true));

  it('uploads each snapshot to the stacked target (same bucket, default prefix) from the main members only', () => {
    const vm = graph.byType('openstack:compute/instance:Instance').find((v) => v.inputs.name === 'kprod-prod-eu-west-1-etcd-0')!;
    const userData: string = vm.inputs.userData;
    expect(userData).toContain("--aws-sigv4 'aws:amz:us-east-1:s3'");
    expect(userData).toContain("'https://s3.example.com/etcd-snapshots/prod/eu-west-1/'\"etcd-0-$stamp.db\"");
    expect(userData).toContain('-K /etc/etcd/backup-upload.curlrc');
    expect(userData).toMatch(/- curl/);
    const events = graph.byType('openstack:compute/instance:Instance').find((v) => v.inputs.name === 'kprod-prod-eu-west-1-etcd-events-0')!;
    expect(events.inputs.userData).not.toContain('aws-sigv4');
  });

  it('keeps the keys out of user data and copies them over SSH as a secret, 0600 for etcd', () => {
    for (const vm of graph.byType('openstack:compute/instance:Instance')) {
      expect(vm.inputs.userData).not.toContain('AKIAEXAMPLE');
      expect(vm.inputs.userData).not.toContain('s3cr3t');
    }
    const copy = graph.one('command:remote:Command', 'eu-west-1-etcd-etcd-1-certs');
    expect(copy.secretInputs.has('stdin')).toBe(true);
    const stdin: string = copy.inputs.stdin;
    expect(stdin).toContain("mv -f '/etc/etcd/backup-upload.curlrc.kprod-tmp' '/etc/etcd/backup-upload.curlrc'");
    expect(stdin).toContain('user = "AKIAEXAMPLE:s3cr3t\\"key"');
    expect(stdin).toMatch(/chmod 0600 '\/etc\/etcd\/backup-upload\.curlrc\.kprod-tmp'/);
    const events = graph.one('command:remote:Command', 'eu-west-1-etcd-events-etcd-events-1-certs');
    expect(events.inputs.stdin).not.toContain('backup-upload');
  });

  it('without keys in the Pulumi config: members are still provisioned, with no credentials file (their uploads fail visibly)', async () => {
    await build(prodWithUpload(), false);
    expect(graph.byType('openstack:compute/instance:Instance')).toHaveLength(6);
    expect(graph.one('command:remote:Command', 'eu-west-1-etcd-etcd-0-certs').inputs.stdin).not.toContain('backup-upload.curlrc');
  });
});
