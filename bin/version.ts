import * as fs from 'node:fs';
import * as path from 'node:path';

/** kprod's version from its package.json (found from source and from build/, wherever installed). */
export function packageVersion(): string {
  for (let dir = __dirname, i = 0; i < 4; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kprod' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0-unknown';
}
