import { writeTree, type WriteOptions, type WriteResult } from '../lib/gitops';
import { formatIssue, loadSpecFile, parseFleet, type FleetInput, type ParseResult } from '../lib/spec';
import { synthFleet, type SynthOutput } from './fleet';

export interface SynthOptions extends WriteOptions {
  /** Output folder. @default "dist" */
  readonly outDir?: string;
}

export interface SynthReport extends WriteResult {
  objects: number;
  files: number;
  summary: string[];
  warnings: string[];
}

/**
 * Validates a fleet (a spec object or a spec file path), synthesizes it and brings `outDir` up to
 * date. Invalid input throws SpecError before anything is written.
 */
export function synth(spec: FleetInput | string, options: SynthOptions = {}): SynthReport {
  const parsed: ParseResult = typeof spec === 'string' ? loadSpecFile(spec) : parseFleet(spec);
  const out: SynthOutput = synthFleet(parsed.spec);
  const result = writeTree(options.outDir ?? 'dist', out.files, options);
  return {
    ...result,
    objects: out.objects,
    files: out.files.size,
    summary: out.summary,
    warnings: parsed.warnings.map(formatIssue),
  };
}
