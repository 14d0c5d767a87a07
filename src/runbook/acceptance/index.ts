export * from './collect';
export * from './disposable';
export * from './other-user';
export * from './nothing-left';
export * from './routes';
export * from './verdict';
export * from './workloads';
