/**
 * Offline conformance: a synthesized tree checked as the management and workload clusters would
 * (upstream schemas, CRD CEL rules, provider webhook rules on create and update, built-in kinds,
 * embedded config documents). See README "kprod check".
 */
export { checkFiles, checkTree, readTree, type CheckOptions } from './check';
export { CheckFailedError } from './check-failed-error';
export { formatReport, type CheckFailure, type CheckReport, type CheckUnevaluated } from './report';
