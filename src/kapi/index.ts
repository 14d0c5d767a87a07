export * from './auth';
export * from './client';
export * from './env';
export * from './errors';
export * from './names';
export * from './nodegroups';
export * from './token-cache';
export * from './transport';
