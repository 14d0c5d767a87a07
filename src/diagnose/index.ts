export * from './commands';
export * from './diagnose';
export * from './gather';
export * from './render';
export * from './sources';
export * from './types';
