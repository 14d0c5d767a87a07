export * from './diagnose';
export * from './gather';
export * from './render';
export * from './repairs';
export * from './sources';
export * from './types';
