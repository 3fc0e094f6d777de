import { formatReport, type CheckReport } from './report';

/** A synthesized tree the clusters would refuse (synth with `check` on); nothing was written. */
export class CheckFailedError extends Error {
  constructor(readonly report: CheckReport) {
    super(`the synthesized tree fails kprod check (${report.failed} failed); nothing was written\n${formatReport(report).join('\n')}`);
    this.name = 'CheckFailedError';
  }
}
