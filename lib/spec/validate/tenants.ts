// Owned by the tenancy helper.
import type { Rule } from './rule';

/** Tenancy rules (quota vs allocatable capacity, quantities, isolation). */
export const tenantRules: Rule = () => {};
