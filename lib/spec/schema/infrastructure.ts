import { z } from 'zod';
import { dnsSubdomain } from './common';

/** OpenStack (CAPO v0.14) settings of one cluster. */
export const openstackInfrastructure = z.strictObject({
  provider: z.literal('openstack'),
  /** Name of the cloud in clouds.yaml. @default "openstack" */
  cloudName: z.string().min(1).default('openstack'),
  /** Secret (in the cluster's namespace on the management cluster) holding clouds.yaml, created by the Pulumi stack. @default "<cluster>-cloud-config" */
  identitySecretName: dnsSubdomain.optional(),
  /** External network for routers and floating IPs; omitted means no floating IPs. */
  externalNetworkId: z.string().optional(),
  /** Glance image name for all machines unless a pool overrides it. */
  imageName: z.string().min(1),
  /** Nova key pair injected into machines. @default none */
  sshKeyName: z.string().optional(),
  /** DNS resolvers of the node subnet. @default [] */
  dnsNameservers: z.array(z.ipv4()).default([]),
  /** Octavia provider when `endpoint.mode` is `loadbalancer`. @default "amphora" */
  loadBalancerProvider: z.string().default('amphora'),
});

/** Metal3 (CAPM3 v1.13) settings of one cluster. */
export const metal3Infrastructure = z.strictObject({
  provider: z.literal('metal3'),
  /** OS image URL written to BareMetalHosts by CAPM3. */
  imageUrl: z.string().url(),
  /** Checksum URL or value of the image. */
  imageChecksum: z.string().min(1),
  /** Checksum type. @default "sha256" */
  imageChecksumType: z.enum(['md5', 'sha256', 'sha512']).default('sha256'),
  /** Disk format. @default "raw" */
  imageFormat: z.enum(['raw', 'qcow2', 'vdi', 'vmdk', 'live-iso']).default('raw'),
});

export const infrastructure = z.discriminatedUnion('provider', [openstackInfrastructure, metal3Infrastructure]);
export type Infrastructure = z.infer<typeof infrastructure>;
