/**
 * PKI and the Secrets Cluster API reads: certificate subjects, SANs and usages from the etcd TLS
 * plan, validity from config, everything secret, Secret names, types, labels and keys.
 */
import { installMockGraph } from '../../stacks/testing/mock-graph';

const graph = installMockGraph();

import * as k8s from '@pulumi/kubernetes';
import { parse, parseAllDocuments } from 'yaml';
import example from '../../examples/fleet';
import { parseFleet, type ClusterSpec, type FleetInput } from '../../lib/spec';
import { ClusterPki } from '../../stacks/pki/cluster-pki';
import { ClusterSecrets } from '../../stacks/pki/cluster-secrets';
import { EtcdPki } from '../../stacks/pki/etcd-pki';

const SECRET = 'kubernetes:core/v1:Secret';
const prod = (): ClusterSpec => parseFleet(structuredClone(example) as FleetInput).spec.environments[0].clusters[0];

async function build(cluster: ClusterSpec, opts: { ownClusterCa?: boolean; cloudsYaml?: string; occmCloudConf?: string; lifetimes?: { caValidityHours: number; leafValidityHours: number; earlyRenewalHours: number } } = {}) {
  graph.reset();
  const provider = new k8s.Provider('mgmt', { kubeconfig: 'fake' });
  const pki = new ClusterPki('pki', { cluster, ownClusterCa: opts.ownClusterCa, lifetimes: opts.lifetimes });
  const etcd = cluster.controlPlane.etcd.topology === 'external' ? new EtcdPki('etcd', { cluster, lifetimes: opts.lifetimes }) : undefined;
  const secrets = new ClusterSecrets('secrets', {
    cluster,
    provider,
    clusterCa: pki.clusterCa,
    etcd: etcd ? { ca: etcd.ca, apiserverClient: etcd.apiserverClient } : undefined,
    encryptionConfig: pki.encryptionConfig,
    cloudsYaml: opts.cloudsYaml,
    occmCloudConf: opts.occmCloudConf,
  });
  await graph.settle();
  return { pki, etcd, secrets };
}

describe('etcd certificates', () => {
  beforeAll(() => build(prod()));

  it('ECDSA P256 keys, their PEM outputs secret', () => {
    const keys = graph.byType('tls:index/privateKey:PrivateKey');
    // CA, apiserver client, server + peer for 6 members
    expect(keys).toHaveLength(1 + 1 + 12);
    for (const k of keys) expect(k.inputs).toEqual({ algorithm: 'ECDSA', ecdsaCurve: 'P256' });
  });

  it('member certificates carry name, localhost, member IP and 127.0.0.1', () => {
    const csr = graph.one('tls:index/certRequest:CertRequest', 'etcd-server-etcd-events-1-csr');
    expect(csr.inputs.dnsNames).toEqual(['etcd-events-1', 'localhost']);
    expect(csr.inputs.ipAddresses).toEqual(['10.10.1.21', '127.0.0.1']);
    const peer = graph.one('tls:index/locallySignedCert:LocallySignedCert', 'etcd-peer-etcd-0-cert');
    expect(peer.inputs.allowedUses).toEqual(expect.arrayContaining(['server_auth', 'client_auth']));
    expect(peer.inputs.caCertPem).toContain('etcd-ca-cert');
    expect(peer.secretInputs.has('caPrivateKeyPem')).toBe(true);
  });

  it('the apiserver client certificate is client-only', () => {
    const cert = graph.one('tls:index/locallySignedCert:LocallySignedCert', 'etcd-apiserver-etcd-client-cert');
    expect(cert.inputs.allowedUses).toContain('client_auth');
    expect(cert.inputs.allowedUses).not.toContain('server_auth');
  });

  it('one CA for main and events etcd', () => {
    const cas = graph.byType('tls:index/selfSignedCert:SelfSignedCert');
    expect(cas.map((c) => c.name)).toEqual(['etcd-ca-cert']);
    expect(cas[0].inputs).toMatchObject({ isCaCertificate: true, validityPeriodHours: 87600 });
  });
});

describe('validity and renewal come from config', () => {
  it('uses the configured hours', async () => {
    await build(prod(), { lifetimes: { caValidityHours: 1000, leafValidityHours: 100, earlyRenewalHours: 10 } });
    expect(graph.one('tls:index/selfSignedCert:SelfSignedCert', 'etcd-ca-cert').inputs).toMatchObject({ validityPeriodHours: 1000, earlyRenewalHours: 10 });
    expect(graph.one('tls:index/locallySignedCert:LocallySignedCert', 'etcd-server-etcd-0-cert').inputs).toMatchObject({ validityPeriodHours: 100, earlyRenewalHours: 10 });
  });
});

describe('Secrets in the management cluster', () => {
  let secrets: ReturnType<typeof graph.byType>;
  beforeAll(async () => {
    await build(prod(), { ownClusterCa: true, cloudsYaml: 'clouds:\n  prod: {}\n' });
    secrets = graph.byType(SECRET);
  });
  const byName = (n: string) => secrets.find((s) => s.inputs.metadata.name === n)!;

  it('are the ones Cluster API and CAPO read, in <env>-<cluster>, typed and labelled for Cluster API', () => {
    expect(secrets.map((s) => s.inputs.metadata.name).sort()).toEqual(
      ['eu-west-1-apiserver-etcd-client', 'eu-west-1-ca', 'eu-west-1-cloud-config', 'eu-west-1-encryption', 'eu-west-1-etcd'].sort(),
    );
    for (const s of secrets) {
      expect(s.inputs.metadata.namespace).toBe('prod-eu-west-1');
      expect(s.inputs.type).toBe('cluster.x-k8s.io/secret');
      expect(s.inputs.metadata.labels).toEqual({ 'cluster.x-k8s.io/cluster-name': 'eu-west-1' });
      expect(s.secretInputs.has('stringData')).toBe(true);
      expect(s.dependsOn.has('secrets-namespace')).toBe(true);
    }
  });

  it('hold the right keys; the etcd CA key never leaves Pulumi', () => {
    expect(Object.keys(byName('eu-west-1-ca').inputs.stringData).sort()).toEqual(['tls.crt', 'tls.key']);
    expect(Object.keys(byName('eu-west-1-apiserver-etcd-client').inputs.stringData).sort()).toEqual(['tls.crt', 'tls.key']);
    expect(byName('eu-west-1-etcd').inputs.stringData).toEqual({ 'tls.crt': expect.stringContaining('etcd-ca-cert') });
    expect(byName('eu-west-1-cloud-config').inputs.stringData).toEqual({ 'clouds.yaml': 'clouds:\n  prod: {}\n' });
  });

  it('the cluster CA is RSA (read by Cluster API and kubeadm alike)', () => {
    const key = graph.byType('tls:index/privateKey:PrivateKey').find((k) => k.name === 'pki-cluster-ca-key')!;
    expect(key.inputs).toEqual({ algorithm: 'RSA', rsaBits: 2048 });
    expect(byName('eu-west-1-ca').inputs.stringData['tls.key']).toContain(key.name);
  });

  it('the encryption Secret holds a full EncryptionConfiguration with a 32-byte key', () => {
    const config = parse(byName('eu-west-1-encryption').inputs.stringData['encryption-config.yaml']);
    expect(config).toMatchObject({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration' });
    const provider = config.resources[0].providers[0].aescbc;
    expect(provider.keys).toHaveLength(1);
    expect(provider.keys[0].name).toBe('kprod-1');
    expect(Buffer.from(provider.keys[0].secret, 'base64')).toHaveLength(32);
    const bytes = graph.byType('random:index/randomBytes:RandomBytes');
    expect(bytes.map((b) => b.inputs)).toEqual([{ length: 32, keepers: { name: 'kprod-1' } }]);
    expect(parseAllDocuments(byName('eu-west-1-encryption').inputs.stringData['encryption-config.yaml'])).toHaveLength(1);
  });

  it('the namespace is the cluster namespace <env>-<cluster>', () => {
    const ns = graph.byType('kubernetes:core/v1:Namespace');
    expect(ns.map((n) => n.inputs.metadata.name)).toEqual(['prod-eu-west-1']);
  });
});

describe('without an own CA or external etcd', () => {
  it('writes neither <cluster>-ca nor the etcd Secrets', async () => {
    const staging = parseFleet(structuredClone(example) as FleetInput).spec.environments[1].clusters[0];
    await build(staging);
    expect(graph.byType(SECRET).map((s) => s.inputs.metadata.name)).toEqual(['dc1-encryption']);
    expect(graph.byType('tls:index/privateKey:PrivateKey')).toEqual([]);
  });
});

describe('OCCM cloud-config for the ClusterResourceSet', () => {
  const INI = '[Global]\nauth-url=https://keystone.example.com:5000/v3\napplication-credential-id=abc\napplication-credential-secret=s3cr3t\n';
  const crsSecret = () => graph.byType(SECRET).find((s) => s.inputs.metadata.name === 'eu-west-1-occm-cloud-config');

  it('is a resource-set Secret in <env>-<cluster> whose secret value is the kube-system/cloud-config Secret with cloud.conf', async () => {
    await build(prod(), { occmCloudConf: INI });
    const secret = crsSecret()!;
    expect(secret).toBeDefined();
    expect(secret.inputs.metadata.namespace).toBe('prod-eu-west-1');
    expect(secret.inputs.type).toBe('addons.cluster.x-k8s.io/resource-set');
    expect(secret.secretInputs.has('stringData')).toBe(true);
    expect(Object.keys(secret.inputs.stringData)).toEqual(['cloud-config.yaml']);
    const docs = parseAllDocuments(secret.inputs.stringData['cloud-config.yaml']).map((d) => d.toJS());
    expect(docs).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cloud-config', namespace: 'kube-system' }, type: 'Opaque', stringData: { 'cloud.conf': INI } },
    ]);
    // The other Cluster API Secrets keep their type.
    expect(graph.byType(SECRET).find((s) => s.inputs.metadata.name === 'eu-west-1-encryption')!.inputs.type).toBe('cluster.x-k8s.io/secret');
  });

  it('is absent without kprod:occmCloudConf, and on a cluster not on OpenStack', async () => {
    await build(prod());
    expect(crsSecret()).toBeUndefined();
    const staging = parseFleet(structuredClone(example) as FleetInput).spec.environments[1].clusters[0];
    await build(staging, { occmCloudConf: INI });
    expect(graph.byType(SECRET).map((s) => s.inputs.metadata.name)).toEqual(['dc1-encryption']);
  });
});
