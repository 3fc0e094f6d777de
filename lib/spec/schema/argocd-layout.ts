import { z } from 'zod';
import { argocdController } from './argocd-controller';

/**
 * How an environment's Argo CD Applications are organised under its root Application, and the
 * Argo CD controller that reconciles them (docs/gitops-scale.md). Switching `layout` on a live
 * fleet is two commits (see `handover`).
 */
export const argocdLayout = z
  .strictObject({
    /**
     * `flat`: `<env>/argocd/` holds every Application (about 30 per cluster). `per-cluster`:
     * `<env>/argocd/` holds the AppProjects and one Application per cluster (`<cluster>-applications`)
     * whose folder `<env>/argocd/<cluster>/` holds that cluster's Applications and tenant projects,
     * so no root holds thousands of Applications. @default "flat"
     */
    layout: z.enum(['flat', 'per-cluster']).default('flat'),
    /**
     * First step of switching `layout`: every Application and tenant AppProject of a cluster carries
     * `argocd.argoproj.io/sync-options: Prune=false`. Once Argo CD has synced that, the switch moves
     * them to their new parent without the old one pruning them (Helm Applications carry the
     * cascading `resources-finalizer.argocd.argoproj.io`: pruning them deletes what they installed).
     * Turn it off in the commit that switches `layout`. @default false
     */
    handover: z.boolean().default(false),
    /**
     * The application controller the bootstrap stack installs: replicas, processors, sharding
     * (lib/spec/schema/argocd-controller.ts). Install settings only: `dist/` does not change.
     * @default {} (every setting derived from the environment's size)
     */
    controller: argocdController,
  })
  .prefault({});
