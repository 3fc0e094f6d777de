import { renderEtcdRestoreRunbook } from '../../lib/render/runbook-etcd-restore';
import type { ClusterContext } from '../context';

/** Where the runbook lands, relative to `dist/<env>/<cluster>/`. */
export const ETCD_RESTORE_RUNBOOK_PATH = 'runbooks/etcd-restore.md';

/** Writes the cluster's etcd restore runbook (stacked and external etcd) as a plain file; not applied by Argo CD. */
export function addEtcdRestoreRunbook(ctx: ClusterContext): void {
  ctx.addFile(ETCD_RESTORE_RUNBOOK_PATH, renderEtcdRestoreRunbook(ctx.cluster));
}
