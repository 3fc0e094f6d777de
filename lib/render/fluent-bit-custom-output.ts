import type { FluentBitSection } from './fluent-bit';

/** A custom output of the spec as data. */
export interface CustomLogOutputSpec {
  readonly type: 'custom';
  readonly section: Readonly<Record<string, string | number | boolean>>;
  readonly credentialsSecret?: string;
}

/**
 * The user's output section with property names lower-cased (Fluent Bit ignores their case),
 * booleans as on/off, and kprod's delivery defaults (every tag, unlimited retries, the buffer
 * cap) where the section does not set them.
 */
export function customOutputSection(output: CustomLogOutputSpec, bufferLimit: string): FluentBitSection {
  const own: Record<string, string | number> = Object.fromEntries(
    Object.entries(output.section).map(([k, v]) => [k.toLowerCase(), typeof v === 'boolean' ? (v ? 'on' : 'off') : v]),
  );
  const { name, ...properties } = own;
  return { name: String(name), match: '*', retry_limit: 'no_limits', 'storage.total_limit_size': bufferLimit, ...properties };
}

/** How the summary names the output. */
export function describeCustomOutput(output: CustomLogOutputSpec): string {
  const section = Object.fromEntries(Object.entries(output.section).map(([k, v]) => [k.toLowerCase(), v]));
  return `custom ${section.name}${section.host ? ` ${section.host}${section.port ? `:${section.port}` : ''}` : ''}`;
}
