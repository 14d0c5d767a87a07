/**
 * `nodegroup-api --env NAME`: the environment's host, CA and credentials as the variables the CLI
 * already reads (KUBESPHERE_HOST, KUBESPHERE_CA_FILE, KUBESPHERE_USERNAME/PASSWORD/TOKEN), in the
 * CLI's own copy of the environment only (never exported). Without --env or RUNBOOK_ENV, or with
 * the sandbox, the CLI's environment is left as it is.
 */
import { CA_FILE_ENV, HOST_ENV, PASSWORD_ENV, TOKEN_ENV, USERNAME_ENV } from '../kapi/env';
import { resolveCredentials } from './credentials';
import { selectEnvironment } from './select';

type Env = Record<string, string | undefined>;

export function environmentForCli(argv: readonly string[], env: Env): { argv: string[]; env: Env } {
  const selection = selectEnvironment(argv, env, { context: false, allowDestructive: false });
  const chosen = selection.environment;
  if (chosen.kind !== 'live' || !selection.explicit) return { argv: selection.rest, env };
  const { credentials, token } = resolveCredentials(chosen.credentials, env);
  const overlay: Env = { ...env, [HOST_ENV]: chosen.host };
  if (chosen.caFile) overlay[CA_FILE_ENV] = chosen.caFile;
  // Only this environment's credentials: a KUBESPHERE_TOKEN of another target is not carried over.
  delete overlay[USERNAME_ENV];
  delete overlay[PASSWORD_ENV];
  delete overlay[TOKEN_ENV];
  if (credentials) {
    overlay[USERNAME_ENV] = credentials.username;
    overlay[PASSWORD_ENV] = credentials.password;
  }
  if (token) overlay[TOKEN_ENV] = token;
  return { argv: selection.rest, env: overlay };
}
