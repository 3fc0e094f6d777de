export * from './errors';
export * from './types';
export { parseFleet, defineFleet, type ParseResult } from './parse';
export { loadSpecFile } from './load';
export type { Rule } from './validate/rule';
