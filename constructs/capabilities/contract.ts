/**
 * The capability contract: a named unit that adds objects for one cluster through its context.
 * Modelled on cdk-eks-blueprints' add-on contract (an id, a deploy function, optional typed
 * settings) and pulumi-eks' switches: a built-in capability is replaced or removed by its id.
 */
import type { z } from 'zod';
import type { CniRule } from '../../lib/spec/schema/network';
import type { ClusterContext } from '../context';

export interface Capability<S = any> {
  /**
   * Stable id (DNS-1123 label): what users add, replace and remove by, the key of the capability's
   * settings (`environments[i].clusters[j].extensions.<id>`) and the owner of the folders it claims.
   */
  readonly id: string;
  /**
   * Schema of the capability's own spec settings (`extensions.<id>` of a cluster), validated with
   * the core spec and reported with the same paths.
   * @default none (the capability takes no settings; any given are an error)
   */
  readonly settings?: z.ZodType<S>;
  /**
   * Ids of capabilities whose add-on and tenant folders this one may add objects to. Without
   * it, asking for a folder another capability created is an error.
   * @default []
   */
  readonly extends?: readonly string[];
  /**
   * Ids of capabilities that must be in the set and build before this one (e.g. a ClusterIssuer
   * capability requires `cert-manager`); checked before anything is built.
   * @default []
   */
  readonly requires?: readonly string[];
  /**
   * For a capability that installs the CNI (`network.cni.plugin: none`, `provider: <id>`): the
   * ports it needs open between all nodes. The spec's `network.cni.rules` (which the Pulumi
   * security groups read) must list each of them; validation names the missing ones.
   * @default none
   */
  readonly cniRules?: readonly CniRule[];
  /**
   * Changes when the capability's output for the same spec changes; part of
   * `capabilitySetKey` (the synth cache key).
   * @default "0"
   */
  readonly version?: string;
  /**
   * Adds the capability's objects for one cluster. `settings` is the cluster's parsed
   * `extensions.<id>` (defaults filled in), or undefined when the cluster has none.
   */
  build(ctx: ClusterContext, settings: S | undefined): void;
}

/** Identity helper that types `settings` from the schema. */
export function defineCapability<S>(capability: Capability<S>): Capability<S> {
  return capability;
}

/**
 * What the synth functions accept: a capability, or (deprecated) a bare build function, which gets
 * the id `anonymous-<position>` and cannot be replaced or removed by id.
 */
export type CapabilityInput = Capability | ((ctx: ClusterContext) => void);

/** A bare function becomes an anonymous capability; capabilities pass through. */
export function toCapability(input: CapabilityInput, position: number): Capability {
  if (typeof input !== 'function') return input;
  return { id: `anonymous-${position}`, build: (ctx) => input(ctx) };
}
