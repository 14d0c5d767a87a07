export * from './collect';
export * from './disposable';
export * from './identity';
export * from './nothing-left';
export * from './routes';
export * from './verdict';
export * from './workloads';
