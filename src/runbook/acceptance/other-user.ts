/**
 * Acting as another user: the login comes from the run's variables (`<USER>_USERNAME`, default
 * the user's name; `<USER>_PASSWORD` or `<USER>_TOKEN`, USER upper-cased, e.g. VIEWER_PASSWORD;
 * set as RUNBOOK_VAR_VIEWER_PASSWORD or in --world-parameters vars: an environment file's vars
 * refuse secret names, so a named environment names no password there), or
 * from the KubeSphere credential variables `KUBESPHERE_<USER>_USERNAME` / `_PASSWORD` / `_TOKEN`
 * (what the sandbox's env file exports for its viewer), or, on the embedded sandbox, from the
 * sandbox itself. A bare VIEWER_PASSWORD in the environment is never read. Without any, the
 * check cannot run: `resolveUser` says so with the variables to set (code RUNBOOK_ENV_AUTH), so
 * the capability is skipped with that reason, never passed.
 */
import type { KapiClient } from '../../kapi/client';
import { openKapi, type RunContext } from '../context';

export interface UserLogin {
  name: string;
  username: string;
  password?: string;
  token?: string;
}

/** Why a user's check cannot run here, with the code the verdict shows. */
export interface UserSkip {
  code: 'RUNBOOK_ENV_AUTH';
  reason: string;
}

export type UserResolution = { login: UserLogin } | { skip: UserSkip };

type What = 'USERNAME' | 'PASSWORD' | 'TOKEN';
const upper = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
/** The run variable of a user's login: VIEWER_PASSWORD. */
export const userVariable = (name: string, what: What) => `${upper(name)}_${what}`;
/** The KubeSphere credential variable of a user's login: KUBESPHERE_VIEWER_PASSWORD. */
export const userEnvVariable = (name: string, what: What) => `KUBESPHERE_${upper(name)}_${what}`;

export function resolveUser(
  name: string,
  lookup: (variable: string) => string | undefined,
  env: Readonly<Record<string, string | undefined>> = {},
  sandboxUsers: readonly { username: string; password: string }[] = [],
): UserResolution {
  const read = (what: What) =>
    lookup(userVariable(name, what)) || env[userEnvVariable(name, what)] || undefined;
  const username = read('USERNAME') || name;
  const password = read('PASSWORD');
  const token = read('TOKEN');
  if (password) return { login: { name, username, password } };
  if (token) return { login: { name, username, token } };
  const known = sandboxUsers.find((u) => u.username === username);
  if (known) return { login: { name, username, password: known.password } };
  return {
    skip: {
      code: 'RUNBOOK_ENV_AUTH',
      reason:
        `no credentials for the user "${name}": set ${userEnvVariable(name, 'PASSWORD')} (or ${userEnvVariable(name, 'TOKEN')}; ` +
        `${userEnvVariable(name, 'USERNAME')} when the login is not "${name}") in the environment (the ` +
        `sandbox's env file exports them), or the run variable ${userVariable(name, 'PASSWORD')} ` +
        `(RUNBOOK_VAR_${userVariable(name, 'PASSWORD')} or --world-parameters vars)`,
    },
  };
}

export interface UserSession {
  login: UserLogin;
  kapi: KapiClient;
}

/** A KAPI client of the user's own, recorded in the run's evidence like the admin's (secrets scrubbed). */
export function openUserSession(ctx: RunContext, login: UserLogin): UserSession {
  ctx.recorder.redactor.addSecret(login.password);
  ctx.recorder.redactor.addSecret(login.token);
  const kapi = openKapi(
    {
      kind: ctx.target.kind,
      host: ctx.target.host,
      ...(login.password ? { credentials: { username: login.username, password: login.password } } : {}),
      ...(login.token ? { token: login.token } : {}),
      ...(ctx.target.caFile ? { caFile: ctx.target.caFile } : {}),
    },
    ctx.record,
  );
  return { login, kapi };
}
