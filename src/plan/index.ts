/** Plan on a twin, then apply: see every change before a live environment is touched (issue 11). */
export * from './build';
export * from './compare';
export * from './errors';
export * from './facts';
export * from './live-target';
export * from './plan-file';
export * from './plan-md';
export * from './twin-access';
export * from './twin-changes';
export * from './writes';
