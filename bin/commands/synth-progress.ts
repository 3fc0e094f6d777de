/**
 * One updating line on stderr while a synth runs (`12/1000 clusters, 4.1 s, about 5 min left`),
 * only on an interactive terminal: piped output and CI (CI=true) stay quiet.
 */
export interface Progress {
  update(done: number, total: number): void;
  /** Clears the line. */
  end(): void;
}

const QUIET: Progress = { update: () => undefined, end: () => undefined };

/** Whether progress is shown: a TTY on stderr and not CI. */
export function showsProgress(stream: { isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return !!stream.isTTY && !env.CI;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** The line's text: clusters done of total, elapsed time and the estimate from the pace so far. */
export function progressLine(done: number, total: number, elapsedSeconds: number): string {
  const left = done > 0 && done < total ? `, about ${duration((elapsedSeconds / done) * (total - done))} left` : '';
  return `kprod: ${done}/${total} clusters, ${duration(elapsedSeconds)}${left}`;
}

/** A progress line on stderr when showsProgress(), else a no-op; redrawn at most every 100 ms. */
export function startProgress(): Progress {
  if (!showsProgress()) return QUIET;
  const start = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      drawn = true;
      process.stderr.write(`\r\x1b[K${progressLine(done, total, (now - start) / 1000)}`);
    },
    end() {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}
