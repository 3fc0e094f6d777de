export * from './errors';
export * from './types';
export { parseFleet, defineFleet, type ParseResult } from './parse';
export { loadSpecFile, loadSpecFileAsync, loadSpecInput, SpecModuleError, MAX_YAML_ALIASES } from './load';
export type { Rule } from './validate/rule';
export { extensionIssues, type ExtensionSchemas, type ParseOptions } from './extensions';
export type { ObjectPatch, PatchTarget, JsonPatchOperation } from './schema/extensions';
export type { CniRule } from './schema/network';
