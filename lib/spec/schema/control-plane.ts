import { z } from 'zod';
import { dnsSubdomain, ipv4, quantity } from './common';

/** How clients reach the apiservers. */
export const endpoint = z.strictObject({
  /**
   * keepalived-haproxy: VIP by VRRP, HAProxy on every control-plane machine.
   * kube-vip: kube-vip static pod (ARP or BGP). loadbalancer: OpenStack Octavia through CAPO.
   * @default "keepalived-haproxy"
   */
  mode: z.enum(['keepalived-haproxy', 'kube-vip', 'loadbalancer']).default('keepalived-haproxy'),
  /** Virtual IP on the node network (required unless mode is loadbalancer). */
  vip: ipv4.optional(),
  /** Port clients use. HAProxy listens here, so it must differ from 6443 in keepalived-haproxy mode. @default 8443 for keepalived-haproxy, 6443 otherwise */
  port: z.number().int().min(1).max(65535).optional(),
  /** DNS names of the endpoint; all go into the apiserver certificate SANs. @default [] */
  dnsNames: z.array(dnsSubdomain).default([]),
  /** VRRP virtual router id (1-255), unique per L2 segment. @default 51 */
  virtualRouterId: z.number().int().min(1).max(255).default(51),
  /** Network interface carrying the VIP. @default "eth0" */
  interface: z.string().min(1).default('eth0'),
  /** kube-vip announcement mode. @default "arp" */
  kubeVipMode: z.enum(['arp', 'bgp']).default('arp'),
  /** Open the endpoint to 0.0.0.0/0 in the security groups. @default false */
  public: z.boolean().default(false),
});
export type Endpoint = z.infer<typeof endpoint>;

export const etcdMember = z.strictObject({ name: dnsSubdomain, ip: ipv4 });

/** An etcd cluster outside the control-plane machines. */
export const externalEtcd = z.strictObject({
  /** Members (odd count). */
  members: z.array(etcdMember).min(1),
  /** OpenStack flavor of the etcd VMs. @default "m1.large" */
  flavor: z.string().default('m1.large'),
  /** Size of the dedicated SSD data volume in GiB. @default 100 */
  volumeSizeGiB: z.number().int().min(10).default(100),
  /** Cinder volume type of the SSD. @default "ssd" */
  volumeType: z.string().default('ssd'),
});

export const etcd = z.strictObject({
  /** stacked: kubeadm local etcd on the control-plane machines; external: dedicated members. @default "stacked" */
  topology: z.enum(['stacked', 'external']).default('stacked'),
  /** Members when topology is external. */
  external: externalEtcd.optional(),
  /** Optional separate etcd cluster for events (`--etcd-servers-overrides=/events#...`). */
  events: externalEtcd.optional(),
  /** Backend quota. @default "8Gi" */
  quotaBackendBytes: quantity.default('8Gi'),
  /** Auto compaction. @default { mode: "periodic", retention: "8h" } */
  autoCompaction: z
    .strictObject({
      /** @default "periodic" */
      mode: z.enum(['periodic', 'revision']).default('periodic'),
      /** @default "8h" */
      retention: z.string().default('8h'),
    })
    .prefault({}),
  /** Round-trip time between members in ms; heartbeat and election timeouts are scaled from it. @default 10 */
  networkRttMs: z.number().positive().max(5000).default(10),
  /** Snapshot count. @default 10000 */
  snapshotCount: z.number().int().positive().default(10000),
  /** Dedicated SSD for /var/lib/etcd on stacked control-plane machines (GiB). @default 50 */
  dataVolumeSizeGiB: z.number().int().min(10).default(50),
  /** Backups. @default { schedule: "0 * * * *", retain: 48 } */
  backup: z
    .strictObject({
      /** @default true */
      enabled: z.boolean().default(true),
      /** Cron schedule. @default "0 * * * *" */
      schedule: z.string().default('0 * * * *'),
      /** Snapshots kept. @default 48 */
      retain: z.number().int().positive().default(48),
      /** Host directory on control-plane machines. @default "/var/lib/etcd-backup" */
      hostPath: z.string().default('/var/lib/etcd-backup'),
    })
    .prefault({}),
});
export type Etcd = z.infer<typeof etcd>;

export const oidc = z.strictObject({
  issuerUrl: z.url(),
  clientId: z.string().min(1),
  /** @default "email" */
  usernameClaim: z.string().default('email'),
  /** @default "oidc:" */
  usernamePrefix: z.string().default('oidc:'),
  /** @default "groups" */
  groupsClaim: z.string().default('groups'),
  /** @default "oidc:" */
  groupsPrefix: z.string().default('oidc:'),
});

export const controlPlane = z.strictObject({
  /** Control-plane machines: 1, 3, 5 or 7. @default 3 (sized from the cluster when `sizing` is auto) */
  replicas: z.number().int().optional(),
  /** Demand an HA control plane (≥ 3 replicas). @default true */
  ha: z.boolean().default(true),
  /** OpenStack flavor or bare-metal host class; omitted means sized from the cluster's node count. */
  flavor: z.string().optional(),
  endpoint: endpoint.prefault({}),
  etcd: etcd.prefault({}),
  /** Extra apiserver certificate SANs. @default [] */
  certSANs: z.array(z.string()).default([]),
  /** Audit logging. @default enabled, 30 days, 10 files of 100 MB */
  audit: z
    .strictObject({
      /** @default true */
      enabled: z.boolean().default(true),
      /** @default 30 */
      maxAgeDays: z.number().int().positive().default(30),
      /** @default 10 */
      maxBackup: z.number().int().positive().default(10),
      /** @default 100 */
      maxSizeMB: z.number().int().positive().default(100),
    })
    .prefault({}),
  /** Encryption at rest of Secrets (and ConfigMaps when asked). The key itself comes from the Pulumi stack. @default aescbc on secrets */
  encryptionAtRest: z
    .strictObject({
      /** @default true */
      enabled: z.boolean().default(true),
      /** @default "aescbc" */
      provider: z.enum(['aescbc', 'aesgcm', 'secretbox']).default('aescbc'),
      /** @default ["secrets"] */
      resources: z.array(z.string()).default(['secrets']),
    })
    .prefault({}),
  /** OIDC authentication for humans. @default none */
  oidc: oidc.optional(),
  /** Kubernetes version the control plane should be upgraded to next; checked against the skew policy. @default none */
  upgradeTo: z.string().optional(),
});
export type ControlPlane = z.infer<typeof controlPlane>;
