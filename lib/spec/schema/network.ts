import { z } from 'zod';
import { cidr, dnsSubdomain } from './common';

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
  /** CNI and its encapsulation (decides which ports the security groups open). @default { plugin: "calico", encapsulation: "ipip" } */
  cni: z
    .strictObject({
      /** @default "calico" */
      plugin: z.enum(['calico', 'cilium']).default('calico'),
      /** ipip (IP protocol 4 + BGP 179), vxlan (UDP 4789) or bgp (TCP 179, no overlay). @default "ipip" */
      encapsulation: z.enum(['ipip', 'vxlan', 'bgp']).default('ipip'),
      /**
       * Pod bandwidth limits from the `kubernetes.io/ingress-bandwidth` / `egress-bandwidth`
       * annotations: Cilium's bandwidth manager (EDT, egress); Calico ≥ 3.31 applies them in Felix
       * whatever this says. @default false
       */
      bandwidthLimits: z.boolean().default(false),
    })
    .prefault({}),
});
export type Network = z.infer<typeof network>;
