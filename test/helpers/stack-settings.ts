import * as pulumi from '@pulumi/pulumi';
import type { FleetSpec } from '../../lib/spec';
import { DEFAULT_VERSIONS } from '../../stacks/bootstrap/versions';
import type { StackSettings } from '../../stacks/config';
import { DEFAULT_LIFETIMES } from '../../stacks/pki/certs';

/** The settings of the `prod` environment's stack with bootstrap on, as the stack tests build it; `over` replaces fields. */
export function stackSettings(fleet: FleetSpec, over: Partial<StackSettings> = {}): StackSettings {
  return {
    fleet,
    environment: 'prod',
    hosts: [],
    ownClusterCa: false,
    lifetimes: DEFAULT_LIFETIMES,
    encryptionKeyName: 'kprod-1',
    ironicFlavors: false,
    bootstrap: true,
    registerClusters: [],
    versions: DEFAULT_VERSIONS,
    managementKubeconfig: pulumi.secret('apiVersion: v1\nkind: Config\n'),
    cloudsYaml: pulumi.secret('clouds: {}\n'),
    ...over,
  };
}
