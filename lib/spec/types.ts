import type { z } from 'zod';
import type { cluster, environment, fleet } from './schema/cluster';
import type { Sku } from './schema/node-pools';

/** What a user writes: a fleet spec before defaults. */
export type FleetInput = z.input<typeof fleet>;
export type ClusterInput = z.input<typeof cluster>;

type ParsedFleet = z.output<typeof fleet>;
type ParsedEnvironment = z.output<typeof environment>;
type ParsedCluster = z.output<typeof cluster>;

type DeepReadonly<T> = T extends (infer U)[]
  ? ReadonlyArray<DeepReadonly<U>>
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A cluster after validation: defaults filled in and derived values computed. */
export type ClusterSpec = DeepReadonly<
  Omit<ParsedCluster, 'controlPlane'> & {
    /** Name of the environment the cluster belongs to. */
    environment: string;
    /** Fleet name. */
    fleet: string;
    /** The SKUs this cluster's pools refer to, by name. */
    skus: Record<string, Sku>;
    controlPlane: Omit<ParsedCluster['controlPlane'], 'replicas' | 'endpoint'> & {
      replicas: number;
      endpoint: ParsedCluster['controlPlane']['endpoint'] & {
        port: number;
        /** What clients dial: the first DNS name, else the VIP (for loadbalancer mode: the first DNS name or empty until CAPO fills it). */
        host: string;
      };
    };
  }
>;

export type EnvironmentSpec = DeepReadonly<Omit<ParsedEnvironment, 'clusters'>> & {
  readonly clusters: readonly ClusterSpec[];
};

/** The validated fleet: plain frozen data that constructs and stacks only read. */
export type FleetSpec = DeepReadonly<Omit<ParsedFleet, 'environments'>> & {
  readonly environments: readonly EnvironmentSpec[];
};

export type { Sku };
export type NodePoolSpec = ClusterSpec['nodePools'][number];
export type TenantSpec = ClusterSpec['tenants'][number];
export type ControlPlaneSpec = ClusterSpec['controlPlane'];
