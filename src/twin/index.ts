/** The twin: a sandbox started from the state of a live environment, and drift against it. */
export * from './diff';
export * from './drift';
export * from './errors';
export * from './import';
export * from './reads';
export * from './sanitize';
export * from './target';
