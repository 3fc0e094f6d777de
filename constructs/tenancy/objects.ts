import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Manifest } from '../../lib/tenancy/manifest';

/** Adds plain manifests as ApiObjects, with ids unique per kind, namespace and name. */
export function addManifests(scope: Construct, manifests: readonly Manifest[]): ApiObject[] {
  return manifests.map((m) => new ApiObject(scope, [m.kind, m.metadata.namespace, m.metadata.name].filter(Boolean).join('-'), m as never));
}
