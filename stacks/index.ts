/**
 * Entry point of `pulumi up -s <env>` (Pulumi.yaml `main`): reads the stack configuration,
 * loads and validates the fleet spec, and provisions the environment.
 */
import { readStackSettings } from './config';
import { buildStack } from './program';

const outputs = buildStack(readStackSettings());

export const environment = outputs.environment;
export const clusters = outputs.clusters;
export const managementAddresses = outputs.managementAddresses;
export const argocdRootApplication = outputs.argocdRootApplication;
