/** Environments: files, selection, credentials, kubeconfig, the same-cluster preflight, tools. */
export * from './credentials';
export * from './errors';
export * from './file';
export * from './preflight';
export * from './sandbox';
export * from './select';
export * from './tools';
