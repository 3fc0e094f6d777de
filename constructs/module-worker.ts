/**
 * Starts a worker thread that runs one of kprod's own modules. Compiled (.js) the module is loaded
 * directly; from TypeScript sources (ts-jest, ts-node) the worker first installs a
 * transpile-on-require hook for .ts files, which costs the load of the TypeScript compiler.
 */
import { Worker, type TransferListItem, type WorkerOptions } from 'node:worker_threads';

export function startModuleWorker(filename: string, workerData: unknown, options: { resourceLimits?: WorkerOptions['resourceLimits']; transferList?: TransferListItem[] } = {}): Worker {
  if (filename.endsWith('.js')) return new Worker(filename, { ...options, workerData });
  const bootstrap = `
    const fs = require('node:fs');
    const ts = require(${JSON.stringify(require.resolve('typescript'))});
    require.extensions['.ts'] = (module, filename) => {
      const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: filename,
      });
      module._compile(out.outputText, filename);
    };
    require(${JSON.stringify(filename)});
  `;
  return new Worker(bootstrap, { ...options, eval: true, workerData });
}
