import * as openstack from '@pulumi/openstack';
import * as pulumi from '@pulumi/pulumi';
import type { Sku } from '../../lib/spec';
import { toBytes } from '../../lib/sizing/quantity';

/**
 * Placement resource class of a host class: Ironic nodes carry `resource_class` = the host class
 * (e.g. `gpu`), which Placement exposes as `CUSTOM_GPU`.
 */
export function resourceClass(hostClass: string): string {
  return `CUSTOM_${hostClass.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** extra_specs of a bare-metal flavor: one whole node of the class, and no VCPU/RAM/disk accounting (Ironic nodes are not divisible). */
export function ironicExtraSpecs(hostClass: string): Record<string, string> {
  return {
    [`resources:${resourceClass(hostClass)}`]: '1',
    'resources:VCPU': '0',
    'resources:MEMORY_MB': '0',
    'resources:DISK_GB': '0',
  };
}

export interface IronicFlavorsArgs {
  /** SKUs by name; those with a `hostClass` get a flavor named after the SKU's `flavor` (or `bm.<hostClass>`). */
  readonly skus: Readonly<Record<string, Sku>>;
  /** Make the flavors public. @default false */
  readonly isPublic?: boolean;
}

/** Nova flavors scheduling onto Ironic nodes of each host class, through the same OpenStack provider. */
export class IronicFlavors extends pulumi.ComponentResource {
  public readonly flavors: Readonly<Record<string, openstack.compute.Flavor>>;

  constructor(name: string, args: IronicFlavorsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('kprod:baremetal:IronicFlavors', name, {}, opts);
    const flavors: Record<string, openstack.compute.Flavor> = {};
    const seen = new Set<string>();
    for (const [skuName, sku] of Object.entries(args.skus)) {
      if (!sku.hostClass || seen.has(sku.hostClass)) continue;
      seen.add(sku.hostClass);
      const flavorName = sku.flavor ?? `bm.${sku.hostClass}`;
      // vcpus/ram/disk are informative for users; scheduling uses only the custom resource class.
      flavors[sku.hostClass] = new openstack.compute.Flavor(
        `${name}-${sku.hostClass}`,
        {
          name: flavorName,
          vcpus: sku.cpu,
          ram: Math.floor(toBytes(sku.memory) / 2 ** 20),
          disk: Math.floor(toBytes(sku.ephemeralStorage) / 2 ** 30),
          isPublic: args.isPublic ?? false,
          extraSpecs: ironicExtraSpecs(sku.hostClass),
          description: `kprod bare-metal flavor for host class ${sku.hostClass} (SKU ${skuName})`,
        },
        { parent: this },
      );
    }
    this.flavors = flavors;
    this.registerOutputs({});
  }
}
