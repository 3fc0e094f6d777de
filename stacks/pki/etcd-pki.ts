import * as pulumi from '@pulumi/pulumi';
import { etcdTlsPlan, type EtcdMemberRef } from '../../lib/pki/etcd-plan';
import type { ClusterSpec } from '../../lib/spec';
import { DEFAULT_LIFETIMES, selfSignedCa, signedCert, type CertificateLifetimes, type IssuedCert } from './certs';

/** The TLS material one etcd member needs (all secrets). */
export interface EtcdMemberCerts {
  readonly serverCertPem: pulumi.Output<string>;
  readonly serverKeyPem: pulumi.Output<string>;
  readonly peerCertPem: pulumi.Output<string>;
  readonly peerKeyPem: pulumi.Output<string>;
}

export interface EtcdPkiArgs {
  readonly cluster: ClusterSpec;
  /** @default DEFAULT_LIFETIMES */
  readonly lifetimes?: CertificateLifetimes;
}

/**
 * The etcd CA of a cluster with external etcd, server and peer certificates of every member
 * (main and events etcd share the CA, because kube-apiserver dials both with one client
 * certificate), and the apiserver's etcd client certificate. Subjects, SANs and usages come from
 * `lib/pki/etcd-plan`.
 */
export class EtcdPki extends pulumi.ComponentResource {
  public readonly ca: IssuedCert;
  public readonly apiserverClient: IssuedCert;
  public readonly members: Readonly<Record<string, EtcdMemberCerts>>;

  constructor(name: string, args: EtcdPkiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:pki:EtcdPki', name, {}, opts);
    const { cluster } = args;
    const lifetimes = args.lifetimes ?? DEFAULT_LIFETIMES;
    const etcd = cluster.controlPlane.etcd;
    const members: EtcdMemberRef[] = [...(etcd.external?.members ?? []), ...(etcd.events?.members ?? [])];
    if (!members.length) throw new Error(`clusters.${cluster.name}.controlPlane.etcd: no external members to issue certificates for`);
    const plan = etcdTlsPlan(members, { clusterName: cluster.name, caValidityHours: lifetimes.caValidityHours, leafValidityHours: lifetimes.leafValidityHours });

    this.ca = selfSignedCa(`${name}-ca`, plan.ca, lifetimes, this);
    this.apiserverClient = signedCert(`${name}-${plan.apiserverClient.id}`, plan.apiserverClient, this.ca, lifetimes, this);
    const issued: Record<string, EtcdMemberCerts> = {};
    for (const m of plan.members) {
      const server = signedCert(`${name}-${m.server.id}`, m.server, this.ca, lifetimes, this);
      const peer = signedCert(`${name}-${m.peer.id}`, m.peer, this.ca, lifetimes, this);
      issued[m.member.name] = { serverCertPem: server.certPem, serverKeyPem: server.keyPem, peerCertPem: peer.certPem, peerKeyPem: peer.keyPem };
    }
    this.members = issued;
    this.registerOutputs({ caCertPem: this.ca.certPem });
  }
}
