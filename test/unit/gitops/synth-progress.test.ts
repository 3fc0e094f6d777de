import { progressLine, showsProgress } from '../../../bin/commands/synth-progress';

describe('synth progress line', () => {
  it('shows clusters done of total, elapsed time and an estimate from the pace so far', () => {
    expect(progressLine(0, 1000, 0.4)).toBe('kprod: 0/1000 clusters, 0.4 s');
    expect(progressLine(250, 1000, 12.5)).toBe('kprod: 250/1000 clusters, 12.5 s, about 37.5 s left');
    expect(progressLine(100, 1000, 30)).toBe('kprod: 100/1000 clusters, 30.0 s, about 4 min 30 s left');
    expect(progressLine(1000, 1000, 61)).toBe('kprod: 1000/1000 clusters, 1 min 1 s');
  });

  it('is shown only on a terminal and never in CI', () => {
    expect(showsProgress({ isTTY: true }, {})).toBe(true);
    expect(showsProgress({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(showsProgress({ isTTY: false }, {})).toBe(false);
    expect(showsProgress({}, {})).toBe(false);
  });
});
