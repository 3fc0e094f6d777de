export * from './layout';
export * from './serialize';
export * from './prune-guard';
export * from './writer';
export * from './ownership';
