import { checkFiles, formatReport } from '../../lib/check';

/**
 * What `kprod check` reports for these objects (each its own JSON file): one line per failure or
 * unevaluated rule, `Kind/name: path: message`. Empty means every object was checked and passed;
 * an object of a kind the check has no schema for is an unevaluated line, so it cannot pass silently.
 */
export function checkObjects(...objects: unknown[]): string[] {
  const files = new Map(objects.map((o, i) => [`doc-${i}.json`, JSON.stringify(o)]));
  return formatReport(checkFiles(files))
    .slice(0, -1)
    .map((line) => line.replace(/^doc-\d+\.json: /, ''));
}
