/**
 * The app `cdk8s synth` runs (cdk8s.yaml): the same synth as `kprod synth`, straight from the
 * TypeScript sources through jiti (no build needed), into the folder cdk8s-cli names in
 * CDK8S_OUTDIR (its `--output`, else cdk8s.yaml `output`). The fleet is KPROD_SPEC, or the example.
 *
 * cdk8s-cli empties that folder before it runs the app (a repository folder with other files
 * belongs with `kprod synth`). For `--stdout` it passes a fresh temporary folder and prints every
 * .yaml file in it, concatenated: there each manifest starts with `---` so that the printed
 * stream stays one valid multi-document YAML.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthFleet } from '../constructs/fleet';
import { synth } from '../constructs/synth';
import { formatIssue, loadSpecFile } from '../lib/spec';
import { fail } from './cli-errors';

const spec = process.env.KPROD_SPEC ?? path.join(__dirname, '..', 'examples', 'fleet.ts');
const outDir = process.env.CDK8S_OUTDIR ?? 'dist';

/** cdk8s-cli's `--stdout` folder: `<tmp>/cdk8s-XXXXXX` (src/util.ts mkdtemp, cdk8s-cli v2.198). */
function isStdoutFolder(dir: string): boolean {
  const abs = path.resolve(dir);
  return path.dirname(abs) === path.resolve(os.tmpdir()) && /^cdk8s-/.test(path.basename(abs));
}

try {
  if (isStdoutFolder(outDir)) {
    const { spec: fleet, warnings } = loadSpecFile(spec);
    for (const w of warnings) console.error(formatIssue(w));
    for (const [file, text] of synthFleet(fleet).files) {
      if (!file.endsWith('.yaml')) continue;
      fs.mkdirSync(path.join(outDir, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(outDir, file), `---\n${text}`);
    }
  } else {
    const report = synth(spec, { outDir });
    for (const w of report.warnings) console.error(w);
    console.log(`kprod: ${report.objects} objects in ${report.files} files → ${outDir}`);
  }
} catch (e) {
  fail(e);
}
