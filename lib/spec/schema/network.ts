import { z } from 'zod';
import { cidr, dnsLabel, dnsSubdomain } from './common';

const portNumber = z.number().int().min(1).max(65535);

/** A port (range) a custom CNI needs open between all nodes (control plane and workers). */
export const cniRule = z
  .strictObject({
    /** tcp, udp, or "4" (IP-in-IP, no ports). */
    protocol: z.enum(['tcp', 'udp', '4']),
    /** First and last port (tcp/udp only), e.g. [4789, 4789]. @default none */
    ports: z.tuple([portNumber, portNumber]).optional(),
    /** What the rule is for, e.g. "flannel VXLAN". */
    description: z.string().min(1),
  })
  .superRefine((r, ctx) => {
    if (r.protocol === '4' ? r.ports !== undefined : r.ports === undefined)
      ctx.addIssue({ code: 'custom', path: ['ports'], message: r.protocol === '4' ? 'IP-in-IP has no ports' : `${r.protocol} needs ports [first, last]`, input: r.ports });
    else if (r.ports && r.ports[0] > r.ports[1]) ctx.addIssue({ code: 'custom', path: ['ports'], message: 'first port must not be above the last', input: r.ports });
  });
export type CniRule = z.infer<typeof cniRule>;

export const network = z.strictObject({
  /** Subnet the machines live on (and the VIP, unless `controlPlaneCidr` is set). */
  nodeCidr: cidr,
  /**
   * A small subnet of its own for the control plane, on the same network (same L2 segment, so
   * VRRP and gratuitous ARP reach every control-plane machine), OUTSIDE `nodeCidr` (Neutron
   * forbids overlapping subnets on one network). It holds the endpoint VIP and, in
   * keepalived-haproxy mode, the pinned machine addresses VIP+1 … VIP+replicas+1; its first host
   * is the gateway. Required for OpenStack with keepalived-haproxy: the Pulumi stack creates it
   * with exactly the pinned range as allocation pool, so every control-plane port lands on a
   * pinned address. Only with a VIP (keepalived-haproxy or kube-vip).
   * @default none (VIP and control plane inside nodeCidr)
   */
  controlPlaneCidr: cidr.optional(),
  /** Pod network. @default "10.244.0.0/16" */
  podCidr: cidr.default('10.244.0.0/16'),
  /** Service network. @default "10.96.0.0/12" */
  serviceCidr: cidr.default('10.96.0.0/12'),
  /** Cluster DNS domain. @default "cluster.local" */
  dnsDomain: dnsSubdomain.default('cluster.local'),
  /**
   * CNI and its encapsulation (decides which ports the security groups open). `none`: a
   * capability of the user's brings the CNI (`provider`, its id) and declares the ports it needs
   * between nodes (`rules`). @default { plugin: "calico", encapsulation: "ipip" }
   */
  cni: z
    .strictObject({
      /** @default "calico" */
      plugin: z.enum(['calico', 'cilium', 'none']).default('calico'),
      /** ipip (IP protocol 4 + BGP 179), vxlan (UDP 4789) or bgp (TCP 179, no overlay); ignored for `none`. @default "ipip" */
      encapsulation: z.enum(['ipip', 'vxlan', 'bgp']).default('ipip'),
      /** Id of the capability that installs the CNI (plugin `none` only). @default none */
      provider: dnsLabel.optional(),
      /** Ingress rules the custom CNI needs between all nodes (plugin `none` only). @default [] */
      rules: z.array(cniRule).default([]),
      /**
       * Pod bandwidth limits from the `kubernetes.io/ingress-bandwidth` / `egress-bandwidth`
       * annotations: Cilium's bandwidth manager (EDT, egress); Calico ≥ 3.31 applies them in Felix
       * whatever this says. @default false
       */
      bandwidthLimits: z.boolean().default(false),
    })
    .prefault({})
    .superRefine((cni, ctx) => {
      if (cni.plugin === 'none' && !cni.provider)
        ctx.addIssue({ code: 'custom', path: ['provider'], message: 'plugin "none" needs the id of the capability that installs the CNI', input: cni.provider });
      if (cni.plugin !== 'none') {
        if (cni.provider) ctx.addIssue({ code: 'custom', path: ['provider'], message: `applies to plugin "none" only (plugin is "${cni.plugin}")`, input: cni.provider });
        if (cni.rules.length) ctx.addIssue({ code: 'custom', path: ['rules'], message: `applies to plugin "none" only; kprod knows the ports of ${cni.plugin}`, input: cni.rules });
      }
    }),
});
export type Network = z.infer<typeof network>;
