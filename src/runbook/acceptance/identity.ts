/**
 * Acting as another user: the login comes from the run's variables or the environment
 * (`<USER>_USERNAME`, default the user's name; `<USER>_PASSWORD` or `<USER>_TOKEN`, with USER the
 * name upper-cased, e.g. VIEWER_PASSWORD), or, on the embedded sandbox, from the sandbox itself.
 * Without any, the check cannot run: `resolveUser` says so with the variables to set, so the
 * capability is skipped with that reason, never passed.
 */
import type { KapiClient } from '../../kapi/client';
import { openKapi, type RunContext } from '../context';

export interface UserLogin {
  name: string;
  username: string;
  password?: string;
  token?: string;
}

export type UserResolution = { login: UserLogin } | { skip: string };

export const userVariable = (name: string, what: 'USERNAME' | 'PASSWORD' | 'TOKEN') =>
  `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${what}`;

export function resolveUser(
  name: string,
  lookup: (variable: string) => string | undefined,
  sandboxUsers: readonly { username: string; password: string }[] = [],
): UserResolution {
  const username = lookup(userVariable(name, 'USERNAME')) || name;
  const password = lookup(userVariable(name, 'PASSWORD'));
  const token = lookup(userVariable(name, 'TOKEN'));
  if (password) return { login: { name, username, password } };
  if (token) return { login: { name, username, token } };
  const known = sandboxUsers.find((u) => u.username === username);
  if (known) return { login: { name, username, password: known.password } };
  return {
    skip:
      `no credentials for the user "${name}": set ${userVariable(name, 'PASSWORD')} (or ${userVariable(name, 'TOKEN')}; ` +
      `${userVariable(name, 'USERNAME')} when the login is not "${name}") in the environment or the world parameter vars`,
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
