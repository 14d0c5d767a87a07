export * from './cleanup';
export * from './collect';
export * from './identity';
export * from './objects';
export * from './routes';
export * from './verdict';
export * from './workloads';
