import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ObjectQuery } from '../context';

/** Every ApiObject under `root` matching the query, in construction order. */
export function findObjects(root: Construct, query: Partial<ObjectQuery>): ApiObject[] {
  return root.node.findAll().filter(
    (c): c is ApiObject =>
      ApiObject.isApiObject(c) &&
      (query.kind === undefined || c.kind === query.kind) &&
      (query.name === undefined || c.metadata.name === query.name) &&
      (query.namespace === undefined || c.metadata.namespace === query.namespace) &&
      (query.apiVersion === undefined || c.apiVersion === query.apiVersion),
  );
}

/** The one object matching; undefined for none; an error naming the matches for several. */
export function findObject(root: Construct, query: ObjectQuery): ApiObject | undefined {
  const found = findObjects(root, query);
  if (found.length > 1)
    throw new Error(`${query.kind} "${query.name}" is ambiguous: ${found.map((o) => `${o.apiVersion} ${o.metadata.namespace ?? '(cluster)'}/${o.metadata.name}`).join(', ')}; give the namespace or apiVersion`);
  return found[0];
}
