export * from './batch-binding';
export * from './bounded';
export * from './targets';
export * from './wait-all';
