import { findMassDeletions, type PruneGuardOptions, type PruneViolation } from '../gitops/prune-guard';
import { formatIssue, type FleetSpec, type SpecIssue } from '../spec';
import { argocdMoveIssues } from './argocd-moves';
import { rolloutImpact } from './rollout-impact';
import { transitionIssues } from './transitions';
import type { Tree } from './tree';
import { upgradeOrder } from './upgrade-order';

/** Exit codes of `kprod plan`. */
export const PLAN_EXIT = { noChange: 0, changes: 2, refused: 3 } as const;

/** What a spec change would do to the live fleet (`kprod plan`). */
export interface Plan {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
  /** What the prune guard would refuse on a real synth (a plan reports, never refuses). */
  readonly pruneRefusals: PruneViolation[];
  /** Transitions the live fleet would refuse (skipped minor, downgrade, immutable fields). */
  readonly refused: SpecIssue[];
  /** Control planes and pools that replace machines, and why. */
  readonly impact: string[];
  /** The upgrade order of every cluster whose version changes. */
  readonly order: string[];
  readonly exitCode: (typeof PLAN_EXIT)[keyof typeof PLAN_EXIT];
}

export interface PlanOptions extends PruneGuardOptions {
  /** As `kprod synth --allow-prune`: mass deletions are intended, not refused. @default false */
  readonly allowPrune?: boolean;
}

/** Compares the tree in the output folder (`previous`) with the tree the spec synthesizes (`next`). */
export function planTransition(previous: Tree, next: Tree, fleet: FleetSpec, options: PlanOptions = {}): Plan {
  const added = [...next.keys()].filter((f) => !previous.has(f)).sort();
  const removed = [...previous.keys()].filter((f) => !next.has(f)).sort();
  const changed = [...next.keys()].filter((f) => previous.has(f) && previous.get(f) !== next.get(f)).sort();
  const pruneRefusals = options.allowPrune ? [] : findMassDeletions([...previous.keys()], removed, options, next.keys());
  const refused = [...transitionIssues(previous, next, fleet), ...argocdMoveIssues(previous, next, fleet)];
  const any = added.length + changed.length + removed.length > 0;
  const exitCode = refused.length || pruneRefusals.length ? PLAN_EXIT.refused : any ? PLAN_EXIT.changes : PLAN_EXIT.noChange;
  return { added, changed, removed, pruneRefusals, refused, impact: rolloutImpact(previous, next), order: upgradeOrder(previous, fleet), exitCode };
}

/** The plan as the lines `kprod plan` prints. */
export function describePlan(plan: Plan): string[] {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push(title, ...lines.map((l) => `  ${l}`));
  };
  section(`files added (${plan.added.length}):`, plan.added.map((f) => `+ ${f}`));
  section(`files changed (${plan.changed.length}):`, plan.changed.map((f) => `~ ${f}`));
  section(`files removed (${plan.removed.length}):`, plan.removed.map((f) => `- ${f}`));
  section('rollout impact:', plan.impact);
  section('upgrade order:', plan.order);
  section(
    'the prune guard would refuse (pass --allow-prune to synth when intended):',
    plan.pruneRefusals.map((v) => `${v.folder}: ${v.deleted} of ${v.existing} files, ${v.reason}`),
  );
  section('the live fleet would refuse these transitions:', plan.refused.map(formatIssue));
  out.push(
    plan.exitCode === PLAN_EXIT.noChange
      ? 'kprod plan: no change'
      : `kprod plan: +${plan.added.length} ~${plan.changed.length} -${plan.removed.length}${plan.exitCode === PLAN_EXIT.refused ? '; would be refused' : ''}`,
  );
  return out;
}
