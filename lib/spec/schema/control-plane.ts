import { z } from 'zod';
import { dnsSubdomain, duration, ipv4, quantity } from './common';

/**
 * Extra command-line flags of a control-plane component, merged over kprod's defaults (a flag
 * given here replaces kprod's value of the same name). Names without the leading `--`.
 * An override that makes a CIS check fail is reported as a warning in the synth summary.
 */
export const componentExtraArgs = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a flag name without leading dashes, e.g. "profiling"'),
  z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v)),
);

/** Overrides of one control-plane component. */
export const componentOverrides = z.strictObject({
  /** Flags merged over kprod's defaults. @default {} */
  extraArgs: componentExtraArgs.default({}),
});

/** A BGP neighbour kube-vip announces the VIP to. No password: it would land in dist/. */
export const bgpPeer = z.strictObject({
  /** Peer (router) address. */
  address: ipv4,
  /** Peer AS number. */
  as: z.number().int().min(1).max(4294967295),
  /** eBGP multihop towards this peer. @default false */
  multihop: z.boolean().default(false),
});

/** kube-vip BGP settings (only with `kubeVipMode: bgp`). */
export const kubeVipBgp = z.strictObject({
  /** Local AS of the control-plane machines. @default 65000 */
  localAS: z.number().int().min(1).max(4294967295).default(65000),
  /**
   * Fixed BGP router id. The kube-vip manifest is identical on every control-plane machine, so this
   * is only allowed with one replica. @default none (each machine uses the address of `endpoint.interface`)
   */
  routerId: ipv4.optional(),
  /** Neighbours (at least one). @default [] */
  peers: z.array(bgpPeer).default([]),
});
export type KubeVipBgp = z.infer<typeof kubeVipBgp>;

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
  /** kube-vip BGP peering; required when kubeVipMode is bgp. @default none */
  bgp: kubeVipBgp.optional(),
  /** Open the endpoint to 0.0.0.0/0 in the security groups. @default false */
  public: z.boolean().default(false),
});
export type Endpoint = z.infer<typeof endpoint>;

export const etcdMember = z.strictObject({
  name: dnsSubdomain,
  ip: ipv4,
  /** Failure domain (one of the cluster's `failureDomains`) the member runs in. @default spread round-robin over the cluster's failure domains in member order */
  failureDomain: z.string().min(1).optional(),
});

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
      /**
       * Cron schedule (UTC). External etcd VMs run it as a systemd timer, which takes numbers, `*`,
       * `*\/n`, ranges and lists, but no names and not a day of month together with a day of week.
       * @default "0 * * * *"
       */
      schedule: z.string().default('0 * * * *'),
      /** Snapshots kept. @default 48 */
      retain: z.number().int().positive().default(48),
      /** Host directory on control-plane machines and external etcd VMs. @default "/var/lib/etcd-backup" */
      hostPath: z.string().default('/var/lib/etcd-backup'),
      /**
       * Also copy each snapshot to an S3-compatible bucket. Credentials only by Secret reference
       * (keys AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the etcd-backup namespace). @default none
       */
      upload: z
        .strictObject({
          /** S3 endpoint URL, e.g. https://s3.example.com. */
          endpoint: z.url(),
          /** Bucket name. */
          bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
          /** Key prefix inside the bucket. @default "<environment>/<cluster>/" */
          prefix: z.string().optional(),
          /**
           * Secret in the etcd-backup namespace with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. External
           * etcd members get the same keys from the Pulumi secret config `etcdBackupUploadAccessKeyId` /
           * `etcdBackupUploadSecretAccessKey`, copied over SSH.
           */
          credentialsSecret: dnsSubdomain,
          /** SigV4 signing region (external etcd members sign their uploads themselves). @default "us-east-1" */
          region: z.string().regex(/^[a-z0-9-]+$/, 'must be a region name such as "us-east-1"').default('us-east-1'),
        })
        .optional(),
    })
    .prefault({}),
  /**
   * Periodic `etcdctl defrag`, one member at a time (stacked etcd: CronJob; external etcd: a systemd
   * timer per VM, members 15 min apart). @default { enabled: true, schedule: "30 3 * * 0" }
   */
  defrag: z
    .strictObject({
      /** @default true */
      enabled: z.boolean().default(true),
      /** Cron schedule (UTC). @default "30 3 * * 0" (Sundays 03:30) */
      schedule: z.string().default('30 3 * * 0'),
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
  /** Control-plane machines: 1, 3, 5 or 7. @default 3 (1 when `ha` is false) */
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
      /**
       * Also send audit events to a webhook backend in batch mode. The webhook's kubeconfig comes
       * from a Secret in the cluster's capi namespace (written to the host by Cluster API), never from git.
       * @default none
       */
      webhook: z
        .strictObject({
          /** Secret (capi namespace) holding the webhook kubeconfig. @default "<cluster>-audit-webhook" */
          kubeconfigSecret: dnsSubdomain.optional(),
          /** Key of the kubeconfig inside the Secret. @default "kubeconfig" */
          kubeconfigKey: z.string().min(1).default('kubeconfig'),
          /** `--audit-webhook-batch-max-size`. @default 400 */
          batchMaxSize: z.number().int().positive().default(400),
          /** `--audit-webhook-batch-max-wait`. @default "30s" */
          batchMaxWait: duration.default('30s'),
          /** `--audit-webhook-batch-buffer-size`. @default 10000 */
          batchBufferSize: z.number().int().positive().default(10000),
          /** `--audit-webhook-initial-backoff`. @default "10s" */
          initialBackoff: duration.default('10s'),
        })
        .optional(),
    })
    .prefault({}),
  /** Encryption at rest of Secrets (and ConfigMaps when asked). The key itself comes from the Pulumi stack. @default aescbc on secrets */
  encryptionAtRest: z
    .strictObject({
      /** @default true */
      enabled: z.boolean().default(true),
      /** kms: a KMS v2 plugin on every control-plane machine (see `kms`). @default "aescbc" */
      provider: z.enum(['aescbc', 'aesgcm', 'secretbox', 'kms']).default('aescbc'),
      /** @default ["secrets"] */
      resources: z.array(z.string()).default(['secrets']),
      /** KMS v2 plugin when provider is kms. @default none */
      kms: z
        .strictObject({
          /** Provider name (unique in the EncryptionConfiguration). */
          name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and "-"'),
          /** gRPC endpoint of the plugin: a unix socket on the host. */
          endpoint: z.string().regex(/^unix:\/\/\/.+/, 'must be a unix socket such as "unix:///var/run/kms-plugin/socket.sock"'),
          /** Call timeout. @default "3s" */
          timeout: duration.default('3s'),
        })
        .optional(),
    })
    .superRefine((enc, ctx) => {
      if (enc.provider === 'kms' && !enc.kms) ctx.addIssue({ code: 'custom', path: ['kms'], message: 'is required when provider is kms' });
      if (enc.provider !== 'kms' && enc.kms) ctx.addIssue({ code: 'custom', path: ['kms'], message: `is only allowed when provider is kms (provider is ${enc.provider})` });
    })
    .prefault({}),
  /** OIDC authentication for humans. @default none */
  oidc: oidc.optional(),
  /** Kubernetes version the control plane should be upgraded to next; checked against the skew policy. @default none */
  upgradeTo: z.string().optional(),
  /** kube-apiserver overrides. @default { extraArgs: {} } */
  apiServer: componentOverrides.prefault({}),
  /** kube-controller-manager overrides. @default { extraArgs: {} } */
  controllerManager: componentOverrides.prefault({}),
  /** kube-scheduler overrides. @default { extraArgs: {}, defaultSpread: { maxSkew: 1, strictProfile: true } } */
  scheduler: componentOverrides
    .extend({
      /**
       * PodTopologySpread defaults of the scheduler (KubeSchedulerConfiguration): pods of a Service,
       * ReplicaSet or StatefulSet spread across zones and hosts.
       */
      defaultSpread: z
        .strictObject({
          /** Largest allowed difference of matching pods between zones (and between hosts). @default 1 */
          maxSkew: z.number().int().min(1).max(100).default(1),
          /** Add the `kprod-strict-spread` profile (DoNotSchedule across zones) pods opt into with `schedulerName`. @default true */
          strictProfile: z.boolean().default(true),
        })
        .prefault({}),
    })
    .prefault({}),
  /**
   * Enable the AlwaysPullImages admission plugin (CIS 1.2.11): every container start re-checks
   * image credentials, at the price of needing the registry reachable for restarts. @default true
   */
  alwaysPullImages: z.boolean().default(true),
  /** Accept an explicit `flavor` smaller than the size table asks for the cluster's node count. @default false */
  allowUndersized: z.boolean().default(false),
  /**
   * Accept control-plane or etcd members spread so that losing one failure domain loses quorum
   * (e.g. 3 members over 2 domains). @default false
   */
  allowDegradedSpread: z.boolean().default(false),
  /** Rolling replacement of control-plane machines. @default { maxSurge: 1 } */
  rollout: z
    .strictObject({
      /**
       * 1: a new machine joins before an old one leaves (etcd keeps its member count).
       * 0: an old machine leaves first (for infrastructure without spare capacity; the etcd
       * cluster runs one member short during each replacement). @default 1
       */
      maxSurge: z.union([z.literal(0), z.literal(1)]).default(1),
    })
    .prefault({}),
});
export type ControlPlane = z.infer<typeof controlPlane>;
