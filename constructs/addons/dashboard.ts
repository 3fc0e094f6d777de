import { Construct } from 'constructs';
import { dashboardViewerObjects } from '../../lib/addons/dashboard';
import type { ClusterContext } from '../context';
import { addManifests } from '../tenancy/objects';

export interface DashboardViewerProps {
  /** The cluster being built. */
  readonly ctx: ClusterContext;
}

/**
 * The Dashboard's read-only access (`addons/dashboard/`): the `kprod:dashboard-viewer`
 * ClusterRole and its binding to `addons.dashboard.viewerGroups`. The chart itself is a Helm
 * Application (see `addAddons`).
 */
export class DashboardViewer extends Construct {
  constructor(scope: Construct, id: string, props: DashboardViewerProps) {
    super(scope, id);
    addManifests(this, dashboardViewerObjects(props.ctx.cluster));
  }
}
