export * from './collect';
export * from './disposable';
export * from './nothing-left';
export * from './other-user';
export * from './routes';
export * from './verdict';
export * from './workloads';
