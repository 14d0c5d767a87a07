/**
 * The environment variables of the operations guide's helper, read by `nodegroup-api` and by the
 * runbook runner alike (one name each, here).
 */
export const HOST_ENV = 'KUBESPHERE_HOST';
export const USERNAME_ENV = 'KUBESPHERE_USERNAME';
export const PASSWORD_ENV = 'KUBESPHERE_PASSWORD';
export const TOKEN_ENV = 'KUBESPHERE_TOKEN';
/** PEM CA bundle for an https host. */
export const CA_FILE_ENV = 'KUBESPHERE_CA_FILE';
