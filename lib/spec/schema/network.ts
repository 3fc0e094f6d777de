import { z } from 'zod';
import { cidr, dnsSubdomain } from './common';

export const network = z.strictObject({
  /** Subnet the machines live on (and the VIP). */
  nodeCidr: cidr,
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
    })
    .prefault({}),
});
export type Network = z.infer<typeof network>;
